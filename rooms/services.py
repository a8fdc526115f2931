"""Writes that change rooms, their memberships and their messages.

``message_send`` is the one send path: the WebSocket consumer, the REST API
and the IRC gateway all call it, so no interface has rules of its own.
"""

import functools
import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from kombu.exceptions import KombuError

from chatsite.users.models import User
from emotes.parsing import find_emotes, is_only_emotes
from emotes.selectors import emote_codes_for
from moderation.selectors import blocked_terms_for, held_item, sender_get
from moderation.terms import first_blocked
from rooms import events
from rooms import exceptions as refusal
from rooms.badges import badges_for
from rooms.exceptions import ChatRefused
from rooms.groupcommit import GroupCommit, Pending
from rooms.limits import rate_limit_take
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


def _take_seqs(room_id: int, count: int) -> int:
    """Take the room's next ``count`` sequence numbers; returns the last. The row lock
    orders concurrent writers of the room, in any process.

    Runs inside the storing transaction, so a failed insert gives the numbers back
    and the sequence stays gap-free.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Room._meta.db_table} SET last_seq = last_seq + %s "  # noqa: S608
            "WHERE id = %s RETURNING last_seq",
            [count, room_id],
        )
        return cursor.fetchone()[0]


class _Stored:
    """A checked message on its way into the database, and what its publication needs."""

    __slots__ = ("author", "message", "payload", "review")

    def __init__(self, message: Message, *, author: dict[str, Any], review: bool) -> None:
        self.message = message
        self.author = author
        self.review = review  # AutoMod reviews it after the commit
        self.payload: dict[str, Any] | None = None  # set once it is stored


def _insert(batch: list[_Stored]) -> None:
    """Store checked messages in the current transaction: one sequence-number update per
    room, one multi-row insert, and their publications after the commit, in seq order."""
    by_room: dict[int, list[_Stored]] = {}
    for stored in batch:
        by_room.setdefault(stored.message.room_id, []).append(stored)
    for room_id in sorted(by_room):  # one lock order for every writer: no deadlock
        mine = by_room[room_id]
        first = _take_seqs(room_id, len(mine)) - len(mine) + 1
        for offset, stored in enumerate(mine):
            stored.message.seq = first + offset
    Message.objects.bulk_create([stored.message for stored in batch])
    for stored in sorted(batch, key=lambda s: (s.message.room_id, s.message.seq)):
        message = stored.message
        stored.payload = events.message_payload(message=message, author=stored.author)
        transaction.on_commit(functools.partial(_announce, message, stored.payload))
        if stored.review:
            transaction.on_commit(functools.partial(_schedule_review, message.id))
        transaction.on_commit(functools.partial(_schedule_rewrite, message.id))


def _store_batch(batch: list[Pending]) -> None:
    """Store a group commit's messages in one transaction. If one of them cannot be stored
    (its nonce raced in from another connection), each is stored on its own instead."""
    try:
        with transaction.atomic():
            _insert([pending.request for pending in batch])
    except IntegrityError as error:
        if len(batch) == 1:
            batch[0].error = error
            return
        for pending in batch:
            try:
                with transaction.atomic():
                    _insert([pending.request])
            except DatabaseError as alone:
                pending.error = alone
            else:
                pending.result = pending.request
        return
    for pending in batch:
        pending.result = pending.request


# Sends from every thread of this process share transactions (rooms/groupcommit.py).
_committer = GroupCommit(_store_batch)


def _duplicate_key(room_id: int, user_id: int) -> str:
    return f"dup:{room_id}:{user_id}"


UNIQUE_CHAT_MIN_LENGTH = 9


def _slow_key(room_id: int, user_id: int) -> str:
    return f"slow:{room_id}:{user_id}"


def _unique_key(room_id: int, text: str) -> str:
    folded = " ".join(text.casefold().split())
    return f"unique:{room_id}:{hashlib.sha256(folded.encode()).hexdigest()[:32]}"


def _check_room_modes(
    room: Room,
    author: User,
    membership: Membership | None,
    text: str,
    codes: dict[str, str],
    remembered: dict,
) -> None:
    """Slow, subscribers-only, emote-only and unique chat (moderators are exempt from all)."""
    if room.slow_mode_seconds and not (membership is not None and membership.is_vip):
        last = remembered.get(_slow_key(room.id, author.id))
        if last is not None:
            wait = room.slow_mode_seconds - (time.time() - last)
            if wait > 0:
                raise ChatRefused(
                    refusal.SLOW_MODE,
                    f"This room is in slow mode: one message every {room.slow_mode_seconds} s.",
                    retry_after=wait,
                )
    if room.subscribers_only and not (
        membership is not None and (membership.subscriber_tier > 0 or membership.is_vip)
    ):
        raise ChatRefused(refusal.SUBSCRIBERS_ONLY, "This room is in subscribers-only mode.")
    if room.emote_only and not is_only_emotes(text, codes):
        raise ChatRefused(refusal.EMOTE_ONLY, "This room is in emote-only mode: send only emotes.")
    if (
        room.unique_chat
        and len(text) > UNIQUE_CHAT_MIN_LENGTH
        and remembered.get(_unique_key(room.id, text)) is not None
    ):
        raise ChatRefused(
            refusal.UNIQUE_CHAT,
            "This room is in unique-chat mode and that message was already posted.",
        )


def _nonce_key(room_id: int, user_id: int, nonce: str) -> str:
    """Remembered as long as the duplicate rule's key: a later retry of the nonce finds its
    message through the database's unique constraint instead."""
    return f"nonce:{room_id}:{user_id}:{nonce}"


def _remember_sent(room: Room, author: User, text: str, nonce: str) -> None:
    """Remember what the duplicate, slow-mode and unique-chat rules and a retried nonce
    need of this message."""
    now = time.time()
    remember = {_duplicate_key(room.id, author.id): (text, now), _slow_key(room.id, author.id): now}
    if nonce:
        remember[_nonce_key(room.id, author.id, nonce)] = 1
    cache.set_many(remember, max(DUPLICATE_WINDOW_SECONDS, room.slow_mode_seconds))
    if room.unique_chat and len(text) > UNIQUE_CHAT_MIN_LENGTH:
        cache.set(_unique_key(room.id, text), 1, settings.UNIQUE_CHAT_WINDOW)


def _check_rate_limit(author: User, moderates: bool) -> None:
    role = "moderator" if moderates else "bot" if author.is_verified_bot else "regular"
    limit, window = settings.CHAT_RATE_LIMITS[role]
    wait = rate_limit_take(key=f"user:{author.id}", limit=limit, window_seconds=window)
    if wait > 0:
        raise ChatRefused(
            refusal.RATE_LIMITED,
            f"You are sending messages too quickly: at most {limit} every {window} seconds.",
            retry_after=wait,
        )


def _check_duplicate(room: Room, author: User, text: str, remembered: dict) -> None:
    previous = remembered.get(_duplicate_key(room.id, author.id))
    if previous is None or previous[0] != text:
        return
    retry_after = DUPLICATE_WINDOW_SECONDS - (time.time() - previous[1])
    if retry_after > 0:
        raise ChatRefused(
            refusal.DUPLICATE,
            f"Your message is identical to the one you sent less than "
            f"{DUPLICATE_WINDOW_SECONDS} seconds ago.",
            retry_after=retry_after,
        )


def _emote_tier(room: Room, author: User, membership: Membership | None) -> int:
    """The subscriber tier whose emotes ``author`` may use in ``room`` (all for the broadcaster)."""
    if author.id == room.owner_id or author.is_staff:
        return 3
    return membership.subscriber_tier if membership is not None else 0


def message_send(*, room: Room, author: User | None, text: str, nonce: str = "") -> SendResult:
    """Check, store, broadcast: the life of a chat message up to its first display.

    Checks run cheapest first and each refuses with a ``ChatRefused``. The
    message is stored with the room's next sequence number before anything is
    broadcast; the broadcast runs after the commit. A ``nonce`` seen before
    returns the first result instead of storing a second message.
    """
    if author is None or not author.is_authenticated:
        raise ChatRefused(refusal.NOT_LOGGED_IN, "Log in to chat.")
    if nonce and not NONCE_RE.match(nonce):
        raise ChatRefused(refusal.INVALID_NONCE, "A nonce is 1 to 64 letters, digits, '-' or '_'.")
    try:
        cleaned = clean_text(text)
        # What the rules remember about this sender, text and nonce: one Redis round trip.
        remembered = cache.get_many(
            [
                _slow_key(room.id, author.id),
                _unique_key(room.id, cleaned),
                _duplicate_key(room.id, author.id),
                *([_nonce_key(room.id, author.id, nonce)] if nonce else []),
            ]
        )
        if nonce and remembered.get(_nonce_key(room.id, author.id, nonce)):
            earlier = message_get_by_nonce(room=room, author=author, nonce=nonce)
            if earlier is not None:
                return SendResult(
                    earlier, message_payloads(room=room, messages=[earlier])[0], False
                )

        membership, standing = sender_get(room=room, user=author)
        if standing.banned:
            raise ChatRefused(refusal.BANNED, "You are banned from chatting in this room.")
        if standing.timed_out_until is not None:
            left = (standing.timed_out_until - timezone.now()).total_seconds()
            raise ChatRefused(
                refusal.TIMED_OUT, "You are timed out in this room.", retry_after=left
            )

        if not cleaned:
            raise ChatRefused(refusal.EMPTY, "Type a message first.")
        moderates = is_moderator(user=author, room=room, membership=membership)
        codes = emote_codes_for(room=room, tier=_emote_tier(room, author, membership))
        if not moderates:
            _check_room_modes(room, author, membership, cleaned, codes, remembered)
        if len(cleaned) > MESSAGE_MAX_LENGTH:
            raise ChatRefused(
                refusal.TOO_LONG,
                f"Messages are at most {MESSAGE_MAX_LENGTH} characters; yours has {len(cleaned)}.",
            )
        _check_rate_limit(author, moderates)
        _check_duplicate(room, author, cleaned, remembered)
        if first_blocked(cleaned, blocked_terms_for(room_id=room.id)):
            raise ChatRefused(
                refusal.BLOCKED_TERM,
                "Your message was not sent: it contains a term this room does not allow.",
            )

        # The instant rendering is seeded by the message id: every process agrees on it.
        message_id = uuid.uuid4()
        display_text = render_instant(
            cleaned, room.style.instant_rules, seed=message_id.int, emotes=codes
        )
        emotes = find_emotes(display_text, codes)
        badges = badges_for(user=author, membership=membership, owner_id=room.owner_id)

        if standing.shadow_banned:
            state = Message.State.SHADOWED
        elif room.pre_moderation and not moderates:
            state = Message.State.PENDING
        else:
            state = Message.State.VISIBLE
        message = Message(
            id=message_id,
            room=room,
            author=author,
            original_text=cleaned,
            display_text=display_text,
            engine="instant",
            state=state,
            emotes=[list(e) for e in emotes],
            nonce=nonce,
        )
        stored = _Stored(
            message,
            author=events.author_payload(user=author, badges=badges),
            review=not moderates and bool(room.automod_level or room.pre_moderation),
        )
        try:
            if connection.in_atomic_block:  # inside the caller's transaction, which decides
                alone = Pending(stored)
                _store_batch([alone])
                alone.outcome()
            else:
                _committer.submit(stored)
        except IntegrityError:
            # The same nonce raced in from another connection: return its result.
            earlier = message_get_by_nonce(room=room, author=author, nonce=nonce) if nonce else None
            if earlier is None:
                raise
            return SendResult(earlier, message_payloads(room=room, messages=[earlier])[0], False)
        payload = stored.payload
    except DatabaseError as error:
        logger.exception("Storing a message in room %s failed", room.slug)
        raise ChatRefused(
            refusal.UNAVAILABLE,
            "Chat is having trouble storing messages; nothing was sent. Try again shortly.",
            retry_after=2,
        ) from error

    _remember_sent(room, author, cleaned, nonce)
    return SendResult(stored.message, payload, True)


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


def _announce(message: Message, payload: dict[str, Any]) -> None:
    """Publish a just-stored message, with its seq, to whoever may see it."""
    events.publish(message.room_id, message_parts(message, payload), seq=message.seq)


def message_envelopes(*, room_id: int, after: int, upto: int) -> list[dict[str, Any]]:
    """The envelopes of the stored messages after seq ``after`` up to ``upto``, as
    ``_announce`` publishes them: what a hub fills a hole in its room's feed with."""
    room = Room.objects.select_related("owner").get(pk=room_id)
    messages = list(
        Message.objects.filter(room_id=room_id, seq__gt=after, seq__lte=upto)
        .select_related("author")
        .order_by("seq")
    )
    payloads = message_payloads(room=room, messages=messages)
    return [
        events.envelope(room_id, message_parts(message, payload), seq=message.seq)
        for message, payload in zip(messages, payloads, strict=True)
    ]


def _schedule_review(message_id: uuid.UUID) -> None:
    """Queue AutoMod's review. A pending message whose task cannot be queued waits for a
    moderator in the held queue; a visible one simply stays up unreviewed."""
    from moderation.tasks import automod_enqueue

    try:
        automod_enqueue(str(message_id))
    except (OSError, KombuError):
        logger.warning("Could not queue AutoMod for message %s", message_id, exc_info=True)


def _schedule_rewrite(message_id: uuid.UUID) -> None:
    """Queue the LLM rewrite; if the broker is unreachable, the instant text simply stands."""
    if settings.LLM_BACKEND == "off":
        return
    from rooms.tasks import skibidify_message

    try:
        skibidify_message.apply_async((str(message_id),), expires=settings.LLM_MAX_AGE, retry=False)
    except (OSError, KombuError):
        logger.warning("Could not queue the rewrite of message %s", message_id, exc_info=True)


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


def chat_submit(
    *, room: Room, author: User | None, text: str, nonce: str = "", source: str = "api"
) -> SendResult | CommandResult:
    """What every interface calls with what a chatter typed: a chat command or a message."""
    from moderation.commands import is_command
    from moderation.services import command_execute

    if author is not None and author.is_authenticated and is_command(text.lstrip()):
        return CommandResult(
            command_execute(room=room, actor=author, text=text.strip(), source=source)
        )
    return message_send(room=room, author=author, text=text, nonce=nonce)
