"""Writes of the moderation app."""

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from moderation.models import AuditEntry, BlockedTerm, RoomBan
from moderation.permissions import can_act_on
from moderation.selectors import VERSION_KEY, blocked_terms_cache_clear
from moderation.terms import Term
from rooms import events
from rooms.exceptions import INVALID_DURATION, NOT_ALLOWED, ChatRefused
from rooms.models import Message, Room
from rooms.selectors import membership_get


def blocked_terms_changed() -> None:
    """Tell every process to rebuild its compiled terms (admin edits call this too)."""
    cache.add(VERSION_KEY, 0, None)
    cache.incr(VERSION_KEY)
    blocked_terms_cache_clear()  # this process at once; the others within a second


@transaction.atomic
def blocked_term_add(*, pattern: str, room=None, actor=None) -> BlockedTerm:
    """Block ``pattern`` in ``room`` (everywhere when None); every process sees it at once."""
    pattern = " ".join(pattern.split())
    if Term.parse(pattern) is None:
        raise ValidationError({"pattern": "A term needs at least one letter."})
    term = BlockedTerm(pattern=pattern, room=room, created_by=actor)
    term.full_clean()
    term.save()
    transaction.on_commit(blocked_terms_changed)
    return term


@transaction.atomic
def blocked_term_remove(*, term: BlockedTerm) -> None:
    term.delete()
    transaction.on_commit(blocked_terms_changed)


TIMEOUT_DEFAULT = 600
TIMEOUT_MAX = 14 * 24 * 3600  # two weeks
CLEARED_HISTORY = timedelta(days=1)  # how far back a timeout or ban hides the user's messages


def _require_power(*, room: Room, actor, target) -> None:
    if not can_act_on(
        actor=actor,
        actor_membership=membership_get(room=room, user=actor),
        target=target,
        target_membership=membership_get(room=room, user=target),
        room=room,
    ):
        raise ChatRefused(NOT_ALLOWED, f"You cannot do that to {target.chat_name} in this room.")


def _restrict(*, room: Room, actor, target, seconds: int | None, reason: str, source: str):
    _require_power(room=room, actor=actor, target=target)
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
    AuditEntry.objects.create(
        room=room,
        actor=actor,
        target=target,
        action=AuditEntry.Action.TIMEOUT if seconds else AuditEntry.Action.BAN,
        reason=reason[:500],
        duration_seconds=seconds,
        source=source,
    )
    frame = events.clear_user_frame(user_id=target.id, login=target.username, duration=seconds)
    transaction.on_commit(lambda: events.broadcast(room.id, frame))


@transaction.atomic
def user_timeout(
    *, room: Room, actor, target, seconds: int = TIMEOUT_DEFAULT, reason: str = "", source: str
) -> None:
    """Keep ``target`` from chatting in ``room`` for ``seconds``; clear their messages."""
    if not 1 <= seconds <= TIMEOUT_MAX:
        raise ChatRefused(INVALID_DURATION, "A timeout lasts from 1 second to 2 weeks.")
    _restrict(room=room, actor=actor, target=target, seconds=seconds, reason=reason, source=source)


@transaction.atomic
def user_ban(*, room: Room, actor, target, reason: str = "", source: str) -> None:
    """Keep ``target`` from chatting in ``room`` until unbanned; clear their messages."""
    _restrict(room=room, actor=actor, target=target, seconds=None, reason=reason, source=source)


@transaction.atomic
def user_unban(*, room: Room, actor, target, source: str) -> bool:
    """Lift a ban or a timeout. False when there was none."""
    _require_power(room=room, actor=actor, target=target)
    ban = RoomBan.objects.filter(room=room, user=target).first()
    if ban is None:
        return False
    timed = ban.expires_at is not None
    ban.delete()
    AuditEntry.objects.create(
        room=room,
        actor=actor,
        target=target,
        action=AuditEntry.Action.UNTIMEOUT if timed else AuditEntry.Action.UNBAN,
        source=source,
    )
    return True
