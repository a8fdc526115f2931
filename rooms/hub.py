"""The fan-out hub: one per web process, between Redis and that process's sockets.

Every change to a room is published once, as one envelope, to the room's group
on the Redis channel layer (``rooms.events``). The hub subscribes once per room
that a local socket watches (one channel-layer channel for the whole process),
and for each room keeps a ``RoomFeed`` that:

- puts the room's sequenced events back in ``seq`` order (publishers race after
  their commits): an envelope that arrives ahead of a missing ``seq`` is held,
  and after ``HOLE_WAIT`` the hole is filled from the database, where every
  published ``seq`` already is. Nothing is dropped; nothing goes out twice;
- collects what arrives within one tick (20 to 100 ms, longer in bigger rooms)
  and writes it to every local socket as
  one frame (a ``batch`` when there is more than one), the text built once per
  audience (everyone, moderators, one user), never once per socket;
- keeps the room's current state (modes, style, AutoMod level), which the send
  path checks, and reloads it when a change is published;
- keeps the process's presence entries alive in one Redis pipeline per room.

A socket's writes go through ``HubSocket.write``: in order, without a task per
frame, and into a bounded buffer when the client reads slowly. Under uvicorn's
``websockets-sansio`` implementation a room's frame is encoded once per tick
and written straight to each transport. Past the bound the socket is closed
with ``CLOSE_LAGGING`` and the client resumes from its last ``seq``: a slow
reader never slows the room nor grows memory.
"""

import asyncio
import logging
import weakref
from collections import deque
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from uvicorn.protocols.websockets.websockets_sansio_impl import (
    WebSocketsSansIOProtocol as _SansIOProtocol,
)
from websockets.protocol import State

from chatsite import metrics
from rooms import events, presence
from rooms.selectors import (
    history_frame,
    message_envelopes,
    room_by_id,
    room_by_slug,
    room_last_seq,
)

logger = logging.getLogger(__name__)

# Frames that arrive within one tick go out as one. A flush costs a write per socket, so
# the tick grows with the room: 20 ms up to 400 sockets, 50 ms at 1,000, at most 100 ms.
TICK_MIN, TICK_MAX, TICK_PER_SOCKET = 0.020, 0.100, 0.000050
HOLE_WAIT = 0.25  # seconds an envelope waits for a missing seq before the database fills it
OUTBOX_MAX_BYTES = 256 * 1024  # a socket this far behind is closed and resumes
CLOSE_LAGGING = 4008  # close code: you fell behind, reconnect with ?since=<last seq>
RELEASE_AFTER = 30.0  # seconds a room without local sockets stays subscribed
SINCE_WAIT = 1.0  # seconds a resuming client waits for this process to reach its seq
CATCH_UP = 5.0  # seconds between a feed's checks that no stored message passed it by

CLOSE_WAIT = 5.0  # seconds a lagging socket gets to take its close frame before it is cut
SERVER_SEND = "twitchy.server_send"  # scope key: the ASGI server's own send (see asgi.py)
SESSION_KEY = "twitchy.session_key"  # scope key: the login session's key (see asgi.py)
_OPEN, _CONNECTING = State.OPEN, State.CONNECTING

_MESSAGE = '{"type":"message"'
_MESSAGE_FRAMES = ('{"prev":', _MESSAGE)  # live (see _emit_seq), or allowed from the queue
_HISTORY_KEEPING = ('{"type":"presence"', '{"type":"room_state"')


class Wire(Protocol):
    """How sockets of another protocol than ours get a room's frames (the IRC gateway's
    lines): ``write`` turns a tick's parts into that protocol once for all ``sockets``
    alike and writes it to each. ``feed.wire_state`` keeps what it must remember."""

    def write(self, feed: "RoomFeed", parts: list[tuple[str, str]], sockets: list) -> None: ...


class HubSocket:
    """The writing half of a connection to a room (the consumers inherit it)."""

    wire: Wire | None = None  # None: the frames as JSON text (docs/protocol.md)
    user_id: int | None = None
    session_tag: str | None = None  # which login session it came with (events.session_tag)
    moderates: bool = False
    _writer: asyncio.Future | None = None
    _outbox: deque | None = None
    _outbox_bytes: int = 0
    _lagging: bool = False

    _direct = None  # the server's WebSocket protocol, when its transport can take our bytes

    def use_direct_writes(self, scope: dict) -> None:
        """Write the room's frames straight to the connection's transport when the server
        allows it (uvicorn's ``websockets-sansio`` implementation, without extensions): the
        frame's bytes are built once per room and tick, and a write is one
        ``transport.write``. Any other server (daphne, uvicorn's other implementations)
        gets the ASGI ``send``."""
        protocol = getattr(scope.get(SERVER_SEND), "__self__", None)
        if isinstance(protocol, _SansIOProtocol) and not protocol.conn.extensions:
            self._direct = protocol

    def write(self, text: str, frame: bytes | None = None) -> None:
        """Send ``text`` after everything written before it; never waits. ``frame`` is
        ``text`` as a WebSocket frame, when the caller built it already."""
        if self._lagging:
            return
        direct = self._direct
        if direct is not None and self._writer is None:
            state = direct.conn.state
            if state is _OPEN:
                transport = direct.transport
                if transport.get_write_buffer_size() > OUTBOX_MAX_BYTES:
                    self._fall_behind()
                    self._close_soon()
                    asyncio.get_running_loop().call_later(CLOSE_WAIT, transport.abort)
                    return
                transport.write(frame or text_frame(text))
                return
            if state is not _CONNECTING:
                self._lagging = True  # closing or closed: nothing more to send
                return
            # Still in the handshake: the ASGI send waits for it to complete.
        if self._writer is not None:
            if self._outbox is None:
                self._outbox = deque()
            self._outbox.append(text)
            self._outbox_bytes += len(text)
            if self._outbox_bytes > OUTBOX_MAX_BYTES:
                self._fall_behind()
            return
        self._start(self.base_send({"type": "websocket.send", "text": text}))

    def hold_writes(self) -> None:
        """Queue what the room sends until ``release_writes`` (while the history is read)."""
        self._writer = asyncio.get_running_loop().create_future()

    def release_writes(self, first: list[str]) -> None:
        """Send ``first`` (history and the like), then whatever was queued meanwhile."""
        held, self._writer = self._writer, None
        if held is not None and not held.done():
            held.set_result(None)
        self._outbox = deque([*first, *(self._outbox or ())])
        self._outbox_bytes = sum(map(len, self._outbox))
        while self._outbox and self._writer is None and not self._lagging:
            text = self._outbox.popleft()
            self._outbox_bytes -= len(text)
            self._start(self.base_send({"type": "websocket.send", "text": text}))
        if not self._outbox:
            self._outbox = None  # an idle socket keeps no buffer
        if self._lagging and self._writer is None:
            self._close_soon()  # it fell behind while its history was read

    def _close_soon(self) -> None:
        closing = asyncio.ensure_future(self._close_lagging())
        _closing.add(closing)
        closing.add_done_callback(_closing.discard)

    def _start(self, coro) -> None:
        # Run the ASGI send at once: it nearly always completes without waiting (the
        # bytes go into the transport's buffer), and then costs no task at all. Only
        # when it waits (a full buffer: a slow reader) does it go on in a task.
        try:
            waiting = coro.send(None)
        except StopIteration:
            return
        except Exception as error:
            logger.debug("write to a closed socket: %r", error)
            self._lagging = True
            self._close_soon()  # whatever state it is in, it gets nothing more
            return
        self._writer = asyncio.ensure_future(self._finish(coro, waiting))

    async def _finish(self, coro, waiting) -> None:
        try:
            if coro is not None:
                await _resume(coro, waiting)
            while self._outbox and not self._lagging:
                text = self._outbox.popleft()
                self._outbox_bytes -= len(text)
                await self.base_send({"type": "websocket.send", "text": text})
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.debug("write to a closed socket: %r", error)
            self._lagging = True
        finally:
            self._writer = None
            if not self._outbox:
                self._outbox = None
        if self._lagging:
            await self._close_lagging()

    def _fall_behind(self) -> None:
        logger.info("closing a socket %d bytes behind its room", self._outbox_bytes)
        self._lagging = True
        self._outbox = None
        self._outbox_bytes = 0

    async def _close_lagging(self) -> None:
        try:
            await self.base_send({"type": "websocket.close", "code": CLOSE_LAGGING})
        except Exception as error:
            logger.debug("closing a lagging socket: %r", error)

    # What the feed tells a connection besides frames.
    def signed_out(self) -> None:
        """Its user logged out, or the account was closed: end the connection."""

    async def roles_changed(self) -> None:
        """This user's roles in the room changed."""


async def _resume(coro, waiting) -> None:
    """Drive a coroutine that ``coro.send(None)`` started and that yielded ``waiting``."""
    try:
        while True:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                try:
                    await waiting
                except asyncio.CancelledError:
                    raise
                except BaseException:  # noqa: S110 - the coroutine re-raises it itself
                    pass
            try:
                waiting = coro.send(None)
            except StopIteration:
                return
    finally:
        coro.close()


_closing: set[asyncio.Future] = set()


def _count_flush(parts, sockets: int) -> None:
    """A tick in the metrics: its size, and the messages it delivered (to every socket of
    the room: moderators' and a user's own frames are not told apart here)."""
    metrics.FANOUT_BATCH.observe(len(parts))
    messages = sum(frame.startswith(_MESSAGE_FRAMES) for _, frame in parts)
    if messages and sockets:
        metrics.MESSAGES_DELIVERED.inc(messages * sockets)


def text_frame(text: str) -> bytes:
    """``text`` as one unmasked WebSocket text frame (what a server sends), header included."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return bytes((0x81, 126)) + size.to_bytes(2, "big") + payload
    return bytes((0x81, 127)) + size.to_bytes(8, "big") + payload


def _join(frames: list[str]) -> str:
    if len(frames) == 1:
        return frames[0]
    return '{"type":"batch","frames":[' + ",".join(frames) + "]}"


class RoomFeed:
    """One room as this process serves it."""

    def __init__(self, hub: "Hub", room) -> None:
        self.hub = hub
        self.room = room
        self.room_id = room.id
        self.position = room.last_seq  # every seq up to here went out to the local sockets
        self.public_prev = room.last_seq  # the last seq everyone got (see "prev" in protocol.md)
        self.sockets: set[HubSocket] = set()
        self.joining: dict[HubSocket, int] = {}  # joined this tick: where their frames start
        self.held: dict[int, dict[str, Any]] = {}
        self.outgoing: list[tuple[str, str]] = []
        self.history_cache: tuple[int, asyncio.Future] | None = None
        self._loop = asyncio.get_running_loop()
        self._flush_handle: asyncio.Handle | None = None
        self._last_flush = 0.0
        self._hole_timer: asyncio.TimerHandle | None = None
        self._filling = False
        self._release: asyncio.TimerHandle | None = None
        self._heartbeat = self._loop.create_task(self._keep_up())
        self._waiters: list[tuple[int, asyncio.Future]] = []
        self.wire_state: dict[str, Any] = {}  # what other wires remember of the room

    # ---- events from Redis ------------------------------------------------

    def on_event(self, event: dict[str, Any]) -> None:
        control = event.get("control")
        if control:
            self._on_control(control, event)
            return
        seq = event.get("seq")
        if seq is None:
            self._emit(event["parts"])
            return
        if seq <= self.position:
            return  # already out (or in the history every socket here started from)
        if seq > self.position + 1:
            self.held[seq] = event
            if self._hole_timer is None and not self._filling:
                self._hole_timer = self._loop.call_later(HOLE_WAIT, self._fill_hole)
            return
        self._emit_seq(event)
        self._release_held()

    def _emit_seq(self, event: dict[str, Any]) -> None:
        # Message frames say which seq everyone got before them: a client that has
        # less has missed something and resumes (docs/protocol.md, "Ordering").
        seq, prefix = event["seq"], f'{{"prev":{self.public_prev},'
        parts = [
            (audience, prefix + frame[1:] if frame.startswith(_MESSAGE) else frame)
            for audience, frame in event["parts"]
        ]
        if any(audience == events.ALL for audience, _ in parts):
            self.public_prev = seq
        self.position = seq
        self._emit(parts)
        for wanted, waiter in self._waiters:
            if wanted <= seq and not waiter.done():
                waiter.set_result(None)

    def _release_held(self) -> None:
        while self.held:
            following = self.held.pop(self.position + 1, None)
            if following is None:
                break
            self._emit_seq(following)
        if not self.held and self._hole_timer is not None:
            self._hole_timer.cancel()
            self._hole_timer = None

    def _fill_hole(self) -> None:
        self._hole_timer = None
        if not self.held:
            return
        self._filling = True
        self.hub.spawn(self._fill(self.position, min(self.held) - 1))

    async def _fill(self, after: int, upto: int) -> None:
        try:
            found = await database_sync_to_async(message_envelopes)(
                room_id=self.room_id, after=after, upto=upto
            )
        except Exception:
            logger.exception("filling seq %d-%d of room %d failed", after + 1, upto, self.room_id)
            found = None
        finally:
            self._filling = False
        if found is not None:
            logger.info("filled seq %d-%d of room %d from the database", after + 1, upto,
                        self.room_id)  # fmt: skip
            for event in found:
                if event["seq"] > self.position:
                    self.held.setdefault(event["seq"], event)
            # A seq the database does not have was never stored: nothing to deliver.
            while self.position < upto and self.position + 1 not in self.held:
                self.position += 1
            self._release_held()
        if self.held and self._hole_timer is None:
            self._hole_timer = self._loop.call_later(HOLE_WAIT, self._fill_hole)

    def _on_control(self, control: str, event: dict[str, Any]) -> None:
        kind, _, arg = control.partition(":")
        if kind == "roles":
            self.hub.spawn(self._recheck_roles(int(arg), event["parts"]))
        elif kind == "room":
            self.hub.spawn(self._reload_room(event["parts"]))

    async def _recheck_roles(self, user_id: int, parts) -> None:
        """The user's connections look their roles up, then get the news (a notice): by
        then, a new moderator's connections get what moderators get."""
        mine = [socket for socket in self.all_sockets() if socket.user_id == user_id]
        results = await asyncio.gather(*(s.roles_changed() for s in mine), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.error("a role change could not be applied", exc_info=result)
        self._emit(parts)

    async def _reload_room(self, parts) -> None:
        """Read the room again, then send its new state: a client that sees the new
        ``room_state`` can count on the send path checking it."""
        try:
            room = await database_sync_to_async(room_by_id)(room_id=self.room_id)
        except Exception:
            logger.exception("reloading room %d failed", self.room_id)
            room = None
        if room is not None:
            self.room = room
            self.history_cache = None
        self._emit(parts)

    # ---- out to the sockets -----------------------------------------------

    def _emit(self, parts) -> None:
        for audience, frame in parts:
            if audience == events.ALL and not frame.startswith(_HISTORY_KEEPING):
                self.history_cache = None
        self.outgoing.extend(parts)
        if self._flush_handle is not None:
            return
        tick = min(TICK_MAX, max(TICK_MIN, len(self.sockets) * TICK_PER_SOCKET))
        wait = self._last_flush + tick - self._loop.time()
        if wait <= 0:
            self._flush_handle = self._loop.call_soon(self._flush)
        else:
            self._flush_handle = self._loop.call_later(wait, self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        self._last_flush = self._loop.time()
        parts, self.outgoing = self.outgoing, []
        joining, self.joining = self.joining, {}
        if parts:
            self._write(parts, self.sockets)
            _count_flush(parts, len(self.sockets))
            # A socket that joined during this tick gets only what came after it (its
            # history holds the rest).
            for socket, start in joining.items():
                if parts[start:]:
                    self._write(parts[start:], (socket,))
        self.sockets.update(joining)

    def _write(self, parts, sockets) -> None:
        targeted = {audience for audience, _ in parts if audience.startswith("u:")}
        texts: dict[tuple, tuple[str, bytes] | None] = {}
        wired: dict[Wire, list[HubSocket]] = {}
        for socket in list(sockets):
            if socket.wire is not None:
                wired.setdefault(socket.wire, []).append(socket)
                continue
            own = socket.user_key if socket.user_key in targeted else None
            key = (socket.moderates, own)
            if key in texts:
                built = texts[key]
            else:
                text = self._compose(parts, socket.moderates, own)
                built = texts[key] = (text, text_frame(text)) if text is not None else None
            if built is not None:
                socket.write(*built)
        for wire, group in wired.items():
            try:
                wire.write(self, parts, group)
            except Exception:
                logger.exception("room %d's frames could not be written as %r", self.room_id, wire)

    @staticmethod
    def _compose(parts, moderates: bool, own: str | None) -> str | None:
        frames = [
            frame
            for audience, frame in parts
            if audience == events.ALL or (moderates and audience == events.MODS) or audience == own
        ]
        return _join(frames) if frames else None

    # ---- sockets --------------------------------------------------------

    def all_sockets(self) -> list[HubSocket]:
        return [*self.sockets, *self.joining]

    def add(self, socket: HubSocket) -> None:
        """From now on ``socket`` gets what the room sends after ``self.position``."""
        if self.outgoing:
            self.joining[socket] = len(self.outgoing)
        else:
            self.sockets.add(socket)
        if self._release is not None:
            self._release.cancel()
            self._release = None

    def discard(self, socket: HubSocket) -> None:
        self.sockets.discard(socket)
        self.joining.pop(socket, None)
        if self._loop.is_closed():
            return
        if not self.sockets and not self.joining and self._release is None:
            self._release = self._loop.call_later(RELEASE_AFTER, self.hub.release, self)

    async def recent_history(self, upto: int) -> dict:
        """The history frame of an anonymous viewer joining at ``upto``: read once per
        position and shared by everyone who joins there (any change to what it shows
        drops it)."""
        cached = self.history_cache
        if cached is None or cached[0] != upto:
            reading = asyncio.ensure_future(
                database_sync_to_async(history_frame)(self.room, None, None, upto)
            )
            cached = self.history_cache = (upto, reading)
        try:
            return await asyncio.shield(cached[1])
        except Exception:
            if self.history_cache is cached:
                self.history_cache = None
            raise

    async def reached(self, seq: int) -> bool:
        """Wait (at most ``SINCE_WAIT``) until this process has delivered up to ``seq``."""
        if self.position >= seq:
            return True
        waiter = self._loop.create_future()
        self._waiters.append((seq, waiter))
        try:
            await asyncio.wait_for(waiter, SINCE_WAIT)
        except TimeoutError:
            return False
        finally:
            self._waiters = [(s, w) for s, w in self._waiters if w is not waiter]
        return True

    async def _keep_up(self) -> None:
        """Every ``CATCH_UP`` seconds, check that the room's newest stored message is not
        past the feed (its publication lost, and no later one to reveal the hole); and
        every ``presence.HEARTBEAT`` seconds renew this process's presence entries for the
        room, all in one pipeline."""
        since_renewal = 0.0
        while True:
            await asyncio.sleep(CATCH_UP)
            since_renewal += CATCH_UP
            sockets = self.all_sockets()
            if sockets and not self.held and not self._filling:
                await self._catch_up()
            if since_renewal >= presence.HEARTBEAT and sockets:
                since_renewal = 0.0
                try:
                    await presence.renew(self.room_id, [(s.presence_id, s.login) for s in sockets])
                except OSError:
                    logger.warning("presence heartbeat failed for room %d", self.room_id)

    async def _catch_up(self) -> None:
        try:
            last = await database_sync_to_async(room_last_seq)(room_id=self.room_id)
        except Exception:
            logger.exception("reading room %d's last seq failed", self.room_id)
            return
        if last > self.position and not self.held and not self._filling:
            logger.warning("room %d: seq %d-%d were never published here; reading them",
                           self.room_id, self.position + 1, last)  # fmt: skip
            self._filling = True
            await self._fill(self.position, last)

    def close(self) -> None:
        self._heartbeat.cancel()
        for handle in (self._flush_handle, self._hole_timer, self._release):
            if handle is not None:
                handle.cancel()


class Hub:
    """This process's subscriptions: one channel-layer channel, one feed per watched room."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.feeds: dict[int, RoomFeed] = {}
        self.slugs: dict[str, int] = {}
        self._loading: dict[int, asyncio.Future] = {}
        self._early: dict[int, list[dict]] = {}  # what arrived for a feed being set up
        self._receiver: asyncio.Task | None = None
        self._channel_lock = asyncio.Lock()
        self.tasks: set[asyncio.Task] = set()

    async def open(self, slug: str) -> RoomFeed | None:
        """The feed of the room called ``slug`` (None when there is none): after the first
        connection, a room's sockets join without a database query."""
        feed = self.feeds.get(self.slugs.get(slug))
        if feed is not None and feed.room.slug == slug:
            return feed
        room = await database_sync_to_async(room_by_slug)(slug=slug)
        if room is None:
            return None
        self.slugs[slug] = room.id
        return await self.feed(room)

    async def feed(self, room) -> RoomFeed:
        """The feed of ``room`` (a ``Room`` just read), subscribing on first use."""
        feed = self.feeds.get(room.id)
        if feed is not None:
            return feed
        loading = self._loading.get(room.id)
        if loading is not None:
            return await asyncio.shield(loading)
        loading = self._loading[room.id] = asyncio.get_running_loop().create_future()
        try:
            await self._listen()
            # Subscribe first, then read the room's position: whatever is published
            # in between is newer than the position and goes out in order.
            self._early[room.id] = []
            await self.layer.group_add(events.room_group(room.id), self.channel)
            fresh = await database_sync_to_async(room_by_id)(room_id=room.id)
            feed = RoomFeed(self, fresh or room)
            self.feeds[room.id] = feed
            for event in self._early.pop(room.id):
                feed.on_event(event)
            loading.set_result(feed)
            return feed
        except BaseException as error:
            loading.set_exception(error)
            loading.exception()  # retrieved: a waiter re-raises it
            raise
        finally:
            del self._loading[room.id]
            self._early.pop(room.id, None)

    async def _listen(self) -> None:
        """This process's one channel, and the task that receives from it: made once, even
        when the first connections to several rooms arrive together (each making its own
        left all but one room subscribed on a channel nobody read: their frames without a
        seq, such as updates, never arrived, and their messages came late, from the
        database)."""
        async with self._channel_lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel(prefix="hub.")
                await self.layer.group_add(events.SIGN_OUTS, self.channel)
                self._receiver = asyncio.create_task(self._receive())

    def release(self, feed: RoomFeed) -> None:
        """Stop following a room no local socket watches any more."""
        feed._release = None
        if feed.sockets or feed.joining or self.feeds.get(feed.room_id) is not feed:
            return
        del self.feeds[feed.room_id]
        feed.close()
        self.spawn(self.layer.group_discard(events.room_group(feed.room_id), self.channel))

    def _sign_out(self, user: int, session: str | None = None) -> None:
        """Close ``user``'s sockets here (only those of ``session`` when given; "": those
        that came with no session, logged in with a token)."""
        for feed in list(self.feeds.values()):
            for socket in feed.all_sockets():
                if socket.user_id != user:
                    continue
                if session is None or (socket.session_tag or "") == session:
                    socket.signed_out()

    def spawn(self, coro) -> None:
        """Run ``coro`` in the background, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _receive(self) -> None:
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the hub's channel-layer receive failed")
                await asyncio.sleep(0.5)
                continue
            if "sign_out" in event:
                self._sign_out(**event["sign_out"])
                continue
            room_id = event.get("room")
            feed = self.feeds.get(room_id)
            if feed is None:
                if room_id in self._early:
                    self._early[room_id] += events.unpack(event)
                continue
            for envelope in events.unpack(event):
                try:
                    feed.on_event(envelope)
                except Exception:
                    logger.exception("a room event could not be handled: %r", envelope)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """This event loop's hub (one per process in a server; one per test loop in tests)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub
