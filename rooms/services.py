"""Writes that change rooms, their memberships and their messages.

``message_send`` is the one send path: the WebSocket consumer, the REST API
and the IRC gateway all call it, so no interface has rules of its own.
"""

import asyncio
import contextlib
import functools
import logging
import re
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
from django.utils import timezone
from kombu.exceptions import KombuError

from chatsite.redis import redis_client
from chatsite.users.models import User
from emotes.parsing import find_emotes, is_only_emotes
from emotes.selectors import emote_codes_for
from moderation.selectors import (
    blocked_terms_for,
    blocked_terms_version_key,
    held_item,
    senders_confirm,
    senders_get,
    senders_known,
    standing_version_key,
)
from moderation.terms import first_blocked
from rooms import events
from rooms import exceptions as refusal
from rooms.badges import badges_for
from rooms.exceptions import ChatRefused
from rooms.groupcommit import GroupCommit, Pending
from rooms.limits import (
    last_sent_decode,
    last_sent_encode,
    last_sent_key,
    nonce_key,
    rate_limit_refund,
    rate_limits_queue,
    remember_queue,
    unique_key,
)
from rooms.models import MESSAGE_MAX_LENGTH, Membership, Message, Room, Style
from rooms.permissions import is_moderator
from rooms.selectors import membership_get, message_get_by_nonce, message_payloads
from rooms.skibidi.breaker import (
    breaker_is_open,
    breaker_record_failure,
    breaker_record_success,
)
from rooms.skibidi.cleaning import check_output, clean_output
from rooms.skibidi.instant import render_instant
from rooms.skibidi.llm import (
    Backend,
    EmbeddedBackend,
    LLMError,
    StylePrompt,
    backend_from_config,
    chat_messages,
)
from rooms.storage import messages_insert
from rooms.textclean import clean_text

logger = logging.getLogger(__name__)

DUPLICATE_WINDOW_SECONDS = 30
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@transaction.atomic
def room_create(*, slug: str, title: str, style: Style, owner: User, description: str = "") -> Room:
    room = Room(slug=slug, title=title, style=style, owner=owner, description=description)
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def membership_set(
    *,
    room: Room,
    user: User,
    is_moderator: bool = False,
    is_vip: bool = False,
    subscriber_tier: int = 0,
    subscriber_months: int = 0,
) -> Membership:
    """Give ``user`` exactly these roles in ``room``."""
    roles_changed(room=room, user_id=user.id)
    membership, _ = Membership.objects.update_or_create(
        room=room,
        user=user,
        defaults={
            "is_moderator": is_moderator,
            "is_vip": is_vip,
            "subscriber_tier": subscriber_tier,
            "subscriber_months": subscriber_months,
        },
    )
    return membership


def room_state_changed(*, room: Room) -> None:
    """After the commit, every process reloads ``room`` (its modes, AutoMod level or style
    changed, from the dashboard or the admin) and every screen gets its ``room_state``."""
    transaction.on_commit(lambda: events.room_changed(room))


def style_changed(*, style: Style) -> None:
    """A style's rules or prompt changed: its rooms reload it."""
    for room in style.rooms.all():
        room_state_changed(room=room)


def roles_changed(*, room: Room, user_id: int, notice: dict[str, Any] | None = None) -> None:
    """After the commit, ``user_id``'s open connections to ``room`` look their roles up,
    then get ``notice``."""
    transaction.on_commit(lambda: events.roles_changed(room.id, user_id, notice=notice))


@dataclass(frozen=True)
class SendResult:
    message: Message
    payload: dict[str, Any]  # what every client was sent
    created: bool  # False when a retried nonce returned the first result


class _Send:
    """One ``message_send`` on its way through a batch: what was asked, what the checks
    found, and (once stored) the message and what its publication needs."""

    __slots__ = ("author", "author_payload", "message", "nonce", "payload", "rate_entry",
                 "recall", "remember", "review", "room", "text")  # fmt: skip

    def __init__(self, room: Room, author: User, text: str, nonce: str) -> None:
        self.room, self.author, self.text, self.nonce = room, author, text, nonce
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


def _insert(sends: list[_Send]) -> None:
    """Store checked messages (rooms/storage.py): their seqs in the order given."""
    by_room: dict[int, list[_Send]] = {}
    for send in sends:
        by_room.setdefault(send.room.id, []).append(send)
    rooms = sorted(by_room)
    messages_insert([(room_id, [send.message for send in by_room[room_id]]) for room_id in rooms])
    for send in sends:
        send.payload = events.message_payload(message=send.message, author=send.author_payload)


def _published(sends: list[_Send], along: redis.client.Pipeline | None = None) -> None:
    """After the commit: every message to its room's hubs in seq order (one pipelined
    round trip, with what ``along`` holds: see ``events.publish_many``), then AutoMod's
    queue and the LLM's."""
    sends = sorted(sends, key=lambda send: (send.room.id, send.message.seq))
    events.publish_many([_envelope(send.message, send.payload) for send in sends], along=along)
    _schedule_review([s.message.id for s in sends if s.review])
    _schedule_rewrites([send.message.id for send in sends])


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
                    pending.error = _unavailable(send.room)
            else:
                pending.result = SendResult(send.message, send.payload, True)
        return
    for pending in batch:
        pending.result = SendResult(pending.request.message, pending.request.payload, True)


def _earlier_result(message: Message) -> SendResult:
    """What a retried nonce gets: the message it first stored."""
    return SendResult(message, message_payloads(room=message.room, messages=[message])[0], False)


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
                pending.error = _unavailable(pending.request.room)


def _check_and_store(batch: list[Pending]) -> None:
    sends: list[_Send] = [pending.request for pending in batch]
    pairs = [(send.room, send.author) for send in sends]
    # The senders' standing as this process knows it (a query only for senders it has
    # not read yet), checked against the rooms' standing versions in the one round trip;
    # in a caller's transaction, read in it (its own changes show in no version yet).
    if connection.in_atomic_block:
        standings, read_under = senders_get(pairs=pairs), None
    else:
        standings, read_under = senders_known(pairs=pairs)
    rooms = sorted({send.room.id for send in sends})
    early: list[ChatRefused | None] = []
    recall = [blocked_terms_version_key(), *map(standing_version_key, rooms)]
    takes: list[tuple[str, int, float]] = []
    for send in sends:
        membership, standing = standings[send.room.id, send.author.id]
        recall += send.recall
        early.append(_check_standing(send, membership, standing))
        if early[-1] is None:
            limit, window = settings.CHAT_RATE_LIMITS[
                _rate_role(send.author, send.room, membership)
            ]
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
    changed = read_under and senders_confirm(pairs=pairs, read_under=read_under, versions=versions)
    if changed:  # a role, ban, timeout or shadow ban changed since this process read it
        standings.update(changed)
        early = [_check_standing(send, *standings[send.room.id, send.author.id]) for send in sends]

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
        try:
            if refused is not None:
                raise refused
            _check_remembered(send, membership, remembered, waited, terms_version)
            _build(send, membership, standing)
        except ChatRefused as error:
            pending.error = error
            continue
        checked.append(pending)
        send.remember = _remembering(send)
        recent.update((key, value) for key, value, _ in send.remember)

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
    remembering = _remember(client, batch)
    if connection.in_atomic_block:  # the caller's commit decides when they are published
        remembering.execute()
        transaction.on_commit(functools.partial(_published, stored))
    else:
        _published(stored, along=remembering)


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


def _recall_keys(room_id: int, user_id: int, text: str, nonce: str) -> list[str]:
    """The Redis keys of what the rules remember that a send needs read."""
    keys = [last_sent_key(room_id, user_id), unique_key(room_id, text)]
    if nonce:
        keys.append(nonce_key(room_id, user_id, nonce))
    return keys


def _remembering(send: _Send) -> list[tuple[str, Any, int]]:
    """What the rules will remember of a send that is stored: (key, value, seconds)."""
    room, author = send.room, send.author
    ttl = max(DUPLICATE_WINDOW_SECONDS, room.slow_mode_seconds)
    remember = [(last_sent_key(room.id, author.id), last_sent_encode(send.text, time.time()), ttl)]
    if send.nonce:
        remember.append((nonce_key(room.id, author.id, send.nonce), 1, ttl))
    if room.unique_chat and len(send.text) > UNIQUE_CHAT_MIN_LENGTH:
        remember.append((unique_key(room.id, send.text), 1, settings.UNIQUE_CHAT_WINDOW))
    return remember


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


UNIQUE_CHAT_MIN_LENGTH = 9


def _check_standing(send: _Send, membership: Membership | None, standing) -> ChatRefused | None:
    """The rules that need no memory of earlier sends: bans, timeouts, the text itself and
    the room's subscribers-only and emote-only modes (moderators are exempt from modes)."""
    room, author, text = send.room, send.author, send.text
    if standing.banned:
        return ChatRefused(refusal.BANNED, "You are banned from chatting in this room.")
    if standing.timed_out_until is not None:
        left = (standing.timed_out_until - timezone.now()).total_seconds()
        if left > 0:
            return ChatRefused(
                refusal.TIMED_OUT, "You are timed out in this room.", retry_after=left
            )
    if not text:
        return ChatRefused(refusal.EMPTY, "Type a message first.")
    if not is_moderator(user=author, room=room, membership=membership):
        if room.subscribers_only and not (
            membership is not None and (membership.subscriber_tier > 0 or membership.is_vip)
        ):
            return ChatRefused(refusal.SUBSCRIBERS_ONLY, "This room is in subscribers-only mode.")
        if room.emote_only and not is_only_emotes(text, _codes(room, author, membership)):
            return ChatRefused(
                refusal.EMOTE_ONLY, "This room is in emote-only mode: send only emotes."
            )
    if len(text) > MESSAGE_MAX_LENGTH:
        return ChatRefused(
            refusal.TOO_LONG,
            f"Messages are at most {MESSAGE_MAX_LENGTH} characters; yours has {len(text)}.",
        )
    return None


def _check_remembered(
    send: _Send,
    membership: Membership | None,
    remembered: dict[str, Any],
    waited: float,
    terms_version: int,
) -> None:
    """Slow mode and unique chat (not for moderators), the rate limit, the duplicate rule
    and the blocked terms; raises the ``ChatRefused`` of the first one broken."""
    room, author, text = send.room, send.author, send.text
    last = last_sent_decode(remembered[last_sent_key(room.id, author.id)])
    if not is_moderator(user=author, room=room, membership=membership):
        vip = membership is not None and membership.is_vip
        if room.slow_mode_seconds and not vip and last is not None:
            wait = room.slow_mode_seconds - (time.time() - last[0])
            if wait > 0:
                raise ChatRefused(
                    refusal.SLOW_MODE,
                    f"This room is in slow mode: one message every {room.slow_mode_seconds} s.",
                    retry_after=wait,
                )
        if (
            room.unique_chat
            and len(text) > UNIQUE_CHAT_MIN_LENGTH
            and remembered[unique_key(room.id, text)] is not None
        ):
            raise ChatRefused(
                refusal.UNIQUE_CHAT,
                "This room is in unique-chat mode and that message was already posted.",
            )
    if waited > 0:
        limit, window = settings.CHAT_RATE_LIMITS[_rate_role(author, room, membership)]
        raise ChatRefused(
            refusal.RATE_LIMITED,
            f"You are sending messages too quickly: at most {limit} every {window} seconds.",
            retry_after=waited,
        )
    if last is not None and last[1] == text:
        retry_after = DUPLICATE_WINDOW_SECONDS - (time.time() - last[0])
        if retry_after > 0:
            raise ChatRefused(
                refusal.DUPLICATE,
                f"Your message is identical to the one you sent less than "
                f"{DUPLICATE_WINDOW_SECONDS} seconds ago.",
                retry_after=retry_after,
            )
    if first_blocked(text, blocked_terms_for(room_id=room.id, version=terms_version)):
        raise ChatRefused(
            refusal.BLOCKED_TERM,
            "Your message was not sent: it contains a term this room does not allow.",
        )


def _rate_role(author: User, room: Room, membership: Membership | None) -> str:
    if is_moderator(user=author, room=room, membership=membership):
        return "moderator"
    return "bot" if author.is_verified_bot else "regular"


def _emote_tier(room: Room, author: User, membership: Membership | None) -> int:
    """The subscriber tier whose emotes ``author`` may use in ``room`` (all for the broadcaster)."""
    if author.id == room.owner_id or author.is_staff:
        return 3
    return membership.subscriber_tier if membership is not None else 0


def _codes(room: Room, author: User, membership: Membership | None) -> dict[str, str]:
    return emote_codes_for(room=room, tier=_emote_tier(room, author, membership))


def _build(send: _Send, membership: Membership | None, standing) -> None:
    """The message as it will be stored and shown, in its instant rendering."""
    room, author = send.room, send.author
    moderates = is_moderator(user=author, room=room, membership=membership)
    codes = _codes(room, author, membership)
    # The instant rendering is seeded by the message id: every process agrees on it.
    message_id = uuid.uuid4()
    display_text = render_instant(
        send.text, room.style.instant_rules, seed=message_id.int, emotes=codes
    )
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
    )
    badges = badges_for(user=author, membership=membership, owner_id=room.owner_id)
    send.author_payload = events.author_payload(user=author, badges=badges)
    send.review = not moderates and bool(room.automod_level or room.pre_moderation)


def message_send(*, room: Room, author: User | None, text: str, nonce: str = "") -> SendResult:
    """Check, store, broadcast: the life of a chat message up to its first display.

    Each rule refuses with a ``ChatRefused``. The message is stored with the room's
    next sequence number before anything is broadcast; the broadcast runs after the
    commit. A ``nonce`` seen before returns the first result instead of storing a
    second message. Sends that arrive together, from any thread or connection of the
    process, are checked and stored as one batch (``_send_batch``); each caller returns
    once its own message is stored.
    """
    send = _send_request(room, author, text, nonce)
    if connection.in_atomic_block:  # inside the caller's transaction, which decides
        alone = Pending(send)
        _send_batch([alone])
        return alone.outcome()
    return _committer.submit(send)


def send_committers_stop() -> None:
    """Finish the queued sends and end the committer threads, closing their database
    connections (a shutting-down process; the test suite's end). The next send starts
    them again."""
    _committer.stop()


def amessage_send(
    *, room: Room, author: User | None, text: str, nonce: str = ""
) -> Awaitable[SendResult]:
    """``message_send`` for the event loop (the WebSocket consumers): the same batch, with
    no thread of the caller's waiting on it. The send is queued before this returns, so a
    connection's messages keep the order it sent them while earlier ones are still on
    their way; await the result (a refusal is raised there too)."""
    try:
        return _committer.queue(_send_request(room, author, text, nonce))
    except ChatRefused as refused:
        refusal_ = asyncio.get_running_loop().create_future()
        refusal_.set_exception(refused)
        return refusal_


def _send_request(room: Room, author: User | None, text: str, nonce: str) -> _Send:
    """The checks that need nothing but the request."""
    if author is None or not author.is_authenticated:
        raise ChatRefused(refusal.NOT_LOGGED_IN, "Log in to chat.")
    if nonce and not NONCE_RE.match(nonce):
        raise ChatRefused(refusal.INVALID_NONCE, "A nonce is 1 to 64 letters, digits, '-' or '_'.")
    return _Send(room, author, clean_text(text), nonce)


def _unavailable(room: Room) -> ChatRefused:
    return ChatRefused(
        refusal.UNAVAILABLE,
        "Chat is having trouble storing messages; nothing was sent. Try again shortly.",
        retry_after=2,
    )


def message_parts(message: Message, payload: dict[str, Any]) -> list[events.Part]:
    """Who sees a just-stored message, and as what, in the state it is in now."""
    if message.state == Message.State.VISIBLE:
        return [
            (events.ALL, events.message_frame(payload)),
            (events.MODS, events.original_frame(message)),
        ]
    if message.state == Message.State.SHADOWED:
        # Only the author's own connections see it, as if all were well; moderators
        # see it marked. Everyone else's hub just moves past its seq.
        return [
            (events.to_user(message.author_id), events.message_frame(payload)),
            (events.MODS, events.message_frame({**payload, "shadowed": True})),
        ]
    if message.state == Message.State.PENDING:
        return [(events.MODS, events.held_frame(held_item(message, payload)))]
    return []  # removed before anyone saw it: the seq is passed over


def _envelope(message: Message, payload: dict[str, Any]) -> dict[str, Any]:
    """A just-stored message's publication, with its seq, to whoever may see it."""
    return events.envelope(message.room_id, message_parts(message, payload), seq=message.seq)


def message_envelopes(*, room_id: int, after: int, upto: int) -> list[dict[str, Any]]:
    """The envelopes of the stored messages after seq ``after`` up to ``upto``, as
    they were published: what a hub fills a hole in its room's feed with."""
    room = Room.objects.select_related("owner").get(pk=room_id)
    messages = list(
        Message.objects.filter(room_id=room_id, seq__gt=after, seq__lte=upto)
        .select_related("author")
        .order_by("seq")
    )
    payloads = message_payloads(room=room, messages=messages)
    return [
        _envelope(message, payload) for message, payload in zip(messages, payloads, strict=True)
    ]


def _schedule_review(message_ids: list[uuid.UUID]) -> None:
    """Queue AutoMod's review. A pending message whose review cannot be queued waits for a
    moderator in the held queue; a visible one simply stays up unreviewed."""
    from moderation.tasks import automod_enqueue

    if not message_ids:
        return
    try:
        automod_enqueue([str(message_id) for message_id in message_ids])
    except (OSError, KombuError, redis.RedisError):
        logger.warning("Could not queue AutoMod for messages %s", message_ids, exc_info=True)


def _schedule_rewrites(message_ids: list[uuid.UUID]) -> None:
    """Queue the LLM rewrites of a batch of sends as one task (one broker message per
    batch, not per send); if the broker is unreachable, the instant text simply stands."""
    if settings.LLM_BACKEND == "off" or not message_ids:
        return
    from rooms.tasks import skibidify_messages

    try:
        skibidify_messages.apply_async(
            ([str(message_id) for message_id in message_ids],),
            expires=settings.LLM_MAX_AGE,
            retry=False,
        )
    except (OSError, KombuError):
        logger.warning("Could not queue the rewrites of messages %s", message_ids, exc_info=True)


@functools.cache
def _llm_backend() -> Backend | None:
    """The configured backend, built once per process (the embedded model loads once)."""
    return backend_from_config(
        settings.LLM_BACKEND,
        base_url=settings.LLM_BASE_URL,
        model=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY,
        timeout=settings.LLM_TIMEOUT,
        threads=settings.LLM_THREADS,
    )


def llm_warm_up() -> None:
    """Load the embedded model now (worker start), so the first rewrite is not slow."""
    backend = _llm_backend()
    if isinstance(backend, EmbeddedBackend):
        try:
            backend.load()
        except LLMError:
            logger.exception("The embedded model could not be loaded")


# Messages worth rewriting: shown, or waiting to be shown.
REWRITABLE = (
    Message.State.VISIBLE,
    Message.State.SHADOWED,
    Message.State.PENDING,
    Message.State.HELD,
)


def message_llm_rewrite(*, message_id: str, backend: Backend | None = None) -> Message | None:
    """Replace a message's instant text with the room LLM's rewrite, everywhere.

    Idempotent, and harmless when it cannot help: a message that is gone, hidden,
    already rewritten or too old to matter, an open circuit breaker, a failing
    backend or an output that fails the checks all leave the instant text as it
    is. Returns the updated message, or None when nothing changed.
    """
    message = Message.objects.select_related("room__style", "author").filter(pk=message_id).first()
    if message is None or message.state not in REWRITABLE or message.engine != "instant":
        return None
    age = (timezone.now() - message.created_at).total_seconds()
    if age > settings.LLM_MAX_AGE:
        logger.info("Skipping the rewrite of %s: %.0fs old", message_id, age)
        return None
    backend = backend or _llm_backend()
    if backend is None or breaker_is_open():
        return None

    style = message.room.style
    prompt = StylePrompt(
        system=style.llm_system_prompt,
        examples=[tuple(pair) for pair in style.llm_examples],
        temperature=style.llm_temperature,
        max_tokens=style.llm_max_tokens,
    )
    try:
        raw = backend.complete(
            chat_messages(prompt, message.original_text),
            temperature=prompt.temperature,
            max_tokens=prompt.max_tokens,
        )
    except LLMError as error:
        opened = breaker_record_failure(
            failures=settings.LLM_BREAKER_FAILURES,
            window=settings.LLM_BREAKER_WINDOW,
            cooldown=settings.LLM_BREAKER_COOLDOWN,
        )
        logger.warning("LLM rewrite of %s failed: %s%s", message_id, error,
                       " (circuit breaker opened)" if opened else "")  # fmt: skip
        return None
    breaker_record_success()

    room, author = message.room, message.author
    membership = membership_get(room=room, user=author) if author else None
    codes = emote_codes_for(room=room, tier=_emote_tier(room, author, membership)) if author else {}
    keep = {
        word for word in message.original_text.split(" ") if word in codes or word.startswith("@")
    }
    text = clean_output(raw)
    refusal_reason = check_output(
        text, original=message.original_text, keep=keep, markers=style.markers
    )
    if refusal_reason is None and first_blocked(text, blocked_terms_for(room_id=room.id)):
        refusal_reason = "blocked term"
    if refusal_reason:
        logger.info("LLM rewrite of %s refused (%s): %r", message_id, refusal_reason, raw[:200])
        return None

    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, state__in=REWRITABLE, engine="instant"
        ).update(
            display_text=text,
            engine=f"llm:{backend.name}",
            emotes=[list(e) for e in find_emotes(text, codes)],
        )
        if not updated:
            return None
        message.refresh_from_db()
        frame = events.update_frame(message)
        if message.state == Message.State.VISIBLE:
            transaction.on_commit(lambda: events.broadcast(room.id, frame))
        elif message.state == Message.State.SHADOWED:
            author = events.to_user(message.author_id)
            transaction.on_commit(lambda: events.broadcast(room.id, frame, audience=author))
        # A waiting message is shown with its rewrite when it is allowed.
    return message


@dataclass(frozen=True)
class CommandResult:
    notice: str  # the confirmation shown to whoever typed the command


def chat_is_command(author: User | None, text: str) -> bool:
    """Whether what a chatter typed is a chat command rather than a message."""
    from moderation.commands import is_command

    return author is not None and author.is_authenticated and is_command(text.lstrip())


def chat_submit(
    *, room: Room, author: User | None, text: str, nonce: str = "", source: str = "api"
) -> SendResult | CommandResult:
    """What every interface calls with what a chatter typed: a chat command or a message."""
    from moderation.services import command_execute

    if chat_is_command(author, text):
        return CommandResult(
            command_execute(room=room, actor=author, text=text.strip(), source=source)
        )
    return message_send(room=room, author=author, text=text, nonce=nonce)


def achat_submit(
    *, room: Room, author: User | None, text: str, nonce: str = "", source: str = "api"
) -> Awaitable[SendResult | CommandResult]:
    """``chat_submit`` for the event loop: a message joins the send batches at once,
    without a thread of its own (``amessage_send``); a command runs on the thread pool
    once awaited."""
    if chat_is_command(author, text):
        return sync_to_async(chat_submit, thread_sensitive=False)(
            room=room, author=author, text=text, nonce=nonce, source=source
        )
    return amessage_send(room=room, author=author, text=text, nonce=nonce)
