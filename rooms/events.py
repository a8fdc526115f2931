"""Events pushed to the clients of a room: names, payload builders, the broadcast.

Every frame is documented in ``docs/protocol.md`` and checked against it by a
contract test. A frame is serialised to JSON once, here; the consumers forward
the string as it is, and the channel layer carries it with one publish per room.
"""

import json
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from chatsite.redis import redis_client
from rooms.models import Message, Room

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

FRAME_TYPES = (HISTORY, RESYNC, MESSAGE, UPDATE, DELETE, CLEAR_USER, ROOM_STATE, PRESENCE, ACK,
               ERROR, PONG, RECONNECT, ORIGINAL, NOTICE, CLEAR_CHAT, HELD, HELD_RESOLVED,
               AUDIT, DASHBOARD)  # fmt: skip

# The channel-layer message type that carries a ready frame to the consumers.
LAYER_FRAME = "room.frame"


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def moderators_group(room_id: int) -> str:
    """The room's moderators' connections: they also get what chatters really wrote."""
    return f"room.{room_id}.mods"


def user_group(room_id: int, user_id: int) -> str:
    """One user's connections to a room: notices for them, and their shadow-banned messages."""
    return f"room.{room_id}.user.{user_id}"


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def author_payload(*, user, badges: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "id": user.id,
        "login": user.username,
        "display_name": user.chat_name,
        "color": user.effective_color,
        "badges": [list(badge) for badge in badges],
    }


def message_payload(*, message: Message, author: dict[str, Any] | None) -> dict[str, Any]:
    """One message as every client sees it (no original text: that is for moderators)."""
    return {
        "id": str(message.id),
        "seq": message.seq,
        "author": author,
        "text": message.display_text,
        "emotes": message.emotes,
        "engine": message.engine,
        "sent_at": message.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


def message_frame(payload: dict[str, Any]) -> dict[str, Any]:
    return {"type": MESSAGE, "message": payload}


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


def notice_frame(message: str, *, nonce: str = "", code: str = "", message_id=None) -> dict:
    frame: dict[str, Any] = {"type": NOTICE, "message": message}
    if nonce:
        frame["nonce"] = nonce
    if code:
        frame["code"] = code
    if message_id is not None:
        frame["id"] = str(message_id)
    return frame


def held_frame(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": HELD, "item": item}


def held_resolved_frame(message: Message, *, decision: str, by: str | None) -> dict[str, Any]:
    return {"type": HELD_RESOLVED, "id": str(message.id), "decision": decision, "by": by}


def audit_frame(entry: dict[str, Any]) -> dict[str, Any]:
    return {"type": AUDIT, "entry": entry}


def reconnect_frame() -> dict[str, Any]:
    return {"type": RECONNECT}


def error_frame(
    code: str, message: str, *, retry_after: float | None = None, nonce: str | None = None
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": ERROR, "code": code, "message": message}
    if retry_after is not None:
        frame["retry_after"] = round(retry_after, 1)
    if nonce:
        frame["nonce"] = nonce
    return frame


def layer_event(frame: dict[str, Any], *, seq: int | None = None) -> dict[str, Any]:
    """Wrap a frame for the channel layer: serialised once, ``seq`` kept for de-duplication."""
    return {"type": LAYER_FRAME, "seq": seq, "frame": dumps(frame)}


async def abroadcast(room_id: int, frame: dict[str, Any], *, seq: int | None = None) -> None:
    await get_channel_layer().group_send(room_group(room_id), layer_event(frame, seq=seq))


def _group_channel(group: str) -> str:
    """The Redis channel that ``RedisPubSubChannelLayer`` uses for ``group``."""
    return f"{settings.CHANNEL_LAYERS['default']['CONFIG']['prefix']}__group__{group}"


def broadcast(
    room_id: int, frame: dict[str, Any], *, seq: int | None = None, group: str | None = None
) -> None:
    """Publish ``frame`` to every client of the room, in every process, from sync code.

    Services and Celery tasks call this. It is the channel layer's own group
    send (one PUBLISH of the layer's serialisation to the group's channel), done
    with a plain Redis client so that no thread ever waits on an event loop: a
    process that stops mid-send cannot hang, and Celery workers need no loop.
    """
    _publish(group or room_group(room_id), layer_event(frame, seq=seq))


# The channel-layer message that tells a user's connections their roles changed.
LAYER_ROLES = "room.roles"


def roles_changed(room_id: int, user_id: int) -> None:
    """Make ``user_id``'s open connections to the room look their roles up again (a new
    moderator starts getting what moderators get; a former one stops, at once)."""
    _publish(user_group(room_id, user_id), {"type": LAYER_ROLES})


def _publish(group: str, event: dict[str, Any]) -> None:
    redis_client().publish(_group_channel(group), get_channel_layer().serialize(event))
