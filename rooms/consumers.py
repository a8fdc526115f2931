"""The browser WebSocket protocol on ``/ws/rooms/<slug>/`` (see ``docs/protocol.md``).

A thin interface: it parses frames, calls the room services and selectors, and
forwards the frames that ``rooms.events`` built. Messages from the channel
layer arrive as ready JSON strings and are sent on as they are.
"""

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from rooms import events, presence
from rooms.exceptions import ChatRefused
from rooms.models import Message, Room
from rooms.selectors import (
    message_changes_upto,
    message_list_recent,
    message_page,
    message_payloads,
    user_moderates,
)
from rooms.services import CommandResult, chat_submit

logger = logging.getLogger(__name__)

HISTORY_SIZE = 10
RESUME_MAX = 500
MAX_FRAME_BYTES = 8192


def _room_or_none(slug: str) -> Room | None:
    return Room.objects.select_related("owner", "style").filter(slug=slug).first()


def _history(room: Room, since: int | None, viewer) -> dict:
    """The history frame for a new connection, or a resync frame when the gap is too big."""
    room.refresh_from_db(fields=["last_seq", "cleared_seq"])
    if since is not None and since > room.last_seq:
        since = -1  # a sequence this room never reached: start over
    if since is not None and since >= 0:
        missed, more = message_page(room=room, after=since, limit=RESUME_MAX, viewer=viewer)
        if not more:
            removed, restored = message_changes_upto(room=room, since=since, viewer=viewer)
            return {
                "type": events.HISTORY,
                "resumed": True,
                "last_seq": room.last_seq,
                "messages": message_payloads(room=room, messages=missed),
                "removed": removed,
                "restored": message_payloads(room=room, messages=restored),
            }
    recent = message_list_recent(room=room, limit=HISTORY_SIZE, viewer=viewer)
    return {
        "type": events.HISTORY if since is None else events.RESYNC,
        "resumed": False,
        "last_seq": room.last_seq,
        "messages": message_payloads(room=room, messages=recent),
    }


def _send(room: Room, user, text: str, nonce: str):
    return chat_submit(room=room, author=user, text=text, nonce=nonce, source="command")


# Sends run on the shared thread pool, not the one thread-sensitive thread: a
# sender's ack does not queue behind other rooms' database work.
_send_async = DatabaseSyncToAsync(_send, thread_sensitive=False)


class FrameForwarder(AsyncWebsocketConsumer):
    """Forwards the ready JSON of room frames, each sequence number once."""

    last_seq: int = 0

    async def room_frame(self, event: dict) -> None:
        seq = event.get("seq")
        if seq is not None:
            if seq <= self.last_seq:
                return
            self.last_seq = seq
        await self.send(text_data=event["frame"])

    async def _send_frame(self, frame: dict) -> None:
        await self.send(text_data=events.dumps(frame))


class RoomConsumer(FrameForwarder):
    room: Room
    group: str
    login: str | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        room = await database_sync_to_async(_room_or_none)(slug)
        await self.accept()
        if room is None:
            await self._send_frame(events.error_frame("room_not_found", f"No room '{slug}'."))
            await self.close(code=4404)
            return
        self.room = room
        self.group = events.room_group(room.id)
        user = self.scope.get("user")
        self.user = user if user is not None and user.is_authenticated else None
        self.login = self.user.username if self.user else None

        # Subscribe first, then read history: nothing stored in between is missed,
        # and live frames already in the history are dropped by their seq.
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.moderates = self.user is not None and await database_sync_to_async(user_moderates)(
            room=room, user=self.user
        )
        self.groups_joined = [self.group]
        if self.user is not None:
            self.groups_joined.append(events.user_group(room.id, self.user.id))
        if self.moderates:
            self.groups_joined.append(events.moderators_group(room.id))
        for group in self.groups_joined[1:]:
            await self.channel_layer.group_add(group, self.channel_name)
        since = self._since()
        history = await database_sync_to_async(_history)(room, since, self.user)
        seqs = [m["seq"] for m in history["messages"]]
        self.last_seq = max([min(since or 0, history["last_seq"]), *seqs])
        await self._send_frame(history)
        await self._send_frame(events.room_state_frame(room))

        await presence.join(room.id, self.channel_name, self.login)
        viewers, chatters, chatter_count = await presence.snapshot(room.id)
        await self._send_frame(
            events.presence_frame(viewers=viewers, chatters=chatters, chatter_count=chatter_count)
        )
        self._heartbeat = asyncio.create_task(self._keep_present())
        await self._announce_presence()

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "room"):
            return
        self._heartbeat.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        await presence.leave(self.room.id, self.channel_name, self.login)
        await self._announce_presence()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self._error("binary_not_supported", "Send JSON text frames.")
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self._error("frame_too_large", f"Frames are at most {MAX_FRAME_BYTES} bytes.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._error("invalid_json", "That frame is not valid JSON.")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error("invalid_frame", 'A frame is a JSON object with a "type".')
            return
        kind = frame["type"]
        if kind == "send":
            await self._receive_send(frame)
        elif kind == "ping":
            await self._send_frame({"type": events.PONG})
        else:
            await self._error("unknown_type", f"Unknown frame type '{kind[:40]}'.")

    async def _receive_send(self, frame: dict) -> None:
        text, nonce = frame.get("text"), frame.get("nonce", "")
        if not isinstance(nonce, str):
            nonce = ""
        if not isinstance(text, str):
            await self._error("invalid_frame", 'A send frame needs a "text" string.', nonce=nonce)
            return
        if self.user is None:
            await self._error("not_logged_in", "Log in to chat.", nonce=nonce)
            return
        try:
            result = await _send_async(self.room, self.user, text, nonce)
        except ChatRefused as refused:
            await self._error(
                refused.code, refused.message, retry_after=refused.retry_after, nonce=nonce
            )
            return
        if isinstance(result, CommandResult):
            await self._send_frame(events.notice_frame(result.notice, nonce=nonce))
            return
        shadowed = result.message.state == Message.State.SHADOWED
        await self._send_frame(
            {
                "type": events.ACK,
                "nonce": nonce,
                "id": result.payload["id"],
                "seq": result.payload["seq"],
                "original": result.message.original_text,
                # A shadow-banned sender is never told.
                "state": "visible" if shadowed else result.message.state,
                "duplicate_nonce": not result.created,
            }
        )

    async def room_roles(self, event: dict) -> None:
        """This user's roles in the room changed: join or leave the moderators' group."""
        moderates = await database_sync_to_async(user_moderates)(room=self.room, user=self.user)
        if moderates == self.moderates:
            return
        self.moderates = moderates
        mods = events.moderators_group(self.room.id)
        if moderates:
            self.groups_joined.append(mods)
            await self.channel_layer.group_add(mods, self.channel_name)
        else:
            self.groups_joined.remove(mods)
            await self.channel_layer.group_discard(mods, self.channel_name)

    async def _keep_present(self) -> None:
        while True:
            await asyncio.sleep(presence.HEARTBEAT)
            try:
                await presence.join(self.room.id, self.channel_name, self.login)
            except OSError:
                logger.warning("Presence heartbeat failed for room %s", self.room.slug)

    async def _announce_presence(self) -> None:
        """Schedule one presence broadcast for everyone who joins or leaves in the next moment."""
        if await presence.claim_broadcast(self.room.id):
            task = asyncio.get_running_loop().create_task(_announce_later(self.room.id))
            _announcements.add(task)
            task.add_done_callback(_announcements.discard)

    def _since(self) -> int | None:
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("since", [None])[0]
        if raw is None or not raw.isdigit():
            return None
        return int(raw)

    async def _error(self, code: str, message: str, **extra) -> None:
        await self._send_frame(events.error_frame(code, message, **extra))


_announcements: set[asyncio.Task] = set()


async def _announce_later(room_id: int) -> None:
    await asyncio.sleep(presence.DEBOUNCE_MS / 1000)
    viewers, chatters, chatter_count = await presence.snapshot(room_id)
    await events.abroadcast(
        room_id,
        events.presence_frame(viewers=viewers, chatters=chatters, chatter_count=chatter_count),
    )
