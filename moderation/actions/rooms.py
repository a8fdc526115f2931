"""A room's modes, settings, style and roles, changed by its moderators, its broadcaster
or staff (in the admin): checked and audited here, written by ``rooms.actions.rooms``."""

from typing import Any

from django.db import transaction

from chatsite.errors import ChatRefused, ErrorCode
from moderation.actions.audit import Action, audit_write, require_moderator, require_staff
from rooms import events
from rooms.actions import rooms as room_actions
from rooms.models import Room, Style
from rooms.permissions import can_change_roles, is_broadcaster

# Chat commands that change a mode: (field, value; None: the command's duration).
MODE_COMMANDS = {
    "slow": ("slow_mode_seconds", None),
    "slowoff": ("slow_mode_seconds", 0),
    "emoteonly": ("emote_only", True),
    "emoteonlyoff": ("emote_only", False),
    "subscribers": ("subscribers_only", True),
    "subscribersoff": ("subscribers_only", False),
    "uniquechat": ("unique_chat", True),
    "uniquechatoff": ("unique_chat", False),
}
ROLE_TITLES = {"mod": "a moderator", "vip": "a VIP"}


@transaction.atomic
def room_modes_set(*, room: Room, actor, modes: dict[str, Any], source: str) -> dict[str, Any]:
    """Turn room modes on or off, or set the AutoMod level (moderators); every screen gets
    the new room state, and each change is audited. Returns what changed."""
    require_moderator(room=room, actor=actor, what="change the room's modes")
    changed = room_actions.room_modes_update(room=room, modes=modes)
    for field, value in changed.items():
        audit_write(room=room, actor=actor, action=Action.MODE, source=source,
                    reason=f"{field}={value}")  # fmt: skip
    return changed


def room_mode_set(*, room: Room, actor, field: str, value, source: str) -> None:
    """One mode (a chat command)."""
    room_modes_set(room=room, actor=actor, modes={field: value}, source=source)


@transaction.atomic
def room_settings_set(*, room: Room, actor, settings: dict[str, Any], source: str) -> dict:
    """The broadcaster (or staff) renames the room, re-describes it, gives it another style
    or another broadcaster; audited, and open screens reload it."""
    if not is_broadcaster(user=actor, room=room):
        raise ChatRefused(ErrorCode.NOT_ALLOWED, "Only the broadcaster can change the room.")
    changed = room_actions.room_settings_update(room=room, settings=settings)
    for field, value in changed.items():
        shown = getattr(value, "slug", None) or getattr(value, "username", None) or value
        audit_write(room=room, actor=actor, action=Action.SETTINGS, source=source,
                    reason=f"{field}={shown}")  # fmt: skip
    return changed


@transaction.atomic
def style_set(*, style: Style, actor, changes: dict[str, Any], source: str) -> list[Room]:
    """Staff change a style's rules or prompt: every room in it reloads it, and each
    room's audit log says so."""
    require_staff(actor=actor, what="change styles")
    rooms = room_actions.style_update(style=style, changes=changes)
    if changes:
        for room in rooms:
            audit_write(room=room, actor=actor, action=Action.STYLE, source=source,
                        reason=f"{style.slug}: {', '.join(sorted(changes))}")  # fmt: skip
    return rooms


@transaction.atomic
def role_set(*, room: Room, actor, target, role: str, granted: bool, source: str) -> None:
    """The broadcaster (or staff) makes or unmakes a moderator or VIP; their open
    connections change at once and they are told."""
    if not can_change_roles(actor=actor, room=room, target=target):
        if target.id == room.owner_id:
            raise ChatRefused(ErrorCode.NOT_ALLOWED, "The broadcaster's role cannot change.")
        raise ChatRefused(
            ErrorCode.NOT_ALLOWED, "Only the broadcaster can change moderators and VIPs."
        )
    action = role if granted else f"un{role}"
    told = f"You are {'now' if granted else 'no longer'} {ROLE_TITLES[role]} in this room."
    field = {"mod": "is_moderator", "vip": "is_vip"}[role]
    room_actions.membership_set(room=room, user=target, **{field: granted},
                                notice=events.notice_frame(told, code=action))  # fmt: skip
    audit_write(room=room, actor=actor, target=target, action=action, source=source)


@transaction.atomic
def subscription_set(*, room: Room, actor, target, tier: int, months: int, source: str) -> None:
    """Staff set a chatter's subscription to the room (subscriptions have no billing here:
    the admin is where they are given); audited, and their connections see it at once."""
    require_staff(actor=actor, what="change subscriptions")
    room_actions.membership_set(room=room, user=target, subscriber_tier=tier,
                                subscriber_months=months)  # fmt: skip
    audit_write(room=room, actor=actor, target=target, action=Action.SUBSCRIPTION,
                source=source, reason=f"tier {tier}, {months} months")  # fmt: skip


@transaction.atomic
def membership_remove(*, room: Room, actor, target, source: str) -> None:
    """Staff take every role and subscription a user has in the room."""
    require_staff(actor=actor, what="remove memberships")
    if room_actions.membership_remove(room=room, user=target):
        audit_write(room=room, actor=actor, target=target, action=Action.MEMBERSHIP_REMOVE,
                    source=source)  # fmt: skip
