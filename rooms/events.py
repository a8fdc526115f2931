"""Events pushed to the clients of a room: names, payload builders, the broadcast.

Every frame is documented in ``docs/protocol.md`` and checked against it by a
contract test. A frame is serialised to JSON once, here, into an envelope that
the channel layer carries with one publish per change; each process's hub
(``rooms.hub``) receives it once and writes the ready text to its sockets.
"""

import hashlib
import json
import logging
from typing import Any

import redis
from channels.layers import get_channel_layer
from django.conf import settings

from chatsite.redis import shard_client
from rooms.models import Message, Room

logger = logging.getLogger(__name__)

# Server -> client frame types (FRAME_TYPES lists them all).
HISTORY = "history"
RESYNC = "resync"
MESSAGE = "message"
UPDATE = "update"
DELETE = "delete"
CLEAR_USER = "clear_user"
ROOM_STATE = "room_state"
PRESENCE = "presence"
ACK = "ack"
ERROR = "error"
PONG = "pong"
RECONNECT = "reconnect"
ORIGINAL = "original"  # moderators only
NOTICE = "notice"  # to one user: a command's confirmation, or news of their held message
CLEAR_CHAT = "clear_chat"
HELD = "held"  # moderators only: a message entered the held queue
HELD_RESOLVED = "held_resolved"  # moderators only: it was allowed or denied
AUDIT = "audit"  # moderators only: a new audit log entry
DASHBOARD = "dashboard"  # the mod dashboard's snapshot on connect
BATCH = "batch"  # several frames that arrived within one tick, in order

FRAME_TYPES = (HISTORY, RESYNC, MESSAGE, UPDATE, DELETE, CLEAR_USER, ROOM_STATE, PRESENCE, ACK,
               ERROR, PONG, ORIGINAL, NOTICE, CLEAR_CHAT, HELD, HELD_RESOLVED, AUDIT, DASHBOARD,
               BATCH, RECONNECT)  # fmt: skip

# Who gets a part of an envelope: everyone watching the room, its moderators, or one user.
ALL = "all"
MODS = "mods"


def to_user(user_id: int) -> str:
    """The audience of one user's connections to a room (notices, their shadowed messages)."""
    return f"u:{user_id}"


# The channel-layer message that carries one change of a room to every process's hub.
LAYER_EVENT = "room.event"


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def author_payload(*, user, badges: list[tuple[str, str]], membership=None) -> dict[str, Any]:
    payload = {
        "id": user.id,
        "login": user.username,
        "display_name": user.chat_name,
        "color": user.effective_color,
        "badges": [list(badge) for badge in badges],
    }
    if membership is not None and membership.subscriber_tier > 0:
        payload["subscriber_months"] = membership.subscriber_months  # Twitch's badge-info
    return payload


def message_payload(*, message: Message, author: dict[str, Any] | None) -> dict[str, Any]:
    """One message as every client sees it (no original text: that is for moderators)."""
    payload = {
        "id": str(message.id),
        "seq": message.seq,
        "author": author,
        "text": message.display_text,
        "emotes": message.emotes,
        "engine": message.engine,
        "sent_at": message.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if message.is_action:
        payload["action"] = True  # a /me message
    if message.reply_parent:
        payload["reply"] = message.reply_parent  # the message it answers, as it was
    if message.is_first:
        payload["first"] = True  # the author's first message in the room
    return payload


def message_frame(payload: dict[str, Any]) -> dict[str, Any]:
    return {"type": MESSAGE, "message": payload}


def history_frame(
    *,
    last_seq: int,
    messages: list[dict[str, Any]],
    resync: bool = False,
    removed: list[str] | None = None,
    restored: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What a connection gets first: the recent messages (``resync`` after a gap too big
    to fill), or, when ``removed`` is given, what it missed since it last saw the room."""
    if removed is not None:
        return {"type": HISTORY, "resumed": True, "last_seq": last_seq, "messages": messages,
                "removed": removed, "restored": restored or []}  # fmt: skip
    return {"type": RESYNC if resync else HISTORY, "resumed": False, "last_seq": last_seq,
            "messages": messages}  # fmt: skip


def moderated_payload(message: Message, payload: dict[str, Any]) -> dict[str, Any]:
    """A message as moderators see it on the dashboard: with what was really written."""
    return {**payload, "original": message.original_text, "state": message.state}


def held_item(message: Message, payload: dict[str, Any]) -> dict[str, Any]:
    """One held-queue item: the message as chatters would see it, what was really written,
    and why AutoMod (or pre-moderation) kept it back."""
    return {
        **moderated_payload(message, payload),
        "reason": message.held_reason,
        "scores": message.automod_scores or {},
    }


def dashboard_frame(
    room: Room,
    *,
    last_seq: int,
    messages: list[dict[str, Any]],
    held: list[dict[str, Any]],
    audit: list[dict[str, Any]],
    blocked_terms: list[dict[str, Any]],
    rewrites: dict[str, int],
) -> dict[str, Any]:
    """Everything the mod dashboard shows when it (re)connects, as one frame."""
    return {"type": DASHBOARD, "room": room_state_frame(room), "last_seq": last_seq,
            "messages": messages, "held": held, "audit": audit,
            "blocked_terms": blocked_terms, "rewrites": rewrites}  # fmt: skip


def update_frame(message: Message) -> dict[str, Any]:
    return {
        "type": UPDATE,
        "id": str(message.id),
        "seq": message.seq,
        "text": message.display_text,
        "emotes": message.emotes,
        "engine": message.engine,
    }


def delete_frame(message: Message) -> dict[str, Any]:
    return {"type": DELETE, "id": str(message.id), "seq": message.seq}


def clear_user_frame(*, user_id: int, login: str, duration: int | None) -> dict[str, Any]:
    return {"type": CLEAR_USER, "user_id": user_id, "login": login, "duration": duration}


def room_state_frame(room: Room) -> dict[str, Any]:
    return {
        "type": ROOM_STATE,
        "room": room.slug,
        "slow_mode_seconds": room.slow_mode_seconds,
        "emote_only": room.emote_only,
        "subscribers_only": room.subscribers_only,
        "unique_chat": room.unique_chat,
        "pre_moderation": room.pre_moderation,
        "automod_level": room.automod_level,
    }


def presence_frame(*, viewers: int, chatters: list[str], chatter_count: int) -> dict[str, Any]:
    return {
        "type": PRESENCE,
        "viewers": viewers,
        "chatter_count": chatter_count,
        "chatters": chatters,
    }


def original_frame(message: Message) -> dict[str, Any]:
    return {
        "type": ORIGINAL,
        "id": str(message.id),
        "seq": message.seq,
        "original": message.original_text,
    }


def clear_chat_frame() -> dict[str, Any]:
    return {"type": CLEAR_CHAT}


def notice_frame(
    message: str, *, nonce: str = "", code: str = "", message_id=None, retry_after=None
) -> dict:
    frame: dict[str, Any] = {"type": NOTICE, "message": message}
    if nonce:
        frame["nonce"] = nonce
    if code:
        frame["code"] = code
    if message_id is not None:
        frame["id"] = str(message_id)
    if retry_after:
        frame["retry_after"] = round(retry_after, 1)  # a timeout: seconds until it ends
    return frame


def held_frame(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": HELD, "item": item}


def held_resolved_frame(message: Message, *, decision: str, by: str | None) -> dict[str, Any]:
    return {"type": HELD_RESOLVED, "id": str(message.id), "decision": decision, "by": by}


def audit_frame(entry: dict[str, Any]) -> dict[str, Any]:
    return {"type": AUDIT, "entry": entry}


def ack_frame(message: Message, *, nonce: str, created: bool) -> dict[str, Any]:
    """The sender's acknowledgement: their message is stored (a retried nonce: the first)."""
    shadowed = message.state == Message.State.SHADOWED
    return {
        "type": ACK,
        "nonce": nonce,
        "id": str(message.id),
        "seq": message.seq,
        "original": message.original_text,
        "state": "visible" if shadowed else message.state,  # a shadow-banned sender never knows
        "duplicate_nonce": not created,
    }


def pong_frame() -> dict[str, Any]:
    return {"type": PONG}


def reconnect_frame() -> dict[str, Any]:
    """The server is restarting (a deploy): reconnect at once, with ``?since=``."""
    return {"type": RECONNECT, "message": "The server is restarting: reconnecting."}


def error_frame(
    code: str, message: str, *, retry_after: float | None = None, nonce: str | None = None
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": ERROR, "code": str(code), "message": message}
    if retry_after is not None:
        frame["retry_after"] = round(retry_after, 1)
    if nonce:
        frame["nonce"] = nonce
    return frame


Part = tuple[str, dict[str, Any]]


# Who sees a message, by its state. A shadow-banned user's message and its rewrite go
# to its author, as if all were well, and to the moderators, marked; nobody else.
def message_parts(message: Message, payload: dict[str, Any]) -> list[Part]:
    """Who sees a just-stored message, and as what, in the state it is in now."""
    if message.state == Message.State.VISIBLE:
        return [(ALL, message_frame(payload)), (MODS, original_frame(message))]
    if message.state == Message.State.SHADOWED:
        # Everyone else's hub just moves past its seq.
        return [
            (to_user(message.author_id), message_frame(payload)),
            (MODS, message_frame({**payload, "shadowed": True})),
        ]
    if message.state == Message.State.PENDING:
        return [(MODS, held_frame(held_item(message, payload)))]
    return []  # removed before anyone saw it: the seq is passed over


def update_parts(message: Message) -> list[Part]:
    """Who sees a message's new text (its LLM rewrite): whoever saw the message."""
    frame = update_frame(message)
    if message.state == Message.State.VISIBLE:
        return [(ALL, frame)]
    if message.state == Message.State.SHADOWED:
        return [(to_user(message.author_id), frame), (MODS, frame)]
    return []  # a waiting message is shown with its new text when it is allowed


def message_envelope(message: Message, payload: dict[str, Any]) -> dict[str, Any]:
    """A stored message's publication, with its seq, to whoever may see it."""
    return envelope(message.room_id, message_parts(message, payload), seq=message.seq)


def envelope(
    room_id: int, parts: list[Part], *, seq: int | None = None, control: str | None = None
) -> dict[str, Any]:
    """One change of a room as the hubs receive it: each frame serialised once, here.

    ``seq`` is set on the envelope of a stored message (even one that only some see):
    the hubs deliver those in ``seq`` order. ``control`` asks the hubs to act:
    ``roles:<user id>`` (look that user's roles up again), ``room`` (reload the room).
    """
    return {
        "type": LAYER_EVENT,
        "room": room_id,
        "seq": seq,
        "parts": [[audience, dumps(frame)] for audience, frame in parts],
        "control": control,
    }


def publish(
    room_id: int, parts: list[Part], *, seq: int | None = None, control: str | None = None
) -> None:
    """Publish a change of the room to every process, from sync code (actions, tasks)."""
    publish_many([envelope(room_id, parts, seq=seq, control=control)])


def publish_many(
    envelopes: list[dict[str, Any]], *, along: redis.client.Pipeline | None = None
) -> None:
    """Publish envelopes to their rooms' groups: the channel layer's own serialisation,
    PUBLISHed to each room group's Redis channel on the shard the layer would use, with a
    plain Redis client (no thread ever waits on an event loop, and Celery workers need no
    loop); one pipelined round trip per shard. A room's envelopes go as one Redis message
    (``room_envelopes``), in the order given: every process that serves the room receives
    and unpacks one message per batch of sends, not one per send.

    ``along``: a pipeline of other work for the actions' own Redis (``redis_client``),
    executed here. When that server is a shard too (the default), the publications on it
    join the pipeline: one round trip for both.
    """
    layer = get_channel_layer()
    by_room: dict[int, list[dict[str, Any]]] = {}
    for item in envelopes:
        by_room.setdefault(item["room"], []).append(item)
    pipes: dict[int, redis.client.Pipeline] = {}
    if along is not None:
        pipes[id(along.connection_pool)] = along
    for room_id, items in by_room.items():
        channel = _group_channel(room_group(room_id))
        client = shard_client(channel)
        pipe = pipes.get(id(client.connection_pool))
        if pipe is None:
            pipe = pipes[id(client.connection_pool)] = client.pipeline(transaction=False)
        item = items[0] if len(items) == 1 else room_envelopes(room_id, items)
        pipe.publish(channel, layer.serialize(item))
    for pipe in pipes.values():
        if not len(pipe):
            continue
        try:
            pipe.execute()
        except (redis.ConnectionError, redis.TimeoutError):
            # What was committed stays committed: the hubs fill a stored message's seq from
            # the database when the next one arrives, and a reconnecting client resumes.
            logger.warning("could not publish to Redis: it is unreachable")


def room_envelopes(room_id: int, envelopes: list[dict[str, Any]]) -> dict[str, Any]:
    """Several envelopes of one room as one layer message; ``unpack`` gives them back."""
    return {"type": LAYER_EVENT, "room": room_id, "envelopes": envelopes}


def unpack(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The envelopes a layer message carries: itself, or a ``room_envelopes``' in order."""
    return message.get("envelopes") or [message]


async def apublish(room_id: int, parts: list[Part]) -> None:
    """``publish`` from async code, for frames that carry no seq (presence)."""
    await get_channel_layer().group_send(room_group(room_id), envelope(room_id, parts))


def broadcast(room_id: int, frame: dict[str, Any], *, audience: str = ALL) -> None:
    """Publish one frame to the room's ``audience`` (everyone by default)."""
    publish(room_id, [(audience, frame)])


def _group_channel(group: str) -> str:
    """The Redis channel that ``RedisPubSubChannelLayer`` uses for ``group``."""
    return f"{settings.CHANNEL_LAYERS['default']['CONFIG']['prefix']}__group__{group}"


SIGN_OUTS = "sign-outs"  # the group every hub listens on for users to disconnect


def session_tag(session_key: str) -> str:
    """What a socket remembers of the session it logged in with (not the key itself)."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:24]


def sign_out(*, user_id: int, session_key: str = "", tokens: bool = False) -> None:
    """Close the user's open connections in every process: those of one login session (a
    log out), those logged in with an API token (IRC: the tokens were revoked or rotated),
    or all of them (a deactivated or deleted account)."""
    channel = _group_channel(SIGN_OUTS)
    event = {"type": LAYER_EVENT, "sign_out": {"user": user_id}}
    if session_key:
        event["sign_out"]["session"] = session_tag(session_key)
    elif tokens:
        event["sign_out"]["session"] = ""  # the sockets that came without a session
    try:
        shard_client(channel).publish(channel, get_channel_layer().serialize(event))
    except (redis.ConnectionError, redis.TimeoutError):
        logger.warning("could not publish a sign-out: Redis is unreachable")


def roles_changed(room_id: int, user_id: int, *, notice: dict[str, Any] | None = None) -> None:
    """Make ``user_id``'s open connections to the room look their roles up again (a new
    moderator starts getting what moderators get; a former one stops, at once), then
    tell them ``notice``."""
    parts = [(to_user(user_id), notice)] if notice else []
    publish(room_id, parts, control=f"roles:{user_id}")


def room_changed(room: Room) -> None:
    """The room's modes, level or style changed: every hub reloads it (the send path checks
    the new state at once) and every screen gets the new ``room_state``."""
    publish(room.id, [(ALL, room_state_frame(room))], control="room")
