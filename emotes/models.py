from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

EMOTE_CODE_PATTERN = r"^[A-Za-z0-9_]{2,32}$"
BADGE_NAME_PATTERN = r"^[a-z0-9-]{1,40}$"
validate_emote_code = RegexValidator(
    EMOTE_CODE_PATTERN, "Use 2 to 32 letters, digits or underscores.", code="invalid_code"
)
validate_badge_name = RegexValidator(
    BADGE_NAME_PATTERN, "Use lowercase letters, digits and hyphens.", code="invalid_name"
)
TIERS = [(0, "everyone"), (1, "tier 1"), (2, "tier 2"), (3, "tier 3")]


class Emote(models.Model):
    """An emote: global when ``room`` is empty, else usable in that room only."""

    code = models.CharField(
        max_length=32,
        validators=[validate_emote_code],
        help_text="What chatters type, such as PogHype (letters, digits, _).",
    )
    room = models.ForeignKey(
        "rooms.Room",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emotes",
        help_text="Empty for a global emote.",
    )
    tier_required = models.PositiveSmallIntegerField(
        choices=TIERS, default=0, help_text="Subscriber tier needed to use it (room emotes only)."
    )
    image = models.ImageField(upload_to="emotes/source/", help_text="Square source image.")
    image_1x = models.ImageField(upload_to="emotes/1x/", blank=True, editable=False)
    image_2x = models.ImageField(upload_to="emotes/2x/", blank=True, editable=False)
    image_4x = models.ImageField(upload_to="emotes/4x/", blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=EMOTE_CODE_PATTERN), name="emote_code_format"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(room=None), name="emote_global_code_unique"
            ),
            models.UniqueConstraint(fields=["room", "code"], name="emote_room_code_unique"),
            models.CheckConstraint(
                condition=models.Q(tier_required__gte=0, tier_required__lte=3),
                name="emote_tier_range",
            ),
            models.CheckConstraint(
                condition=models.Q(tier_required=0) | models.Q(room__isnull=False),
                name="emote_tier_only_in_rooms",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def scope(self) -> str:
        return "global" if self.room_id is None else "room"


class Badge(models.Model):
    """One version of a badge set, such as ``subscriber/12`` or ``moderator/1``."""

    set_name = models.CharField(
        max_length=40,
        validators=[validate_badge_name],
        help_text="Badge set, such as moderator or subscriber.",
    )
    version = models.CharField(
        max_length=40,
        default="1",
        validators=[validate_badge_name],
        help_text="Version within the set, such as 1 or 12.",
    )
    title = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    image = models.ImageField(upload_to="badges/source/", help_text="Square source image.")
    image_1x = models.ImageField(upload_to="badges/1x/", blank=True, editable=False)
    image_2x = models.ImageField(upload_to="badges/2x/", blank=True, editable=False)
    image_4x = models.ImageField(upload_to="badges/4x/", blank=True, editable=False)

    class Meta:
        ordering = ["set_name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["set_name", "version"], name="badge_set_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(set_name__regex=BADGE_NAME_PATTERN)
                & models.Q(version__regex=BADGE_NAME_PATTERN),
                name="badge_name_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.set_name}/{self.version}"
