"""A room's frames as Twitch IRC lines, built once per tick for every IRC connection
alike (``rooms.hub.Wire``), as the browser's JSON text is."""

import json
from collections import OrderedDict
from typing import Any

from irc import twitch
from irc.lines import Line, serialize
from rooms import events
from rooms.hub import text_frame

RECENT = 500  # messages a room remembers, to turn an update or a delete into lines


class _RoomLines:
    """What a room's translation remembers: recent messages, the last room state."""

    def __init__(self) -> None:
        self.recent: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.state: dict[str, Any] | None = None
        self.chatters: set[str] | None = None  # None: not known, or too many to list

    def membership(self, slug: str, frame: dict[str, Any]) -> list[tuple[str, Line]]:
        """Who came and went since the last presence frame, as JOIN and PART lines (the
        ``twitch.tv/membership`` capability's); none in a room with more chatters than a
        presence frame lists, as Twitch stops sending them in big rooms."""
        if frame["chatter_count"] > len(frame["chatters"]):
            self.chatters = None
            return []
        now, before = set(frame["chatters"]), self.chatters
        self.chatters = now
        if before is None:
            return []
        where = (twitch.channel(slug),)
        return [(login, Line("JOIN", where, {}, twitch.user_prefix(login)))
                for login in sorted(now - before)] + [
                (login, Line("PART", where, {}, twitch.user_prefix(login)))
                for login in sorted(before - now)]  # fmt: skip

    def remember(self, payload: dict[str, Any]) -> None:
        self.recent[payload["id"]] = payload
        self.recent.move_to_end(payload["id"])
        while len(self.recent) > RECENT:
            self.recent.popitem(last=False)


def _login(payload: dict[str, Any] | None) -> str:
    return payload["author"]["login"] if payload and payload.get("author") else ""


def translate(room, memory: _RoomLines, frame: dict[str, Any]) -> tuple[int | None, list[Line]]:
    """One frame as IRC lines, and the user it came from (who gets no echo of it)."""
    kind, slug, room_id = frame["type"], room.slug, room.id
    if kind == events.MESSAGE:
        payload = frame["message"]
        if payload.get("shadowed"):
            return None, []  # the moderators' marked copy: IRC has no way to mark it
        memory.remember(payload)
        author = payload["author"]
        return (author["id"] if author else None), [
            twitch.privmsg(payload, slug=slug, room_id=room_id)
        ]
    if kind == events.UPDATE:
        # Twitch cannot edit a message: the old text is cleared, the new one sent.
        known = memory.recent.get(frame["id"])
        if known is None:
            return None, []
        fresh = {**known, "text": frame["text"], "emotes": frame["emotes"]}
        memory.remember(fresh)
        author = known["author"]
        cleared = twitch.clearmsg(slug=slug, room_id=room_id, login=_login(known),
                                  message_id=frame["id"], text=known["text"])  # fmt: skip
        return (author["id"] if author else None), [
            cleared,
            twitch.privmsg(fresh, slug=slug, room_id=room_id),
        ]
    if kind == events.DELETE:
        known = memory.recent.get(frame["id"])
        return None, [twitch.clearmsg(slug=slug, room_id=room_id, login=_login(known),
                                      message_id=frame["id"])]  # fmt: skip
    if kind == events.CLEAR_USER:
        cleared = twitch.clearchat(
            slug=slug,
            room_id=room_id,
            login=frame["login"],
            user_id=frame["user_id"],
            duration=frame["duration"],
        )
        return None, [cleared]
    if kind == events.CLEAR_CHAT:
        return None, [twitch.clearchat(slug=slug, room_id=room_id)]
    if kind == events.ROOM_STATE:
        before, memory.state = memory.state, frame
        changed = None
        if before is not None:
            changed = {field for field in twitch.ROOMSTATE_TAGS if before[field] != frame[field]}
            if not changed:
                return None, []
        return None, [twitch.roomstate(frame, room_id=room_id, only=changed)]
    if kind == events.NOTICE:
        code = twitch.notice_id(frame.get("code", ""))
        return None, [twitch.notice(frame["message"], code=code, slug=slug)]
    return None, []  # presence, the moderators' own frames: nothing Twitch clients know


def wire_text(lines: list[Line]) -> str:
    """Lines as sent: each ended by CR LF."""
    return "".join(serialize(line) + "\r\n" for line in lines)


def room_memory(feed) -> _RoomLines:
    """What the room's IRC translation remembers, made on first use."""
    memory = feed.wire_state.get("irc")
    if memory is None:
        memory = feed.wire_state["irc"] = _RoomLines()
        memory.state = events.room_state_frame(feed.room)
    return memory


def chatters_known(feed, chatters: list[str], count: int) -> None:
    """The chatters as a connection joining the room found them: the base that the next
    presence frame's JOIN and PART lines are counted from."""
    memory = room_memory(feed)
    if memory.chatters is None and count <= len(chatters):
        memory.chatters = set(chatters)


class IrcWire:
    """``rooms.hub.Wire`` for IRC connections (``irc.session.IrcRoom``)."""

    def write(self, feed, parts: list[tuple[str, str]], sockets: list) -> None:
        memory = room_memory(feed)
        # (audience, author, text, membership lines by login)
        entries: list[tuple[str, int | None, str, list[tuple[str, str]]]] = []
        for audience, text in parts:
            frame = json.loads(text)
            if frame["type"] == events.PRESENCE:
                changes = memory.membership(feed.room.slug, frame)
                if changes:
                    lines = [(login, wire_text([line])) for login, line in changes]
                    entries.append((audience, None, "", lines))
                continue
            author_id, lines = translate(feed.room, memory, frame)
            if lines:
                entries.append((audience, author_id, wire_text(lines), []))
        if not entries:
            return
        authors = {author for _, author, _, _ in entries if author is not None}
        named = {login for *_, changes in entries for login, _ in changes}
        built: dict[tuple, tuple[str, bytes]] = {}
        for socket in sockets:
            key = (socket.moderates, socket.user_key,
                   socket.user_id if socket.user_id in authors else None, socket.membership,
                   socket.login if socket.login in named else None)  # fmt: skip
            text = built.get(key)
            if text is None:
                composed = _compose(entries, *key)
                text = built[key] = (composed, text_frame(composed) if composed else b"")
            if text[0]:
                socket.write(*text)  # the WebSocket frame's bytes too: built once per kind


def _compose(entries, moderates: bool, own: str | None, author: int | None, membership: bool,
             login: str | None) -> str:  # fmt: skip
    """What one kind of IRC connection gets of a tick: its audiences' lines, none of its
    own messages back, and others' JOIN and PART if it asked for them."""
    out = []
    for audience, author_id, text, changes in entries:
        if not (audience == events.ALL or (moderates and audience == events.MODS)
                or audience == own):  # fmt: skip
            continue
        if changes:
            if membership:
                out += [line for who, line in changes if who != login]
        elif author_id is None or author_id != author:
            out.append(text)
    return "".join(out)


IRC = IrcWire()
