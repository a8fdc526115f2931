"""Writes of the moderation app."""

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chatsite.users.models import User
from moderation.commands import CommandError, parse_command
from moderation.models import AuditEntry, BlockedTerm, RoomBan
from moderation.permissions import can_act_on
from moderation.selectors import VERSION_KEY, blocked_terms_cache_clear
from moderation.terms import Term
from rooms import events
from rooms.exceptions import INVALID_DURATION, NOT_ALLOWED, ChatRefused
from rooms.models import SLOW_MODE_MAX_SECONDS, Membership, Message, Room
from rooms.selectors import membership_get, user_moderates


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
    _audit(
        room=room,
        actor=actor,
        target=target,
        action=AuditEntry.Action.TIMEOUT if seconds else AuditEntry.Action.BAN,
        reason=reason,
        seconds=seconds,
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
    _audit(
        room=room,
        actor=actor,
        target=target,
        action=AuditEntry.Action.UNTIMEOUT if timed else AuditEntry.Action.UNBAN,
        source=source,
    )
    return True


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


def _audit(
    *,
    room: Room,
    actor,
    action: str,
    source: str,
    target=None,
    reason: str = "",
    seconds: int | None = None,
) -> None:
    AuditEntry.objects.create(
        room=room,
        actor=actor,
        target=target,
        action=action,
        reason=reason[:500],
        duration_seconds=seconds,
        source=source,
    )


@transaction.atomic
def room_mode_set(*, room: Room, actor, field: str, value, source: str) -> None:
    """Turn a room mode on or off (moderators); every screen gets the new room state."""
    if not user_moderates(room=room, user=actor):
        raise ChatRefused(NOT_ALLOWED, "Only moderators can change the room's modes.")
    if field == "slow_mode_seconds" and not 0 <= value <= SLOW_MODE_MAX_SECONDS:
        raise ChatRefused(INVALID_DURATION, "Slow mode is 1 second to 2 hours (or off).")
    setattr(room, field, value)
    room.save(update_fields=[field])
    _audit(room=room, actor=actor, action=AuditEntry.Action.MODE, source=source,
           reason=f"{field}={value}")  # fmt: skip
    frame = events.room_state_frame(room)
    transaction.on_commit(lambda: events.broadcast(room.id, frame))


@transaction.atomic
def message_delete(*, room: Room, actor, message_id: str, source: str) -> None:
    """Take one message off every screen (moderators; not the broadcaster's or a fellow mod's)."""
    try:
        message = Message.objects.select_related("author").filter(room=room, pk=message_id).first()
    except ValidationError:  # not a UUID
        message = None
    if message is None:
        raise ChatRefused("message_not_found", "No such message in this room.")
    if message.author is not None and message.author_id != actor.id:
        _require_power(room=room, actor=actor, target=message.author)
    elif not user_moderates(room=room, user=actor):
        raise ChatRefused(NOT_ALLOWED, "Only moderators can delete messages.")
    if message.state == Message.State.DELETED:
        return
    message.state = Message.State.DELETED
    message.save(update_fields=["state"])
    _audit(room=room, actor=actor, target=message.author, action=AuditEntry.Action.DELETE,
           source=source, reason=message.original_text)  # fmt: skip
    frame = events.delete_frame(message)
    transaction.on_commit(lambda: events.broadcast(room.id, frame))


@transaction.atomic
def role_set(*, room: Room, actor, target, role: str, granted: bool, source: str) -> None:
    """The broadcaster (or staff) makes or unmakes moderators and VIPs."""
    if not (actor.id == room.owner_id or actor.is_staff):
        raise ChatRefused(NOT_ALLOWED, "Only the broadcaster can change moderators and VIPs.")
    if target.id == room.owner_id:
        raise ChatRefused(NOT_ALLOWED, "The broadcaster's role cannot change.")
    field = {"mod": "is_moderator", "vip": "is_vip"}[role]
    membership, _ = Membership.objects.get_or_create(room=room, user=target)
    setattr(membership, field, granted)
    membership.save(update_fields=[field])
    action = role if granted else f"un{role}"
    _audit(room=room, actor=actor, target=target, action=action, source=source)


def command_execute(*, room: Room, actor, text: str, source: str) -> str:
    """Run a chat command typed by ``actor``; return the confirmation to show them."""
    try:
        command = parse_command(text)
    except CommandError as error:
        raise ChatRefused(error.code, error.message) from error
    target = None
    if command.target is not None:
        target = User.objects.filter(username=command.target).first()
        if target is None:
            raise ChatRefused("user_not_found", f"No user called {command.target}.")
    name = command.name
    if name == "timeout":
        user_timeout(room=room, actor=actor, target=target, seconds=command.seconds,
                     reason=command.reason, source=source)  # fmt: skip
        return f"{target.chat_name} is timed out for {command.seconds} seconds."
    if name == "ban":
        user_ban(room=room, actor=actor, target=target, reason=command.reason, source=source)
        return f"{target.chat_name} is banned."
    if name in ("unban", "untimeout"):
        lifted = user_unban(room=room, actor=actor, target=target, source=source)
        return f"{target.chat_name} may chat again." if lifted else (
            f"{target.chat_name} was not banned or timed out.")  # fmt: skip
    if name in MODE_COMMANDS:
        field, value = MODE_COMMANDS[name]
        room_mode_set(room=room, actor=actor, field=field,
                      value=command.seconds if value is None else value, source=source)  # fmt: skip
        return f"/{name}: done."
    if name == "delete":
        message_delete(room=room, actor=actor, message_id=command.message_id, source=source)
        return "Message deleted."
    if name in ("mod", "unmod", "vip", "unvip"):
        role_set(room=room, actor=actor, target=target, role=name.removeprefix("un"),
                 granted=not name.startswith("un"), source=source)  # fmt: skip
        return f"/{name} {target.chat_name}: done."
    raise ChatRefused("not_available", f"/{name} is not available yet.")
