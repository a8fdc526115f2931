"""Sending a chat message: check, store, publish. The one send path: the WebSocket
consumer and the REST API call ``chat_submit`` (or its event-loop twin), as every other
interface must, so no interface has rules of its own.

Sends that arrive together, from any thread or connection of the process, are checked
and stored as one batch by a few committer threads (``rooms.groupcommit``): one Redis
round trip for what the rules remember, one insert (``rooms.storage``), and one round
trip that remembers and publishes (``rooms.events``) to every process's hub.
"""

import asyncio
import contextlib
import functools
import logging
import threading
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from kombu.exceptions import KombuError

from chatsite import metrics
from chatsite.errors import ChatRefused, ErrorCode
from chatsite.redis import redis_client
from emotes.parsing import find_emotes
from emotes.selectors import emote_codes_for, emote_codes_known
from rooms import events, rules
from rooms.badges import badges_for
from rooms.gate import gate
from rooms.groupcommit import GroupCommit, Pending
from rooms.limits import (
    last_sent_encode,
    last_sent_key,
    nonce_key,
    rate_limit_refund,
    rate_limits_queue,
    remember_queue,
    unique_key,
)
from rooms.models import Membership, Message, Room
from rooms.permissions import emote_tier, is_moderator, rate_role
from rooms.selectors import chatters_known, message_get_by_nonce, message_payloads, reply_parent
from rooms.skibidi.instant import render_instant
from rooms.skibidi.tasks import rewrites_schedule
from rooms.storage import messages_insert
from rooms.textclean import clean_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    message: Message
    payload: dict[str, Any]  # what every client was sent
    created: bool  # False when a retried nonce returned the first result


@dataclass(frozen=True)
class CommandResult:
    notice: str  # the confirmation shown to whoever typed the command


def chat_is_command(author, text: str) -> bool:
    """Whether what a chatter typed is a chat command rather than a message (``/me`` is a
    message: an action)."""
    if author is None or not author.is_authenticated or not gate().is_command(text.lstrip()):
        return False
    return not rules.action_of(text)[0]  # read only for the rare text that starts with "/"


def chat_submit(
    *, room: Room, author, text: str, nonce: str = "", source: str = "api", reply_to: str = ""
) -> SendResult | CommandResult:
    """What every interface calls with what a chatter typed: a chat command or a message
    (``reply_to``: the id of the message it answers)."""
    if chat_is_command(author, text):
        notice = gate().command_execute(room=room, actor=author, text=text.strip(), source=source)
        return CommandResult(notice)
    return message_send(room=room, author=author, text=text, nonce=nonce, reply_to=reply_to)


def achat_submit(
    *, room: Room, author, text: str, nonce: str = "", source: str = "api", reply_to: str = ""
) -> Awaitable[SendResult | CommandResult]:
    """``chat_submit`` for the event loop: a message joins the send batches at once,
    without a thread of its own (``amessage_send``); a command runs on the thread pool
    once awaited."""
    if chat_is_command(author, text):
        return sync_to_async(chat_submit, thread_sensitive=False)(
            room=room, author=author, text=text, nonce=nonce, source=source
        )
    return amessage_send(room=room, author=author, text=text, nonce=nonce, reply_to=reply_to)


def message_send(
    *, room: Room, author, text: str, nonce: str = "", reply_to: str = ""
) -> SendResult:
    """Check, store, broadcast: the life of a chat message up to its first display.

    Each rule refuses with a ``ChatRefused`` (``rooms.rules``). The message is stored
    with the room's next sequence number before anything is broadcast; the broadcast
    runs after the commit. A ``nonce`` seen before returns the first result instead of
    storing a second message. The caller returns once its own message is stored.
    """
    send = _send_request(room, author, text, nonce, reply_to)
    if connection.in_atomic_block:  # inside the caller's transaction, which decides
        alone = Pending(send)
        _send_batch([alone])
        return alone.outcome()
    return _committer.submit(send)


def amessage_send(
    *, room: Room, author, text: str, nonce: str = "", reply_to: str = ""
) -> Awaitable[SendResult]:
    """``message_send`` for the event loop (the WebSocket consumers): the same batch, with
    no thread of the caller's waiting on it. The send is queued before this returns, so a
    connection's messages keep the order it sent them while earlier ones are still on
    their way; await the result (a refusal is raised there too)."""
    try:
        return _committer.queue(_send_request(room, author, text, nonce, reply_to))
    except ChatRefused as refused:
        refusal = asyncio.get_running_loop().create_future()
        refusal.set_exception(refused)
        return refusal


def send_committers_stop() -> None:
    """Finish the queued sends and end the committer threads, closing their database
    connections (a shutting-down process; the test suite's end). The next send starts
    them again."""
    _committer.stop()


class _Send:
    """One send on its way through a batch: what was asked, what the checks found, and
    (once stored) the message and what its publication needs."""

    __slots__ = ("action", "author", "author_payload", "message", "nonce", "payload",
                 "rate_entry", "recall", "remember", "reply", "reply_to", "review", "room",
                 "started", "text")  # fmt: skip

    def __init__(self, room: Room, author, text: str, nonce: str, action: bool = False) -> None:
        self.room, self.author, self.text, self.nonce = room, author, text, nonce
        self.started = time.perf_counter()  # (for the send latency's metric)
        self.action = action  # a /me message
        self.reply_to = ""  # the id of the message it answers
        self.reply: dict[str, Any] | None = None  # that message as it was, once checked
        self.rate_entry = ""  # counted against the rate limit under this entry
        self.recall = _recall_keys(room.id, author.id, text, nonce)  # what the rules read
        self.remember: list[tuple[str, Any, int]] = []  # what they keep once it is stored
        self.message: Message | None = None
        self.author_payload: dict[str, Any] = {}
        self.review = False  # AutoMod reviews it after the commit
        self.payload: dict[str, Any] | None = None  # set once it is stored

    @property
    def rate_key(self) -> str:
        return f"user:{self.author.id}"


def _send_request(room: Room, author, text: str, nonce: str, reply_to: str = "") -> _Send:
    refused = rules.request_refusal(author=author, nonce=nonce)
    if refused is not None:
        metrics.MESSAGES_RECEIVED.inc()
        metrics.REFUSALS.labels(refused.code).inc()
        raise refused
    action, text = rules.action_of(text)
    send = _Send(room, author, clean_text(text), nonce, action)
    send.reply_to = reply_to
    return send


def _reply_refusal(send: _Send) -> ChatRefused | None:
    """A reply answers a message shown in the room: remember it as it is now (a query, for
    replies only)."""
    parent = reply_parent(room=send.room, message_id=send.reply_to)
    if parent is None:
        return ChatRefused(ErrorCode.REPLY_NOT_FOUND)
    send.reply = parent
    return None


def _send_batch(batch: list[Pending]) -> None:
    """Check, store and publish the sends that arrived together, whoever and wherever they
    are: one Redis round trip for what the rules remember (the rate limits, and whether
    the senders' standing changed since this process read it: a query only then), one
    round trip to store, and, once the senders have their answers, one to remember and
    publish. Each pending gets its own result: a ``SendResult`` (a retried nonce's is its
    first message), or the ``ChatRefused`` of the first rule it broke."""
    try:
        _check_and_store(batch)
    except (DatabaseError, redis.ConnectionError, redis.TimeoutError):
        logger.exception("Checking and storing a batch of %d messages failed", len(batch))
        for pending in batch:
            if pending.result is None and pending.error is None:
                pending.error = ChatRefused(ErrorCode.UNAVAILABLE, retry_after=2)
    _count(batch)


def _count(batch: list[Pending]) -> None:
    """The batch in the metrics: received, stored, refused by code, and each one's time
    from its arrival to its answer (a few writes per batch, not per message)."""
    stored, waited = 0, []
    now = time.perf_counter()
    for pending in batch:
        waited.append(now - pending.request.started)
        if isinstance(pending.error, ChatRefused):
            metrics.REFUSALS.labels(pending.error.code).inc()
        elif pending.result is not None and pending.result.created:
            stored += 1
    metrics.MESSAGES_RECEIVED.inc(len(batch))
    metrics.MESSAGES_STORED.inc(stored)
    metrics.observe_many(metrics.SEND_SECONDS, waited)


def _standing_refusal(send: _Send, membership: Membership | None, standing) -> ChatRefused | None:
    room, author = send.room, send.author
    return rules.standing_refusal(
        room=room, author=author, text=send.text, membership=membership, standing=standing,
        emotes=_emotes(room, author, membership) if room.emote_only else {},
    )  # fmt: skip


def _check_and_store(batch: list[Pending]) -> None:
    sends: list[_Send] = [pending.request for pending in batch]
    pairs = [(send.room, send.author) for send in sends]
    # The senders' standing as this process knows it (a query only for senders it has
    # not read yet), checked against the rooms' standing versions in the one round trip;
    # in a caller's transaction, read in it (its own changes show in no version yet).
    if connection.in_atomic_block:
        standings, read_under = gate().senders_get(pairs=pairs), None
    else:
        standings, read_under = gate().senders_known(pairs=pairs)
    rooms = sorted({send.room.id for send in sends})
    early: list[ChatRefused | None] = []
    recall = gate().version_keys(room_ids=rooms)
    takes: list[tuple[str, int, float]] = []
    for send in sends:
        membership, standing = standings[send.room.id, send.author.id]
        recall += send.recall
        early.append(_standing_refusal(send, membership, standing))
        if early[-1] is None:
            role = rate_role(user=send.author, room=send.room, membership=membership)
            limit, window = settings.CHAT_RATE_LIMITS[role]
            takes.append((send.rate_key, limit, window))
    client = redis_client()
    pipe = client.pipeline(transaction=False)
    pipe.mget(recall)
    entries = rate_limits_queue(pipe, takes) if takes else []
    replies = pipe.execute()
    counted = [refused is None for refused in early]  # which sends took their rate limit
    values, waits = iter(replies[0]), iter(zip(replies[1] if takes else [], entries, strict=True))
    terms_version = int(next(values) or 0)
    versions = {room_id: int(next(values) or 0) for room_id in rooms}
    changed = read_under and gate().senders_confirm(
        pairs=pairs, read_under=read_under, versions=versions
    )
    if changed:  # a role, ban, timeout or shadow ban changed since this process read it
        standings.update(changed)
        early = [_standing_refusal(s, *standings[s.room.id, s.author.id]) for s in sends]

    recent: dict[str, Any] = {}  # what this batch's earlier sends will remember
    checked: list[Pending] = []
    for pending, send, refused, took in zip(batch, sends, early, counted, strict=True):
        remembered = {key: recent.get(key, next(values)) for key in send.recall}
        waited = 0.0
        if took:  # (a send let through by a change read just now goes uncounted, once)
            wait_ms, send.rate_entry = next(waits)
            waited = int(wait_ms) / 1000
        if send.nonce and remembered[nonce_key(send.room.id, send.author.id, send.nonce)]:
            earlier = message_get_by_nonce(room=send.room, author=send.author, nonce=send.nonce)
            if earlier is not None:
                pending.result = _earlier_result(earlier)
                continue
        membership, standing = standings[send.room.id, send.author.id]
        refused = refused or rules.remembered_refusal(
            room=send.room, author=send.author, text=send.text, membership=membership,
            remembered=remembered, waited=waited, terms_version=terms_version,
        )  # fmt: skip
        if refused is None and send.reply_to:
            refused = _reply_refusal(send)
        if refused is not None:
            pending.error = refused
            continue
        _build(send, membership, standing)
        checked.append(pending)
        send.remember = _remembering(send)
        recent.update((key, value) for key, value, _ in send.remember)

    _firsts_mark([pending.request for pending in checked])
    try:
        if checked:
            _store(checked)
    except BaseException:
        _remember(client, batch).execute()
        raise
    # Each sender has its answer now (stored is acknowledged). What the rules remember
    # and the publication share one round trip; this committer's next batch comes after.
    for pending in batch:
        pending.finish()
    stored = [p.request for p in batch if p.result is not None and p.result.created]
    _chatted.update((send.room.id, send.author.id) for send in stored)
    remembering = _remember(client, batch)
    if connection.in_atomic_block:  # the caller's commit decides when they are published
        remembering.execute()
        transaction.on_commit(functools.partial(_published, stored))
    else:
        _published(stored, along=remembering)


# (room id, user id) pairs this process knows have chatted: once true, always true.
_chatted: set[tuple[int, int]] = set()
_CHATTED_MAX = 200_000


def chatters_forget() -> None:
    """Forget who this process has seen chat (the tests' fresh start)."""
    _chatted.clear()


def _firsts_mark(sends: list[_Send]) -> None:
    """Mark each message that is its author's first in the room (Twitch's first-time
    chatter): one query, for the authors this process has not seen chat there yet."""
    unknown = {(s.room.id, s.author.id) for s in sends} - _chatted
    if not unknown:
        return
    if len(_chatted) + len(unknown) > _CHATTED_MAX:
        _chatted.clear()
    known = chatters_known(pairs=unknown)
    _chatted.update(known)
    for send in sends:
        pair = (send.room.id, send.author.id)
        if pair in unknown and pair not in known:
            send.message.is_first = True
            known.add(pair)  # the batch's next message from them is not a first


def _emotes(room: Room, author, membership: Membership | None) -> dict[str, str]:
    """The emote codes ``author`` may use in ``room``."""
    tier = emote_tier(user=author, room=room, membership=membership)
    return emote_codes_for(room_id=room.id, tier=tier)


def _build(send: _Send, membership: Membership | None, standing) -> None:
    """The message as it will be stored and shown, in its instant rendering."""
    room, author = send.room, send.author
    moderates = is_moderator(user=author, room=room, membership=membership)
    codes = _emotes(room, author, membership)
    # The instant rendering is seeded by the message id: every process agrees on it.
    message_id = uuid.uuid4()
    # Every code of the room is left as typed (those the author may use are among them).
    display_text = render_instant(
        send.text, room.style.instant_rules, seed=message_id.int,
        emotes=emote_codes_known(room_id=room.id), action=send.action,
    )  # fmt: skip
    if standing.shadow_banned:
        state = Message.State.SHADOWED
    elif room.pre_moderation and not moderates:
        state = Message.State.PENDING
    else:
        state = Message.State.VISIBLE
    send.message = Message(
        id=message_id,
        room=room,
        author=author,
        original_text=send.text,
        display_text=display_text,
        engine="instant",
        state=state,
        emotes=[list(e) for e in find_emotes(display_text, codes)],
        nonce=send.nonce,
        is_action=send.action,
        reply_parent=send.reply,
    )
    badges = badges_for(user=author, membership=membership, owner_id=room.owner_id)
    send.author_payload = events.author_payload(user=author, badges=badges, membership=membership)
    send.review = not moderates and bool(room.automod_level or room.pre_moderation)
    if not send.review:
        # Scores stay empty (NULL) only while AutoMod owes a verdict: the messages it
        # owes are then a small, indexed set in PostgreSQL, whatever Redis forgets.
        send.message.automod_scores = {}


def _insert(sends: list[_Send]) -> None:
    """Store checked messages (rooms/storage.py): their seqs in the order given."""
    by_room: dict[int, list[_Send]] = {}
    for send in sends:
        by_room.setdefault(send.room.id, []).append(send)
    rooms = sorted(by_room)
    messages_insert([(room_id, [send.message for send in by_room[room_id]]) for room_id in rooms])
    for send in sends:
        send.payload = events.message_payload(message=send.message, author=send.author_payload)


def _savepoint() -> contextlib.AbstractContextManager:
    """Inside a caller's transaction, a savepoint: a refused insert leaves it usable."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def _store(batch: list[Pending]) -> None:
    """Store the checked messages of a batch at once. If one of them cannot be stored (its
    nonce raced in from another connection), each is stored on its own, and the raced
    one gets the message its nonce already stored."""
    try:
        with _savepoint():
            _insert([pending.request for pending in batch])
    except IntegrityError:
        for pending in batch:
            send: _Send = pending.request
            try:
                with _savepoint():
                    _insert([send])
            except IntegrityError:
                earlier = send.nonce and message_get_by_nonce(
                    room=send.room, author=send.author, nonce=send.nonce
                )
                if earlier:
                    pending.result = _earlier_result(earlier)
                else:
                    logger.exception("A message in room %s could not be stored", send.room.slug)
                    pending.error = ChatRefused(ErrorCode.UNAVAILABLE, retry_after=2)
            else:
                pending.result = SendResult(send.message, send.payload, True)
        return
    for pending in batch:
        pending.result = SendResult(pending.request.message, pending.request.payload, True)


def _earlier_result(message: Message) -> SendResult:
    """What a retried nonce gets: the message it first stored."""
    return SendResult(message, message_payloads(room=message.room, messages=[message])[0], False)


def _recall_keys(room_id: int, user_id: int, text: str, nonce: str) -> list[str]:
    """The Redis keys of what the rules remember that a send needs read."""
    keys = [last_sent_key(room_id, user_id), unique_key(room_id, text)]
    if nonce:
        keys.append(nonce_key(room_id, user_id, nonce))
    return keys


def _remembering(send: _Send) -> list[tuple[str, Any, int]]:
    """What the rules will remember of a send that is stored: (key, value, seconds)."""
    room, author = send.room, send.author
    ttl = rules.remembered_ttl(room)
    remember = [(last_sent_key(room.id, author.id), last_sent_encode(send.text, time.time()), ttl)]
    if send.nonce:
        remember.append((nonce_key(room.id, author.id, send.nonce), 1, ttl))
    if room.unique_chat and len(send.text) > rules.UNIQUE_CHAT_MIN_LENGTH:
        remember.append((unique_key(room.id, send.text), 1, settings.UNIQUE_CHAT_WINDOW))
    return remember


def _remember(client: redis.Redis, batch: list[Pending]) -> redis.client.Pipeline:
    """A pipeline that remembers what the rules need of each stored send and gives back
    the rate limit of the others (not yet executed)."""
    pipe = client.pipeline(transaction=False)
    remembering = []
    for pending in batch:
        send = pending.request
        if pending.result is not None and pending.result.created:
            remembering += send.remember
        elif send.rate_entry:  # counted, but not sent
            rate_limit_refund(pipe, key=send.rate_key, entry=send.rate_entry)
    if remembering:
        remember_queue(pipe, remembering)
    return pipe


def _published(sends: list[_Send], along: redis.client.Pipeline | None = None) -> None:
    """After the commit: every message to its room's hubs in seq order (one pipelined
    round trip, with what ``along`` holds: see ``events.publish_many``), then AutoMod's
    queue and the LLM's."""
    sends = sorted(sends, key=lambda send: (send.room.id, send.message.seq))
    events.publish_many([events.message_envelope(s.message, s.payload) for s in sends], along=along)
    _review_schedule([str(s.message.id) for s in sends if s.review])
    rewrites_schedule([(send.room.id, str(send.message.id)) for send in sends])


def _review_schedule(message_ids: list[str]) -> None:
    """Queue AutoMod's review. A pending message whose review cannot be queued waits for a
    moderator in the held queue; a visible one simply stays up unreviewed."""
    if not message_ids:
        return
    try:
        gate().review(message_ids=message_ids)
    except (OSError, KombuError, redis.RedisError):
        logger.warning("Could not queue AutoMod for messages %s", message_ids, exc_info=True)


_committer_state = threading.local()
CONNECTION_CHECK_EVERY = 1.0  # seconds


def _connection_checked() -> None:
    """Before a committer's batch: drop its database connection if it broke or outlived
    ``DATABASE_CONN_MAX_AGE``. At once after an error, else at most once a second: each
    check makes the next query begin with a health-check round trip of its own."""
    now = time.monotonic()
    if connection.errors_occurred or now >= getattr(_committer_state, "next_check", 0.0):
        close_old_connections()
        _committer_state.next_check = now + CONNECTION_CHECK_EVERY


# Sends from every thread and connection of this process share batches, made by a few
# committer threads (rooms/groupcommit.py), each with its own database connection.
_committer = GroupCommit(
    _send_batch,
    committers=settings.SEND_COMMITTERS,
    before_batch=_connection_checked,
    on_stop=connections.close_all,
    name="message-send",
)
