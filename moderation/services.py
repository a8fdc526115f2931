"""Writes of the moderation app."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chatsite.redis import redis_client
from chatsite.users.models import User
from moderation import automod
from moderation.commands import CommandError, parse_command
from moderation.models import AuditEntry, BlockedTerm, RoomBan, ShadowBan
from moderation.permissions import can_act_on
from moderation.selectors import (
    audit_payload,
    blocked_terms_cache_clear,
    blocked_terms_version_key,
    held_payloads,
)
from moderation.terms import Term
from rooms import events
from rooms.exceptions import INVALID_DURATION, NOT_ALLOWED, ChatRefused
from rooms.models import SLOW_MODE_MAX_SECONDS, Membership, Message, Room
from rooms.selectors import membership_get, message_payloads, user_moderates
from rooms.services import roles_changed


def blocked_terms_changed() -> None:
    """Tell every process to rebuild its compiled terms (admin edits call this too)."""
    redis_client().incr(blocked_terms_version_key())
    blocked_terms_cache_clear()  # this process at once; the others on their next send


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
    told = f"You were timed out for {seconds} seconds." if seconds else "You were banned."
    if reason:
        told += f" Reason: {reason[:200]}"
    _tell(room.id, target.id, events.notice_frame(told, code="timeout" if seconds else "ban"))


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


ROOM_MODE_FIELDS = (
    "slow_mode_seconds",
    "emote_only",
    "subscribers_only",
    "unique_chat",
    "pre_moderation",
    "automod_level",
)
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
    frame = events.audit_frame(audit_payload(entry))
    _to_moderators(room.id, frame)
    return entry


def _to_moderators(room_id: int, frame: dict) -> None:
    """After the commit, to the room's moderators' connections (room pages and dashboards)."""
    transaction.on_commit(lambda: events.broadcast(room_id, frame, audience=events.MODS))


def _tell(room_id: int, user_id: int, frame: dict) -> None:
    """After the commit, to one user's connections to the room."""
    audience = events.to_user(user_id)
    transaction.on_commit(lambda: events.broadcast(room_id, frame, audience=audience))


def _require_moderator(*, room: Room, actor, what: str) -> None:
    if not user_moderates(room=room, user=actor):
        raise ChatRefused(NOT_ALLOWED, f"Only moderators can {what}.")


@transaction.atomic
def room_mode_set(*, room: Room, actor, field: str, value, source: str) -> None:
    """Turn a room mode on or off (moderators); every screen gets the new room state."""
    _require_moderator(room=room, actor=actor, what="change the room's modes")
    if field not in ROOM_MODE_FIELDS:
        raise ChatRefused("unknown_mode", f"'{field[:40]}' is not a room mode.")
    if field == "slow_mode_seconds" and not 0 <= value <= SLOW_MODE_MAX_SECONDS:
        raise ChatRefused(INVALID_DURATION, "Slow mode is 1 second to 2 hours (or off).")
    if field == "automod_level" and not 0 <= value <= 4:
        raise ChatRefused("invalid_level", "The AutoMod level is 0 (off) to 4 (strictest).")
    setattr(room, field, value)
    room.save(update_fields=[field])
    _audit(room=room, actor=actor, action=AuditEntry.Action.MODE, source=source,
           reason=f"{field}={value}")  # fmt: skip
    transaction.on_commit(lambda: events.room_changed(room))


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
    else:
        _require_moderator(room=room, actor=actor, what="delete messages")
    if message.state == Message.State.DELETED:
        return
    message.state = Message.State.DELETED
    message.save(update_fields=["state"])
    _audit(room=room, actor=actor, target=message.author, action=AuditEntry.Action.DELETE,
           source=source, reason=message.original_text, message=message)  # fmt: skip
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
    title = {"mod": "a moderator", "vip": "a VIP"}[role]
    told = f"You are {'now' if granted else 'no longer'} {title} in this room."
    notice = events.notice_frame(told, code=action)
    roles_changed(room=room, user_id=target.id, notice=notice)


@transaction.atomic
def chat_clear(*, room: Room, actor, source: str) -> None:
    """Clear the chat for everyone: every message so far leaves every screen and the history."""
    _require_moderator(room=room, actor=actor, what="clear the chat")
    Room.objects.filter(pk=room.pk).update(cleared_seq=F("last_seq"))
    room.refresh_from_db(fields=["last_seq", "cleared_seq"])
    _audit(room=room, actor=actor, action=AuditEntry.Action.CLEAR, source=source,
           reason=f"through #{room.cleared_seq}")  # fmt: skip
    transaction.on_commit(lambda: events.broadcast(room.id, events.clear_chat_frame()))


@transaction.atomic
def shadow_ban(*, room: Room, actor, target, reason: str = "", source: str) -> bool:
    """From now on only ``target`` (and the moderators) see what they write. False if already."""
    _require_power(room=room, actor=actor, target=target)
    _, created = ShadowBan.objects.get_or_create(
        room=room, user=target, defaults={"moderator": actor, "reason": reason[:500]}
    )
    if created:
        _audit(room=room, actor=actor, target=target, action=AuditEntry.Action.SHADOW_BAN,
               reason=reason, source=source)  # fmt: skip
    return created


@transaction.atomic
def shadow_unban(*, room: Room, actor, target, source: str) -> bool:
    _require_power(room=room, actor=actor, target=target)
    deleted, _ = ShadowBan.objects.filter(room=room, user=target).delete()
    if deleted:
        _audit(room=room, actor=actor, target=target, action=AuditEntry.Action.UNSHADOW_BAN,
               source=source)  # fmt: skip
    return bool(deleted)


@transaction.atomic
def room_term_add(*, room: Room, actor, pattern: str, source: str) -> BlockedTerm:
    """A moderator blocks a term in their room."""
    _require_moderator(room=room, actor=actor, what="change the blocked terms")
    try:
        term = blocked_term_add(pattern=pattern, room=room, actor=actor)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise ChatRefused("invalid_term", " ".join(messages)) from error
    _audit(room=room, actor=actor, action=AuditEntry.Action.TERM_ADD, reason=term.pattern,
           source=source)  # fmt: skip
    return term


@transaction.atomic
def room_term_remove(*, room: Room, actor, term_id: int, source: str) -> None:
    _require_moderator(room=room, actor=actor, what="change the blocked terms")
    term = BlockedTerm.objects.filter(room=room, pk=term_id).first()
    if term is None:
        raise ChatRefused("term_not_found", "No such blocked term in this room.")
    blocked_term_remove(term=term)
    _audit(room=room, actor=actor, action=AuditEntry.Action.TERM_REMOVE, reason=term.pattern,
           source=source)  # fmt: skip


# ---- AutoMod and the held queue -------------------------------------------------

HELD_NOTICE = "Your message is being held for review by the moderators."
BLOCKED_NOTICE = "Your message was not sent: AutoMod blocked it."


def automod_review(*, message_ids: list[str]) -> int:
    """AutoMod's judgement of messages it has not seen yet; returns how many it judged.

    Idempotent: a message with scores was judged already and is skipped, so a
    redelivered task changes nothing. The classifier runs once for the batch.
    """
    waiting = list(
        Message.objects.filter(
            pk__in=message_ids,
            automod_scores__isnull=True,
            state__in=[Message.State.VISIBLE, Message.State.PENDING],
        ).select_related("room", "author")
    )
    by_level: dict[int, list[Message]] = {}
    for message in waiting:
        by_level.setdefault(message.room.automod_level, []).append(message)
    judged = 0
    for level, messages in by_level.items():
        verdicts = automod.judge_many([m.original_text for m in messages], level=level)
        for message, verdict in zip(messages, verdicts, strict=True):
            judged += _automod_apply(message, verdict)
    return judged


@transaction.atomic
def _automod_apply(message: Message, verdict: automod.Verdict) -> bool:
    room, was = message.room, message.state
    state = {
        automod.ALLOW: Message.State.VISIBLE,
        automod.HOLD: Message.State.HELD,
        automod.BLOCK: Message.State.BLOCKED,
    }[verdict.decision]
    claimed = Message.objects.filter(pk=message.pk, automod_scores__isnull=True, state=was).update(
        automod_scores=verdict.scores, state=state, held_reason=verdict.reason[:120]
    )
    if not claimed:  # judged by another worker, or a moderator got there first
        return False
    message.state, message.automod_scores = state, verdict.scores
    message.held_reason = verdict.reason[:120]
    if verdict.decision == automod.ALLOW:
        if was == Message.State.PENDING:
            _publish(message, resolved_by=None)
        return True

    if was == Message.State.VISIBLE:
        transaction.on_commit(lambda: events.broadcast(room.id, events.delete_frame(message)))
    action = AuditEntry.Action.HOLD if state == Message.State.HELD else AuditEntry.Action.BLOCK
    _audit(room=room, actor=None, target=message.author, action=action, reason=verdict.reason,
           source=AuditEntry.Source.AUTOMOD, message=message)  # fmt: skip
    _tell_author(message, HELD_NOTICE if state == Message.State.HELD else BLOCKED_NOTICE,
                 code=action)  # fmt: skip
    if state == Message.State.HELD:
        (item,) = held_payloads(room=room, messages=[message])
        _to_moderators(room.id, events.held_frame(item))
    return True


def _publish(message: Message, *, resolved_by) -> None:
    """Show a message that was waiting, in its place, on every screen (after the commit)."""
    room = message.room
    (payload,) = message_payloads(room=room, messages=[message])
    frame = events.message_frame(payload)
    # No seq: clients that are already past it must still take it (in place, by seq).
    transaction.on_commit(lambda: events.broadcast(room.id, frame))
    by = resolved_by.username if resolved_by else None
    _to_moderators(room.id, events.held_resolved_frame(message, decision="allow", by=by))


def _waiting_message(*, room: Room, message_id: str) -> Message:
    try:
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("room", "author")
            .filter(room=room, pk=message_id)
            .first()
        )
    except ValidationError:  # not a UUID
        message = None
    if message is None:
        raise ChatRefused("message_not_found", "No such message in this room.")
    if message.state not in (Message.State.HELD, Message.State.PENDING):
        raise ChatRefused("not_held", "That message is not waiting for review.")
    return message


REVIEWED_NOTICES = {
    "allow": "A moderator approved your message.",
    "deny": "A moderator denied your message: it will not be shown.",
}


def held_allow(*, room: Room, actor, message_id: str, source: str) -> Message:
    """A moderator releases a held (or pending) message: it appears in place for everyone."""
    return _held_review(room=room, actor=actor, message_id=message_id, allow=True, source=source)


def held_deny(*, room: Room, actor, message_id: str, source: str) -> Message:
    """A moderator refuses a held (or pending) message: nobody but its author ever saw it."""
    return _held_review(room=room, actor=actor, message_id=message_id, allow=False, source=source)


@transaction.atomic
def _held_review(*, room: Room, actor, message_id: str, allow: bool, source: str) -> Message:
    _require_moderator(room=room, actor=actor, what="review held messages")
    message = _waiting_message(room=room, message_id=message_id)
    message.state = Message.State.VISIBLE if allow else Message.State.DELETED
    message.save(update_fields=["state"])
    decision = AuditEntry.Action.ALLOW if allow else AuditEntry.Action.DENY
    _audit(room=room, actor=actor, target=message.author, action=decision,
           reason=message.original_text, source=source, message=message)  # fmt: skip
    _tell_author(message, REVIEWED_NOTICES[decision], code=decision)
    if allow:
        _publish(message, resolved_by=actor)
    else:
        _to_moderators(
            room.id, events.held_resolved_frame(message, decision="deny", by=actor.username)
        )
    return message


def _tell_author(message: Message, text: str, *, code: str) -> None:
    """A notice about one of their messages, to the author's connections (after the commit)."""
    if message.author_id is not None:
        notice = events.notice_frame(text, code=code, message_id=message.id)
        _tell(message.room_id, message.author_id, notice)


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
    if name == "clear":
        chat_clear(room=room, actor=actor, source=source)
        return "Chat cleared."
    if name in ("mod", "unmod", "vip", "unvip"):
        role_set(room=room, actor=actor, target=target, role=name.removeprefix("un"),
                 granted=not name.startswith("un"), source=source)  # fmt: skip
        return f"/{name} {target.chat_name}: done."
    raise ChatRefused("not_available", f"/{name} is not available yet.")
