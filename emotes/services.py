"""Writes for emotes and badges: creating them and building their renditions."""

from django.core.files.base import ContentFile
from django.db import models, transaction

from emotes.imaging import BADGE_SIZES, EMOTE_SIZES, renditions
from emotes.models import Badge, Emote


def _store_renditions(obj: Emote | Badge, sizes: dict[str, int], stem: str) -> None:
    obj.image.open("rb")
    try:
        source = obj.image.read()
    finally:
        obj.image.close()
    for name, data in renditions(source, sizes).items():
        field = getattr(obj, f"image_{name}")
        if field:
            field.delete(save=False)
        field.save(f"{stem}.png", ContentFile(data), save=False)
    obj.save(update_fields=["image_1x", "image_2x", "image_4x"])


def emote_renditions_build(*, emote: Emote) -> Emote:
    """(Re)build the 1x/2x/4x PNGs of ``emote`` from its source image."""
    _store_renditions(emote, EMOTE_SIZES, emote.code)
    return emote


def badge_renditions_build(*, badge: Badge) -> Badge:
    """(Re)build the 1x/2x/4x PNGs of ``badge`` from its source image."""
    _store_renditions(badge, BADGE_SIZES, f"{badge.set_name}-{badge.version}")
    return badge


@transaction.atomic
def emote_create(
    *, code: str, image: bytes, room: models.Model | None = None, tier_required: int = 0
) -> Emote:
    emote = Emote(code=code, room=room, tier_required=tier_required)
    emote.full_clean(exclude=["image"])
    emote.image.save(f"{code}.png", ContentFile(image), save=False)
    emote.save()
    return emote_renditions_build(emote=emote)


@transaction.atomic
def badge_create(
    *, set_name: str, version: str, title: str, image: bytes, description: str = ""
) -> Badge:
    badge = Badge(set_name=set_name, version=version, title=title, description=description)
    badge.full_clean(exclude=["image"])
    badge.image.save(f"{set_name}-{version}.png", ContentFile(image), save=False)
    badge.save()
    return badge_renditions_build(badge=badge)


@transaction.atomic
def emote_save(*, emote: Emote, image_changed: bool) -> Emote:
    """Store an emote as edited (in the admin: its fields and maybe a new source image),
    rebuilding its renditions when the image changed or it has none yet."""
    emote.full_clean(exclude=["image"])
    emote.save()
    if image_changed or not emote.image_1x:
        emote_renditions_build(emote=emote)
    return emote


@transaction.atomic
def emote_delete(*, emote: Emote) -> None:
    emote.delete()
