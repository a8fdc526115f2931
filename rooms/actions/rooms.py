"""Writes that change rooms, their styles and their memberships, and tell open clients.

These check no permission: moderation's actions (``moderation.actions``) decide who may,
audit, then call these. Each schedules its notification with ``transaction.on_commit``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from chatsite.errors import ChatRefused, ErrorCode
from rooms import events
from rooms.models import SLOW_MODE_MAX_SECONDS, Membership, Room, Style

# The modes a room can be in, with AutoMod's level: what ``room_state`` frames carry.
ROOM_MODE_FIELDS = (
    "slow_mode_seconds",
    "emote_only",
    "subscribers_only",
    "unique_chat",
    "pre_moderation",
    "automod_level",
)
ROOM_SETTING_FIELDS = ("title", "description", "style", "owner")


@transaction.atomic
def room_create(*, slug: str, title: str, style: Style, owner, description: str = "",
                **modes: Any) -> Room:  # fmt: skip
    """A new room, with ``modes`` (any of ``ROOM_MODE_FIELDS``) set from the start."""
    room = Room(slug=slug, title=title, style=style, owner=owner, description=description)
    for field, value in modes.items():
        _check_mode(field, value)
        setattr(room, field, value)
    room.full_clean()
    room.save()
    return room


def _check_mode(field: str, value: Any) -> None:
    if field not in ROOM_MODE_FIELDS:
        raise ChatRefused(ErrorCode.UNKNOWN_MODE, f"'{field[:40]}' is not a room mode.")
    if field == "slow_mode_seconds" and not 0 <= value <= SLOW_MODE_MAX_SECONDS:
        raise ChatRefused(ErrorCode.INVALID_DURATION, "Slow mode is 1 second to 2 hours (or off).")
    if field == "automod_level" and not 0 <= value <= 4:
        raise ChatRefused(ErrorCode.INVALID_LEVEL)


@transaction.atomic
def room_modes_update(*, room: Room, modes: dict[str, Any]) -> dict[str, Any]:
    """Set some of the room's modes; every process reloads the room and every screen gets
    the new ``room_state``. Returns the modes that changed (with their new values)."""
    for field, value in modes.items():
        _check_mode(field, value)
    changed = {field: value for field, value in modes.items() if getattr(room, field) != value}
    if changed:
        for field, value in changed.items():
            setattr(room, field, value)
        room.save(update_fields=list(changed))
        room_state_changed(room=room)
    return changed


@transaction.atomic
def room_settings_update(*, room: Room, settings: dict[str, Any]) -> dict[str, Any]:
    """Change the room's title, description, style or broadcaster. Returns what changed."""
    unknown = set(settings) - set(ROOM_SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not room settings: {sorted(unknown)}")
    changed = {field: value for field, value in settings.items() if getattr(room, field) != value}
    if changed:
        former_owner_id = room.owner_id
        for field, value in changed.items():
            setattr(room, field, value)
        try:
            room.full_clean()
        except ValidationError:
            room.refresh_from_db()
            raise
        room.save(update_fields=list(changed))
        room_state_changed(room=room)
        if "owner" in changed:  # the former and the new broadcaster's powers change
            roles_changed(room=room, user_id=former_owner_id)
            roles_changed(room=room, user_id=room.owner_id)
    return changed


def room_state_changed(*, room: Room) -> None:
    """After the commit, every process reloads ``room`` (its modes, AutoMod level or style
    changed) and every screen gets its ``room_state``."""
    transaction.on_commit(lambda: events.room_changed(room))


@transaction.atomic
def style_create(**fields: Any) -> Style:
    """A new style (no room uses it yet)."""
    style = Style(**fields)
    style.full_clean()
    style.save()
    return style


@transaction.atomic
def style_update(*, style: Style, changes: dict[str, Any]) -> list[Room]:
    """Change a style's rules, prompt or name: its rooms reload it. Returns those rooms."""
    for field, value in changes.items():
        setattr(style, field, value)
    style.full_clean()
    style.save(update_fields=list(changes) or None)
    rooms = list(style.rooms.all())
    for room in rooms:
        room_state_changed(room=room)
    return rooms


@transaction.atomic
def membership_set(
    *,
    room: Room,
    user,
    is_moderator: bool | None = None,
    is_vip: bool | None = None,
    subscriber_tier: int | None = None,
    subscriber_months: int | None = None,
    notice: dict[str, Any] | None = None,
) -> Membership:
    """Give ``user`` these roles in ``room`` (those left None stay as they are); their
    open connections look their roles up again, then get ``notice``."""
    given = {
        "is_moderator": is_moderator,
        "is_vip": is_vip,
        "subscriber_tier": subscriber_tier,
        "subscriber_months": subscriber_months,
    }
    given = {field: value for field, value in given.items() if value is not None}
    membership, created = Membership.objects.get_or_create(room=room, user=user, defaults=given)
    if not created and given:
        for field, value in given.items():
            setattr(membership, field, value)
        membership.full_clean(exclude=["room", "user"])
        membership.save(update_fields=list(given))
    roles_changed(room=room, user_id=user.id, notice=notice)
    return membership


@transaction.atomic
def membership_remove(*, room: Room, user) -> bool:
    """Take every role ``user`` has in ``room``. False when they had none."""
    deleted, _ = Membership.objects.filter(room=room, user=user).delete()
    if deleted:
        roles_changed(room=room, user_id=user.id)
    return bool(deleted)


def roles_changed(*, room: Room, user_id: int, notice: dict[str, Any] | None = None) -> None:
    """After the commit, ``user_id``'s open connections to ``room`` look their roles up,
    then get ``notice``."""
    transaction.on_commit(lambda: events.roles_changed(room.id, user_id, notice=notice))
