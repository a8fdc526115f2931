import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from chatsite.users.validators import LOGIN_PATTERN, validate_login
from rooms.skibidi.instant import RulesError, validate_rules

AUTOMOD_LEVELS = [
    (0, "0: off"),
    (1, "1: less filtering"),
    (2, "2: some filtering"),
    (3, "3: more filtering"),
    (4, "4: maximum filtering"),
]
SLOW_MODE_MAX_SECONDS = 7200
MESSAGE_MAX_LENGTH = 500


class Style(models.Model):
    """A skibidification style: the instant rule set and the LLM prompt."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    instant_rules = models.JSONField(
        default=dict,
        blank=True,
        help_text="Rule set of the instant engine (word swaps, interjections, emoji, casing).",
    )
    llm_system_prompt = models.TextField(blank=True, help_text="System prompt for the LLM rewrite.")
    llm_examples = models.JSONField(
        default=list,
        blank=True,
        help_text='Example rewrites: a list of ["original", "rewrite"] pairs.',
    )
    markers = models.JSONField(
        default=list,
        blank=True,
        help_text="Words or emoji that show the style; an LLM rewrite without one is refused.",
    )
    llm_temperature = models.FloatField(
        default=0.7, validators=[MinValueValidator(0.0), MaxValueValidator(2.0)]
    )
    llm_max_tokens = models.PositiveSmallIntegerField(
        default=96, validators=[MinValueValidator(1), MaxValueValidator(512)]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(llm_temperature__gte=0.0, llm_temperature__lte=2.0),
                name="style_temperature_range",
            ),
            models.CheckConstraint(
                condition=models.Q(llm_max_tokens__gte=1, llm_max_tokens__lte=512),
                name="style_max_tokens_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.instant_rules = validate_rules(self.instant_rules)
        except RulesError as error:
            raise ValidationError({"instant_rules": str(error)}) from error
        if not isinstance(self.markers, list) or not all(
            isinstance(m, str) and m.strip() for m in self.markers
        ):
            raise ValidationError({"markers": "A list of words or emoji."})
        examples = self.llm_examples
        if not isinstance(examples, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
            for pair in examples
        ):
            raise ValidationError(
                {"llm_examples": 'A list of ["original", "rewrite"] pairs of strings.'}
            )


class Room(models.Model):
    """A chat room. Its slug is also its IRC channel name (``#slug``)."""

    slug = models.CharField(
        max_length=25,
        unique=True,
        validators=[validate_login],
        help_text="Lowercase letters, digits and underscores; also the IRC channel #slug.",
    )
    title = models.CharField(max_length=140)
    description = models.TextField(blank=True)
    style = models.ForeignKey(Style, on_delete=models.PROTECT, related_name="rooms")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_rooms",
        help_text="The broadcaster.",
    )
    automod_level = models.PositiveSmallIntegerField(
        "AutoMod level", choices=AUTOMOD_LEVELS, default=1
    )
    slow_mode_seconds = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(SLOW_MODE_MAX_SECONDS)],
        help_text="Seconds a chatter waits between messages; 0 is off.",
    )
    emote_only = models.BooleanField(default=False)
    subscribers_only = models.BooleanField(default=False)
    unique_chat = models.BooleanField(default=False)
    pre_moderation = models.BooleanField(
        default=False, help_text="Show nothing until AutoMod allows it."
    )
    last_seq = models.BigIntegerField(
        default=0, editable=False, help_text="Sequence number of the newest message."
    )
    cleared_seq = models.BigIntegerField(
        default=0, editable=False, help_text="/clear hid every message up to this sequence number."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slug__regex=LOGIN_PATTERN), name="room_slug_format"
            ),
            models.CheckConstraint(
                condition=models.Q(automod_level__gte=0, automod_level__lte=4),
                name="room_automod_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(slow_mode_seconds__gte=0)
                & models.Q(slow_mode_seconds__lte=SLOW_MODE_MAX_SECONDS),
                name="room_slow_mode_range",
            ),
            models.CheckConstraint(condition=models.Q(last_seq__gte=0), name="room_last_seq_gte_0"),
        ]

    def __str__(self) -> str:
        return self.title

    # Moved only by their own statements (the send path's UPDATE, /clear's): saving the
    # room's settings (the admin, the dashboard) must never write back a copy loaded
    # earlier, or the next sends would reuse seqs that are taken.
    COUNTERS = ("last_seq", "cleared_seq")

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.COUNTERS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("rooms:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A user's roles in one room. No row means a regular chatter."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_moderator = models.BooleanField("moderator", default=False)
    is_vip = models.BooleanField("VIP", default=False)
    subscriber_tier = models.PositiveSmallIntegerField(
        choices=[(0, "not subscribed"), (1, "tier 1"), (2, "tier 2"), (3, "tier 3")], default=0
    )
    subscriber_months = models.PositiveSmallIntegerField(
        default=0, help_text="Cumulative months subscribed."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="membership_room_user_unique"),
            models.CheckConstraint(
                condition=models.Q(subscriber_tier__gte=0, subscriber_tier__lte=3),
                name="membership_tier_range",
            ),
            models.CheckConstraint(
                condition=models.Q(subscriber_months__gte=0), name="membership_months_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"


class Message(models.Model):
    """One chat message. ``seq`` is gap-free and increasing within its room."""

    class State(models.TextChoices):
        VISIBLE = "visible"
        PENDING = "pending"  # pre-moderation: waiting for AutoMod
        HELD = "held"  # in the moderators' queue
        DELETED = "deleted"
        BLOCKED = "blocked"  # by AutoMod
        SHADOWED = "shadowed"  # the author is shadow-banned: only they see it

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="messages",
    )
    original_text = models.CharField(max_length=MESSAGE_MAX_LENGTH)
    display_text = models.TextField()
    engine = models.CharField(
        max_length=64, default="instant", help_text="What produced the displayed text."
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.VISIBLE)
    emotes = models.JSONField(
        default=list,
        blank=True,
        help_text="Emote positions in the displayed text: [emote id, first, last] in code points.",
    )
    nonce = models.CharField(
        max_length=64, blank=True, help_text="Client nonce that makes a retried send idempotent."
    )
    reply_parent = models.JSONField(
        null=True,
        blank=True,
        help_text="The message this one answers, as it was then.",
    )
    is_action = models.BooleanField(
        default=False, help_text="A /me message: shown as an action, in its author's colour."
    )
    is_first = models.BooleanField(
        "first message",
        default=False,
        help_text="The author's first message in this room (Twitch's first-time chatter).",
    )
    automod_scores = models.JSONField(
        null=True,
        blank=True,
        help_text="AutoMod's category scores; null while AutoMod owes a verdict, {} when it "
        "does not review the message (AutoMod off, a moderator's message).",
    )
    held_reason = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            # Also the index behind "latest N in a room" and "after sequence S".
            models.UniqueConstraint(fields=["room", "seq"], name="message_room_seq_unique"),
            models.UniqueConstraint(
                fields=["room", "author", "nonce"],
                condition=~models.Q(nonce=""),
                name="message_nonce_unique",
            ),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="message_seq_gte_1"),
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["visible", "pending", "held", "deleted", "blocked", "shadowed"]
                ),
                name="message_state_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["room", "seq"],
                condition=models.Q(state__in=["pending", "held"]),
                name="message_waiting_review",
            ),
            # Whether someone has chatted in a room before, and their recent messages there.
            models.Index(fields=["room", "author", "seq"], name="message_room_author"),
            # What AutoMod still owes a verdict (moderation's sweep), oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(automod_scores__isnull=True),
                name="message_awaiting_automod",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.room_id}:{self.seq}"
