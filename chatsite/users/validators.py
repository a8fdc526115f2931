"""Rules for the names people chat under (pure, shared by forms, API and IRC)."""

import re

from django.core.exceptions import ValidationError

# Twitch logins: 3-25 characters, lowercase letters, digits and underscores.
# They double as IRC nicks, so nothing else is allowed.
LOGIN_RE = re.compile(r"^[a-z0-9_]{3,25}$")
LOGIN_PATTERN = r"^[a-z0-9_]{3,25}$"
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"


def validate_login(value: str) -> None:
    if not LOGIN_RE.match(value):
        raise ValidationError(
            "Use 3 to 25 characters: lowercase letters, digits and underscores.",
            code="invalid_login",
        )


def validate_chat_color(value: str) -> None:
    if not COLOR_RE.match(value):
        raise ValidationError(
            "Chat colour must be a hex colour such as #1E90FF.", code="invalid_color"
        )
