from django.contrib.auth.models import AbstractUser
from django.db import models

from chatsite.users.validators import (
    COLOR_PATTERN,
    LOGIN_PATTERN,
    validate_chat_color,
    validate_login,
)

# Twitch's default name colours, picked from by login so that a new user
# looks the same in every process without storing anything.
DEFAULT_COLORS = (
    "#FF0000", "#0000FF", "#008000", "#B22222", "#FF7F50",
    "#9ACD32", "#FF4500", "#2E8B57", "#DAA520", "#D2691E",
    "#5F9EA0", "#1E90FF", "#FF69B4", "#8A2BE2", "#00FF7F",
)  # fmt: skip


class User(AbstractUser):
    """A chatter. ``username`` is the lowercase login (also the IRC nick)."""

    username = models.CharField(
        "username",
        max_length=25,
        unique=True,
        validators=[validate_login],
        help_text="3 to 25 characters: lowercase letters, digits and underscores.",
        error_messages={"unique": "That name is taken."},
    )
    display_name = models.CharField(
        max_length=25,
        blank=True,
        help_text="How the name is shown; only the capitalisation may differ from the login.",
    )
    chat_color = models.CharField(
        max_length=7,
        blank=True,
        validators=[validate_chat_color],
        help_text="Name colour in chat, such as #1E90FF. Empty picks one from the login.",
    )
    is_verified_bot = models.BooleanField(
        "verified bot", default=False, help_text="Higher rate limit, bot badge."
    )
    is_turbo = models.BooleanField("turbo", default=False, help_text="Shows the turbo badge.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(username__regex=LOGIN_PATTERN),
                name="user_login_format",
            ),
            models.CheckConstraint(
                condition=models.Q(display_name="")
                | models.Q(display_name__iexact=models.F("username")),
                name="user_display_name_matches_login",
            ),
            models.CheckConstraint(
                condition=models.Q(chat_color="") | models.Q(chat_color__regex=COLOR_PATTERN),
                name="user_chat_color_format",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def chat_name(self) -> str:
        return self.display_name or self.username

    @property
    def effective_color(self) -> str:
        if self.chat_color:
            return self.chat_color
        return DEFAULT_COLORS[sum(self.username.encode()) % len(DEFAULT_COLORS)]
