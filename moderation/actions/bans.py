"""Timeouts, bans and shadow bans: who may chat in a room, and who sees what they write."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chatsite.errors import ChatRefused, ErrorCode
from moderation.actions.audit import Action, audit_write, everyone_tell, require_power, user_tell
from moderation.models import RoomBan, ShadowBan
from rooms import events
from rooms.models import Message, Room

TIMEOUT_DEFAULT = 600
TIMEOUT_MAX = 14 * 24 * 3600  # two weeks
CLEARED_HISTORY = timedelta(days=1)  # how far back a timeout or ban hides the user's messages


@transaction.atomic
def user_timeout(
    *, room: Room, actor, target, seconds: int = TIMEOUT_DEFAULT, reason: str = "", source: str
) -> None:
    """Keep ``target`` from chatting in ``room`` for ``seconds``; clear their messages."""
    if not 1 <= seconds <= TIMEOUT_MAX:
        raise ChatRefused(ErrorCode.INVALID_DURATION, "A timeout lasts from 1 second to 2 weeks.")
    _restrict(room=room, actor=actor, target=target, seconds=seconds, reason=reason, source=source)


@transaction.atomic
def user_ban(*, room: Room, actor, target, reason: str = "", source: str) -> None:
    """Keep ``target`` from chatting in ``room`` until unbanned; clear their messages."""
    _restrict(room=room, actor=actor, target=target, seconds=None, reason=reason, source=source)


def _restrict(*, room: Room, actor, target, seconds: int | None, reason: str, source: str):
    require_power(room=room, actor=actor, target=target)
    now = timezone.now()
    RoomBan.objects.update_or_create(
        room=room,
        user=target,
        defaults={
            "moderator": actor,
            "reason": reason[:500],
            "created_at": now,
            "expires_at": now + timedelta(seconds=seconds) if seconds else None,
        },
    )
    Message.objects.filter(
        room=room, author=target, state=Message.State.VISIBLE, created_at__gte=now - CLEARED_HISTORY
    ).update(state=Message.State.DELETED)
    audit_write(room=room, actor=actor, target=target,
                action=Action.TIMEOUT if seconds else Action.BAN, reason=reason, seconds=seconds,
                source=source)  # fmt: skip
    everyone_tell(
        room.id, events.clear_user_frame(user_id=target.id, login=target.username, duration=seconds)
    )
    told = f"You were timed out for {seconds} seconds." if seconds else "You were banned."
    if reason:
        told += f" Reason: {reason[:200]}"
    user_tell(room.id, target.id, events.notice_frame(told, code="timeout" if seconds else "ban",
                                                      retry_after=seconds))  # fmt: skip


@transaction.atomic
def user_unban(*, room: Room, actor, target, source: str) -> bool:
    """Lift a ban or a timeout. False when there was none."""
    require_power(room=room, actor=actor, target=target)
    ban = RoomBan.objects.filter(room=room, user=target).first()
    if ban is None:
        return False
    timed = ban.expires_at is not None
    ban.delete()
    audit_write(room=room, actor=actor, target=target,
                action=Action.UNTIMEOUT if timed else Action.UNBAN, source=source)  # fmt: skip
    user_tell(room.id, target.id, events.notice_frame("You may chat again.", code="unban"))
    return True


@transaction.atomic
def shadow_ban(*, room: Room, actor, target, reason: str = "", source: str) -> bool:
    """From now on only ``target`` (and the moderators) see what they write. False if already."""
    require_power(room=room, actor=actor, target=target)
    _, created = ShadowBan.objects.get_or_create(
        room=room, user=target, defaults={"moderator": actor, "reason": reason[:500]}
    )
    if created:
        audit_write(room=room, actor=actor, target=target, action=Action.SHADOW_BAN,
                    reason=reason, source=source)  # fmt: skip
    return created


@transaction.atomic
def shadow_unban(*, room: Room, actor, target, source: str) -> bool:
    """Everyone sees what ``target`` writes again. False when they were not shadow-banned."""
    require_power(room=room, actor=actor, target=target)
    deleted, _ = ShadowBan.objects.filter(room=room, user=target).delete()
    if deleted:
        audit_write(room=room, actor=actor, target=target, action=Action.UNSHADOW_BAN,
                    source=source)  # fmt: skip
    return bool(deleted)
