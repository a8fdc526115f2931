"""AutoMod's verdicts and the held queue: what a moderator allows is shown in its place
to everyone, what they deny is removed for good."""

from django.core.exceptions import ValidationError
from django.db import transaction

from chatsite import metrics
from chatsite.errors import ChatRefused, ErrorCode
from moderation import automod
from moderation.actions.audit import (
    Action,
    Source,
    audit_write,
    author_tell,
    everyone_tell,
    moderators_tell,
    require_moderator,
)
from moderation.selectors import held_payloads, recent_texts
from rooms import events
from rooms.models import Message, Room
from rooms.selectors import message_payloads

HELD_NOTICE = "Your message is being held for review by the moderators."
BLOCKED_NOTICE = "Your message was not sent: AutoMod blocked it."
REVIEWED_NOTICES = {
    "allow": "A moderator approved your message.",
    "deny": "A moderator denied your message: it will not be shown.",
}


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
        verdicts = automod.judge_many(
            [m.original_text for m in messages], level=level, recent=recent_texts(messages=messages)
        )
        for message, verdict in zip(messages, verdicts, strict=True):
            judged += _automod_apply(message, verdict)
            metrics.AUTOMOD_VERDICTS.labels(level, verdict.decision).inc()
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
            _show(message, resolved_by=None)
        return True

    if was == Message.State.VISIBLE:
        everyone_tell(room.id, events.delete_frame(message))
    action = Action.HOLD if state == Message.State.HELD else Action.BLOCK
    audit_write(room=room, actor=None, target=message.author, action=action, reason=verdict.reason,
                source=Source.AUTOMOD, message=message)  # fmt: skip
    author_tell(message, HELD_NOTICE if state == Message.State.HELD else BLOCKED_NOTICE,
                code=action)  # fmt: skip
    if state == Message.State.HELD:
        (item,) = held_payloads(room=room, messages=[message])
        moderators_tell(room.id, events.held_frame(item))
    return True


def _show(message: Message, *, resolved_by) -> None:
    """Show a message that was waiting, in its place, on every screen (after the commit)."""
    room = message.room
    (payload,) = message_payloads(room=room, messages=[message])
    # No seq: clients that are already past it must still take it (in place, by seq).
    everyone_tell(room.id, events.message_frame(payload))
    by = resolved_by.username if resolved_by else None
    moderators_tell(room.id, events.held_resolved_frame(message, decision="allow", by=by))


def held_allow(*, room: Room, actor, message_id: str, source: str) -> Message:
    """A moderator releases a held (or pending) message: it appears in place for everyone."""
    return _held_review(room=room, actor=actor, message_id=message_id, allow=True, source=source)


def held_deny(*, room: Room, actor, message_id: str, source: str) -> Message:
    """A moderator refuses a held (or pending) message: nobody but its author ever saw it."""
    return _held_review(room=room, actor=actor, message_id=message_id, allow=False, source=source)


@transaction.atomic
def _held_review(*, room: Room, actor, message_id: str, allow: bool, source: str) -> Message:
    require_moderator(room=room, actor=actor, what="review held messages")
    message = _waiting_message(room=room, message_id=message_id)
    message.state = Message.State.VISIBLE if allow else Message.State.DELETED
    message.save(update_fields=["state"])
    decision = Action.ALLOW if allow else Action.DENY
    audit_write(room=room, actor=actor, target=message.author, action=decision,
                reason=message.original_text, source=source, message=message)  # fmt: skip
    author_tell(message, REVIEWED_NOTICES[decision], code=decision)
    if allow:
        _show(message, resolved_by=actor)
    else:
        moderators_tell(
            room.id, events.held_resolved_frame(message, decision="deny", by=actor.username)
        )
    return message


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
        raise ChatRefused(ErrorCode.MESSAGE_NOT_FOUND)
    if message.state not in (Message.State.HELD, Message.State.PENDING):
        raise ChatRefused(ErrorCode.NOT_HELD)
    return message
