"""Moderation data: blocked terms, bans and timeouts, shadow bans and the audit log."""

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


class RoomBan(models.Model):
    """A ban (no ``expires_at``) or a timeout (until ``expires_at``) of a user in a room."""

    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_bans"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty for a ban.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="room_ban_one_per_user"),
        ]

    def __str__(self) -> str:
        kind = "timeout" if self.expires_at else "ban"
        return f"{kind} of {self.user_id} in {self.room_id}"


class ShadowBan(models.Model):
    """A user whose messages in a room only they (and the moderators) see."""

    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="shadow_bans")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadow_bans"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="shadow_ban_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"shadow ban of {self.user_id} in {self.room_id}"


class AuditEntry(models.Model):
    """One moderation action, by a person or by AutoMod. Written once, never changed."""

    class Action(models.TextChoices):
        TIMEOUT = "timeout"
        UNTIMEOUT = "untimeout"
        BAN = "ban"
        UNBAN = "unban"
        DELETE = "delete"
        MODE = "mode"
        MOD = "mod"
        UNMOD = "unmod"
        VIP = "vip"
        UNVIP = "unvip"
        CLEAR = "clear"
        SHADOW_BAN = "shadow_ban"
        UNSHADOW_BAN = "unshadow_ban"
        HOLD = "hold"  # AutoMod held a message for review
        BLOCK = "block"  # AutoMod blocked a message
        ALLOW = "allow"  # a held message released
        DENY = "deny"  # a held message refused
        TERM_ADD = "term_add"
        TERM_REMOVE = "term_remove"
        SETTINGS = "settings"  # the room's title, description, style or broadcaster
        STYLE = "style"  # the room's style's rules or prompt
        SUBSCRIPTION = "subscription"  # a chatter's subscription, given in the admin
        MEMBERSHIP_REMOVE = "membership_remove"  # every role and subscription taken
        EMOTE_ADD = "emote_add"
        EMOTE_CHANGE = "emote_change"
        EMOTE_REMOVE = "emote_remove"

    class Source(models.TextChoices):
        COMMAND = "command"
        DASHBOARD = "dashboard"
        API = "api"
        AUTOMOD = "automod"
        ADMIN = "admin"

    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Empty for AutoMod.",
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    message = models.ForeignKey(
        "rooms.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["room", "-created_at"], name="audit_room_recent")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} in {self.room_id}"
