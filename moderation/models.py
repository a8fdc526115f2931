"""Moderation data. Bans, timeouts, the held queue and the audit log join this module."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from moderation.terms import TERM_PATTERN


class BlockedTerm(models.Model):
    """A word or phrase refused in one room, or everywhere when ``room`` is empty."""

    room = models.ForeignKey(
        "rooms.Room",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="blocked_terms",
        help_text="Empty blocks it in every room.",
    )
    pattern = models.CharField(
        max_length=60,
        help_text='A word or phrase; "*" at the start or end matches any part of a word.',
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern"], condition=models.Q(room=None), name="blocked_term_global_unique"
            ),
            models.UniqueConstraint(fields=["room", "pattern"], name="blocked_term_room_unique"),
            models.CheckConstraint(
                condition=models.Q(pattern__regex=TERM_PATTERN), name="blocked_term_format"
            ),
        ]

    def __str__(self) -> str:
        return self.pattern
