"""The browser WebSocket protocol on ``/ws/rooms/<slug>/`` (see ``docs/protocol.md``).

A thin interface: it parses frames and calls the room actions and selectors.
A connection joins its room's feed in the process's hub (``rooms.hub``), which
writes the room's frames to it; it has no channel-layer channel of its own.
"""

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from chatsite import logs, metrics
from chatsite.errors import ChatRefused, ErrorCode
from chatsite.outages import OUTAGE_ERRORS, describe, unavailable
from chatsite.params import whole_number
from rooms import events, presence
from rooms.actions.messages import CommandResult, achat_submit, chat_is_command
from rooms.hub import SERVER_SEND, SESSION_KEY, HubSocket, RoomFeed, get_hub, text_frame
from rooms.selectors import history_frame, user_moderates

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 8192
SENDS_IN_FLIGHT = 32  # a connection's messages waiting for their batch at once
SENDS_FINISH = 15.0  # seconds a closed connection's sends get to be stored and answered


class HubConsumer(HubSocket, AsyncWebsocketConsumer):
    """A WebSocket that the process's hub writes to."""

    feed: RoomFeed | None = None
    user = None
    login: str | None = None
    user_key: str | None = None
    accepted = False
    _closing: asyncio.Future | None = None
    protocol = "websocket"  # in the metrics

    async def __call__(self, scope, receive, send) -> None:
        # Channels' own __call__ gives the consumer a channel-layer channel and waits on
        # the client through a new task per frame (await_many_dispatch). A socket here
        # hears its room through the hub, so it reads the client in a plain loop: no
        # channel, no task per frame, none kept waiting while the socket is idle.
        self.presence_id = uuid.uuid4().hex
        self._sending: set[asyncio.Future] = set()  # messages sent, not yet answered
        self.use_direct_writes(scope)
        self.scope, self.base_send = scope, send
        self.channel_layer = self.channel_name = None
        route = scope.get("url_route", {}).get("kwargs", {})
        logs.bind(connection_id=self.presence_id, room=route.get("slug"))
        metrics.connection_opened(self.protocol)
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass
        finally:
            metrics.connection_closed(self.protocol)
            # However the connection ended (even by an error in a handler), it
            # leaves its room: no ghost viewer, no writes to a dead socket. Its sends
            # under way finish first: a server shutting down waits for this task.
            await self._leave()
            if self._sending:
                await asyncio.wait(self._sending, timeout=SENDS_FINISH)

    def signed_out(self) -> None:
        """Logged out (or the account was closed): the client hears it and the socket
        closes with 4401; reconnecting, it is an anonymous viewer."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._sign_off())

    async def _sign_off(self) -> None:
        await self._error(ErrorCode.NOT_LOGGED_IN, "You are logged out.")
        await self.close(code=4401)

    def last_words(self, frame: bytes) -> None:
        """What the server sends this socket before its close on a graceful shutdown
        (uvicorn's ``websockets-sansio`` protocol as chatsite.server extends it)."""
        protocol = getattr(self.scope.get(SERVER_SEND), "__self__", None)
        if hasattr(protocol, "farewell"):
            protocol.farewell = frame

    async def dispatch(self, message: dict) -> None:
        # Channels' own dispatch hops to the database thread before every message
        # (aclose_old_connections); database work here runs in database_sync_to_async,
        # which manages its connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def _open_feed(self) -> RoomFeed | None:
        return await get_hub().open(self.scope["url_route"]["kwargs"]["slug"])

    def _identify(self) -> None:
        user = self.scope.get("user")
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            self.user_id = self.user.id
            self.login = self.user.username
            self.user_key = events.to_user(self.user.id)
            session_key = self.scope.get(SESSION_KEY)
            self.session_tag = events.session_tag(session_key) if session_key else None
            logs.bind(user_id=self.user.id)

    def _send_frame(self, frame: dict) -> None:
        self.write(events.dumps(frame))

    async def roles_changed(self) -> None:
        self.moderates = await database_sync_to_async(user_moderates)(
            room=self.feed.room, user=self.user
        )

    async def _leave(self) -> None:
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.discard(self)
            await self._left(feed)

    async def _left(self, feed: RoomFeed) -> None:
        """What else a connection does when it leaves its room."""


class RoomConsumer(HubConsumer):
    async def connect(self) -> None:
        try:
            await self._join()
        except OUTAGE_ERRORS as error:
            # PostgreSQL or Redis is down: the client hears why and comes back later
            # (close code 1013, "try again later"), instead of a bare 1011.
            logger.warning("a connection to %s met an outage: %s",
                           self.scope["path"], describe(error))  # fmt: skip
            await self._leave()
            if not self.accepted:
                await self.accept()
            refused = unavailable()
            await self._error(refused.code, refused.message, retry_after=refused.retry_after)
            await self.close(code=1013)

    async def accept(self, subprotocol=None, headers=None) -> None:
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def _join(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        feed = await self._open_feed()
        await self.accept()
        self.last_words(text_frame(events.dumps(events.reconnect_frame())))
        if feed is None:
            self._send_frame(events.error_frame(ErrorCode.ROOM_NOT_FOUND, f"No room '{slug}'."))
            await self.close(code=4404)
            return
        self._identify()
        if self.user is not None:
            self.moderates = await database_sync_to_async(user_moderates)(
                room=feed.room, user=self.user
            )
        since = self._since()
        if since is not None and since > feed.position and not await feed.reached(since):
            since = -1  # ahead of every message this process has seen: start over

        # From here on the hub queues the room's frames for this socket; the history
        # holds exactly what came before them (up to the feed's position now).
        self.hold_writes()
        self.feed = feed
        feed.add(self)
        upto = feed.position
        try:
            if self.user is None and since is None:
                history = await feed.recent_history(upto)
            else:
                history = await database_sync_to_async(history_frame)(
                    feed.room, since, self.user, upto
                )
            viewers, chatters, chatter_count, announces = await presence.arrive(
                feed.room_id, self.presence_id, self.login
            )
        except BaseException:
            self._outbox = None  # the room's frames, without the history before them: no
            self.release_writes([])
            raise
        self.release_writes(
            [
                events.dumps(history),
                events.dumps(events.room_state_frame(feed.room)),
                events.dumps(
                    events.presence_frame(
                        viewers=viewers, chatters=chatters, chatter_count=chatter_count
                    )
                ),
            ]
        )
        if announces:
            presence.announce_soon(feed.room_id)

    async def _left(self, feed: RoomFeed) -> None:
        try:
            if await presence.depart(feed.room_id, self.presence_id, self.login):
                presence.announce_soon(feed.room_id)
        except (OSError, *OUTAGE_ERRORS):
            logger.warning("could not take a connection off room %d's presence", feed.room_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self._error(ErrorCode.BINARY_NOT_SUPPORTED)
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self._error(
                ErrorCode.FRAME_TOO_LARGE, f"Frames are at most {MAX_FRAME_BYTES} bytes."
            )
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            await self._error(ErrorCode.INVALID_JSON)
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error(ErrorCode.INVALID_FRAME)
            return
        kind = frame["type"]
        if self.feed is None:
            await self._error(ErrorCode.NOT_JOINED)
            return
        if kind == "send":
            await self._receive_send(frame)
        elif kind == "ping":
            self._send_frame(events.pong_frame())
        else:
            await self._error(ErrorCode.UNKNOWN_TYPE, f"Unknown frame type '{kind[:40]}'.")

    async def _receive_send(self, frame: dict) -> None:
        text, nonce = frame.get("text"), frame.get("nonce", "")
        if not isinstance(nonce, str):
            nonce = ""
        if not isinstance(text, str):
            await self._error(
                ErrorCode.INVALID_FRAME, 'A send frame needs a "text" string.', nonce=nonce
            )
            return
        if self.user is None:
            await self._error(ErrorCode.NOT_LOGGED_IN, nonce=nonce)
            return
        room = self.feed.room
        if chat_is_command(self.user, text):
            # A command acts after this connection's earlier messages are stored, and
            # the connection reads nothing more until it is done.
            if self._sending:
                await asyncio.wait(self._sending)
            await self._answer(achat_submit(room=room, author=self.user, text=text,
                                            nonce=nonce, source="command"), nonce)  # fmt: skip
            return
        # A message joins the process's send batches (rooms.actions.messages) at once, in the
        # order this connection sent it, and the connection reads on while it waits:
        # its acks come as each is stored. Past SENDS_IN_FLIGHT, reading waits.
        while len(self._sending) >= SENDS_IN_FLIGHT:
            await asyncio.wait(self._sending, return_when=asyncio.FIRST_COMPLETED)
        reply_to = frame.get("reply_to")
        sending = achat_submit(room=room, author=self.user, text=text, nonce=nonce,
                               reply_to=reply_to if isinstance(reply_to, str) else "")  # fmt: skip
        answering = asyncio.ensure_future(self._answer(sending, nonce))
        self._sending.add(answering)
        answering.add_done_callback(self._sending.discard)

    async def _answer(self, submitted: Awaitable, nonce: str) -> None:
        """The sender's answer to a send: its ack, the command's notice, or the refusal."""
        try:
            result = await submitted
        except ChatRefused as refused:
            await self._error(
                refused.code, refused.message, retry_after=refused.retry_after, nonce=nonce
            )
            return
        except Exception:  # a bug, not a rule: the sender still hears that it failed
            logger.exception("a send in room %s failed", self.scope["url_route"]["kwargs"])
            await self._error(ErrorCode.UNAVAILABLE, "That message could not be sent.", nonce=nonce)
            return
        if isinstance(result, CommandResult):
            self._send_frame(events.notice_frame(result.notice, nonce=nonce))
            return
        self._send_frame(events.ack_frame(result.message, nonce=nonce, created=result.created))

    def _since(self) -> int | None:
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("since", [None])[0]
        return None if raw is None else whole_number(raw)  # a bad one: a fresh start

    async def _error(self, code: ErrorCode, message: str = "", **extra) -> None:
        self._send_frame(events.error_frame(code, message or code.message, **extra))
