"""One IRC connection's session, whatever carries it (a WebSocket or a TCP socket): the
Twitch login dance, rooms joined and left, messages and commands sent through the same
actions as the browser's, and the room's lines from the process's hub (``irc.wire``)."""

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable

from channels.db import database_sync_to_async

from chatsite.errors import ChatRefused
from chatsite.users.selectors import user_for_token
from irc import twitch
from irc.lines import MAX_LINE, Line, LineError, parse
from irc.wire import IRC, chatters_known, wire_text
from rooms import events, presence
from rooms.actions.messages import CommandResult, achat_submit
from rooms.hub import HubSocket, RoomFeed, get_hub
from rooms.rules import NONCE_RE
from rooms.selectors import author_payload_for, user_moderates

logger = logging.getLogger(__name__)

CAPABILITIES = ("twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership")
ANONYMOUS = re.compile(r"^justinfan\d+$")
PENDING_NOTICE = "This room is pre-moderated: your message shows once it is approved."
IDLE_PING = 240.0  # seconds of silence from a client before the server pings it
PING_WAIT = 60.0  # seconds more of silence before the connection is closed


class IrcRoom(HubSocket):
    """A room an IRC connection joined: one more subscriber of the room's feed, written to
    as IRC lines (``irc.wire.IRC``) on the connection's own socket."""

    wire = IRC

    def __init__(self, session: "IrcSession", feed: RoomFeed, moderates: bool) -> None:
        self.session, self.feed, self.moderates = session, feed, moderates
        user = session.user
        self.user_id = user.id if user else None
        self.user_key = events.to_user(user.id) if user else None
        self.login = user.username if user else None
        self.membership = "twitch.tv/membership" in session.caps
        self.presence_id = uuid.uuid4().hex

    def write(self, text: str, frame: bytes | None = None) -> None:
        self.session.write(text, frame)

    async def roles_changed(self) -> None:
        self.moderates = await database_sync_to_async(user_moderates)(
            room=self.feed.room, user=self.session.user
        )

    def signed_out(self) -> None:
        """The account was closed or its tokens revoked: as Twitch does, a notice and the
        end of the connection."""
        self.session.signed_out()


class IrcSession:
    def __init__(self, write: Callable[..., None], close: Callable[[], Awaitable]) -> None:
        """``write(text, frame=None)``: send lines (``frame``: them as one WebSocket frame,
        when the room built it already); ``close()``: end the connection."""
        self.write, self.close = write, close
        self.caps: set[str] = set()
        self.password = ""
        self.nick: str | None = None
        self.user = None  # None: anonymous (justinfan), read-only
        self.rooms: dict[str, IrcRoom] = {}
        self.heard = time.monotonic()  # when the client last sent anything
        self._pinged = False
        self._idle = asyncio.get_running_loop().call_later(IDLE_PING, self._check_idle)

    def _check_idle(self) -> None:
        """Ping a client that has been silent; close it if it stays silent (a timer, not a
        task: an idle connection costs no more than it must)."""
        silent = time.monotonic() - self.heard
        if self._pinged and silent >= IDLE_PING + PING_WAIT:
            self._idle = None
            self._closing = asyncio.ensure_future(self.close())
            return
        if silent >= IDLE_PING and not self._pinged:
            self._pinged = True
            self.send(Line("PING", (twitch.SERVER,)))
        wait = (IDLE_PING + PING_WAIT if self._pinged else IDLE_PING) - silent
        self._idle = asyncio.get_running_loop().call_later(max(wait, 1.0), self._check_idle)

    @property
    def registered(self) -> bool:
        return self.nick is not None

    def send(self, *lines: Line) -> None:
        self.write(wire_text(list(lines)))

    async def receive(self, data: str) -> None:
        """What the client sent: one or more lines."""
        self.heard, self._pinged = time.monotonic(), False
        for raw in data.split("\n"):
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE:
                self.send(twitch.notice("That line is too long.", code="msg_rejected"))
                continue
            try:
                line = parse(raw)
            except LineError:
                continue  # as Twitch does: what is not IRC is ignored
            handler = getattr(self, "on_" + line.command.lower(), None)
            if handler is None:
                if self.registered:
                    self.send(Line("421", (self.nick, line.command, "Unknown command"), {},
                                   twitch.SERVER))  # fmt: skip
                continue
            await handler(line)

    # ---- logging in -----------------------------------------------------------

    async def on_cap(self, line: Line) -> None:
        sub = line.params[0].upper() if line.params else ""
        if sub == "LS":
            self.send(Line("CAP", ("*", "LS", " ".join(CAPABILITIES)), {}, twitch.SERVER))
        elif sub == "REQ":
            wanted = line.text.split()
            verdict = "ACK" if all(cap in CAPABILITIES for cap in wanted) else "NAK"
            if verdict == "ACK":
                self.caps.update(wanted)
            self.send(Line("CAP", ("*", verdict, line.text), {}, twitch.SERVER))

    async def on_pass(self, line: Line) -> None:
        self.password = line.text

    async def on_user(self, line: Line) -> None:
        """Twitch ignores USER; so do we."""

    async def on_nick(self, line: Line) -> None:
        if self.registered or not line.params:
            return
        nick = line.params[0].lower()
        if not ANONYMOUS.match(nick):
            token = self.password.removeprefix("oauth:").removeprefix("OAUTH:")
            user = await database_sync_to_async(user_for_token)(key=token) if token else None
            if user is None or user.username != nick:
                self.send(twitch.notice("Login authentication failed", code="", slug=None))
                await self.close()
                return
            self.user = user
        self.nick = nick
        self.send(*twitch.welcome(nick))
        if self.user is not None:
            author = await database_sync_to_async(_global_author)(self.user)
            self.send(twitch.globaluserstate(author))

    async def on_ping(self, line: Line) -> None:
        self.send(Line("PONG", (twitch.SERVER,) if not line.params else (line.params[-1],)))

    async def on_pong(self, line: Line) -> None:
        """The client is alive."""

    async def on_quit(self, line: Line) -> None:
        await self.close()

    # ---- rooms --------------------------------------------------------------------

    def _prefix(self) -> str:
        return twitch.user_prefix(self.nick)

    async def on_join(self, line: Line) -> None:
        if not self.registered or not line.params:
            return
        for name in line.params[0].split(","):
            slug = name.strip().lstrip("#").lower()
            if slug and slug not in self.rooms:
                await self._join(slug)

    async def _join(self, slug: str) -> None:
        feed = await get_hub().open(slug)
        if feed is None:
            self.send(twitch.notice(f"No room #{slug} here.", code="msg_channel_suspended",
                                    slug=slug))  # fmt: skip
            return
        moderates, author = False, None
        if self.user is not None:
            moderates = await database_sync_to_async(user_moderates)(room=feed.room, user=self.user)
            author = await database_sync_to_async(author_payload_for)(
                room=feed.room, user=self.user
            )
        room = IrcRoom(self, feed, moderates)
        _viewers, chatters, count, announces = await presence.arrive(
            feed.room_id, room.presence_id, room.login
        )
        chatters_known(feed, chatters, count)
        lines = [Line("JOIN", (twitch.channel(slug),), {}, self._prefix())]
        lines += twitch.names(self.nick, slug, chatters)
        if author is not None:
            lines.append(twitch.userstate(author, slug=slug))
        lines.append(twitch.roomstate(events.room_state_frame(feed.room), room_id=feed.room_id))
        self.send(*lines)
        self.rooms[slug] = room
        feed.add(room)  # from here on, the room's lines
        if announces:
            presence.announce_soon(feed.room_id)

    async def on_part(self, line: Line) -> None:
        if not line.params:
            return
        for name in line.params[0].split(","):
            slug = name.strip().lstrip("#").lower()
            if slug in self.rooms:
                await self._part(slug)
                self.send(Line("PART", (twitch.channel(slug),), {}, self._prefix()))

    async def _part(self, slug: str) -> None:
        room = self.rooms.pop(slug)
        room.feed.discard(room)
        try:
            if await presence.depart(room.feed.room_id, room.presence_id, room.login):
                presence.announce_soon(room.feed.room_id)
        except OSError:
            logger.warning("could not take an IRC connection off room %d's presence",
                           room.feed.room_id)  # fmt: skip

    def signed_out(self) -> None:
        """Its user may no longer be logged in (once, whichever room heard it first)."""
        if self.user is None or getattr(self, "_closing", None) is not None:
            return
        self.user = None
        self.send(twitch.notice("Login authentication failed", code="", slug=None))
        self._closing = asyncio.ensure_future(self.close())

    async def end(self) -> None:
        """The connection closed: it leaves every room."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        for slug in list(self.rooms):
            await self._part(slug)

    # ---- messages -------------------------------------------------------------------

    async def on_privmsg(self, line: Line) -> None:
        if not self.registered or len(line.params) < 2:
            return
        slug = line.params[0].lstrip("#").lower()
        room = self.rooms.get(slug)
        if room is None:
            return  # Twitch ignores messages to a channel not joined
        text = line.text
        if text.startswith("\x01ACTION ") and text.endswith("\x01"):
            text = "/me " + text[len("\x01ACTION ") : -1]  # an action, as the browser's /me
        nonce = line.tags.get("client-nonce", "")
        if not NONCE_RE.match(nonce):
            nonce = ""
        try:
            result = await achat_submit(
                room=room.feed.room,
                author=self.user,
                text=text,
                nonce=nonce,
                source="command",
                reply_to=line.tags.get("reply-parent-msg-id", ""),
            )
        except ChatRefused as refused:
            self.send(twitch.notice(refused.message, code=twitch.msg_id(refused.code), slug=slug))
            return
        if isinstance(result, CommandResult):
            command = text.strip().split()[0].lstrip("/").lower()
            self.send(twitch.notice(result.notice, code=twitch.command_id(command), slug=slug))
            return
        self.send(twitch.userstate(result.payload["author"], slug=slug,
                                   message_id=result.payload["id"]))  # fmt: skip
        if result.message.state == "pending":
            self.send(twitch.notice(PENDING_NOTICE, code="msg_rejected", slug=slug))


def _standing_in(room, user) -> tuple[bool, dict]:
    """Whether ``user`` moderates ``room``, and how they appear in it."""
    return user_moderates(room=room, user=user), author_payload_for(room=room, user=user)


def _global_author(user) -> dict:
    """The user as GLOBALUSERSTATE describes them: no room, so no room's badges."""
    return events.author_payload(user=user, badges=[])
