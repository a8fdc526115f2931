"""The audit log, who may act, and telling clients what happened: shared by every action."""

from django.db import transaction

from chatsite.errors import ChatRefused, ErrorCode
from moderation.models import AuditEntry
from moderation.selectors import audit_payload
from rooms import events
from rooms.models import Message, Room
from rooms.permissions import can_act_on, is_staff
from rooms.selectors import membership_get, user_moderates

Source = AuditEntry.Source
Action = AuditEntry.Action


def audit_write(
    *,
    room: Room,
    actor,
    action: str,
    source: str,
    target=None,
    reason: str = "",
    seconds: int | None = None,
    message: Message | None = None,
) -> AuditEntry:
    """Append to the audit log; the room's moderators see the entry at once."""
    entry = AuditEntry.objects.create(
        room=room,
        actor=actor,
        target=target,
        action=action,
        reason=reason[:500],
        duration_seconds=seconds,
        source=source,
        message=message,
    )
    moderators_tell(room.id, events.audit_frame(audit_payload(entry)))
    return entry


def require_staff(*, actor, what: str) -> None:
    if not is_staff(user=actor):
        raise ChatRefused(ErrorCode.NOT_ALLOWED, f"Only staff can {what}.")


def require_moderator(*, room: Room, actor, what: str) -> None:
    if not user_moderates(room=room, user=actor):
        raise ChatRefused(ErrorCode.NOT_ALLOWED, f"Only moderators can {what}.")


def require_power(*, room: Room, actor, target) -> None:
    """``actor`` may act on ``target`` in ``room`` (``rooms.permissions.can_act_on``)."""
    if not can_act_on(
        actor=actor,
        actor_membership=membership_get(room=room, user=actor),
        target=target,
        target_membership=membership_get(room=room, user=target),
        room=room,
    ):
        raise ChatRefused(
            ErrorCode.NOT_ALLOWED, f"You cannot do that to {target.chat_name} in this room."
        )


def everyone_tell(room_id: int, frame: dict) -> None:
    """After the commit, to everyone watching the room."""
    transaction.on_commit(lambda: events.broadcast(room_id, frame))


def moderators_tell(room_id: int, frame: dict) -> None:
    """After the commit, to the room's moderators' connections (room pages and dashboards)."""
    transaction.on_commit(lambda: events.broadcast(room_id, frame, audience=events.MODS))


def user_tell(room_id: int, user_id: int, frame: dict) -> None:
    """After the commit, to one user's connections to the room."""
    audience = events.to_user(user_id)
    transaction.on_commit(lambda: events.broadcast(room_id, frame, audience=audience))


def author_tell(message: Message, text: str, *, code: str) -> None:
    """A notice about one of their messages, to the author's connections (after the commit)."""
    if message.author_id is not None:
        notice = events.notice_frame(text, code=code, message_id=message.id)
        user_tell(message.room_id, message.author_id, notice)
