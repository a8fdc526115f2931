"""A Twitch IRC session over WebSocket, against the real ASGI application: login, rooms,
messages both ways, moderation events and refusals."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from chatsite.asgi import application
from irc.lines import Line, parse
from moderation.actions.bans import user_timeout
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory
from tests.ws import joined, next_frame, open_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class IrcClient:
    """A WebSocket IRC client, as Twitch clients are: lines in, lines out."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.socket = communicator
        self.unread: list[Line] = []

    @classmethod
    async def connect(cls, path: str = "/", *, subprotocol: bool = True) -> "IrcClient":
        communicator = WebsocketCommunicator(
            application, path, headers=[(b"host", b"localhost")],
            subprotocols=["irc"] if subprotocol else None,
        )  # fmt: skip
        connected, chosen = await communicator.connect(timeout=10)
        assert connected
        client = cls(communicator)
        client.subprotocol = chosen
        return client

    async def send(self, *lines: str) -> None:
        await self.socket.send_to(text_data="".join(line + "\r\n" for line in lines))

    async def line(self, command: str | None = None, *, timeout: float = 10) -> Line:
        """The next line (the next ``command``, skipping others)."""
        while True:
            if not self.unread:
                text = await self.socket.receive_from(timeout=timeout)
                assert text.endswith("\r\n"), text
                self.unread += [parse(raw) for raw in text.split("\r\n") if raw]
            line = self.unread.pop(0)
            if command is None or line.command == command:
                return line

    async def nothing(self) -> bool:
        return not self.unread and await self.socket.receive_nothing(timeout=0.3)

    async def log_in(self, nick: str, token: str, caps: bool = True) -> None:
        if caps:
            await self.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
            assert (await self.line("CAP")).params[:2] == ("*", "ACK")
        await self.send(f"PASS oauth:{token}", f"NICK {nick}")
        await self.line("376")
        await self.line("GLOBALUSERSTATE")

    async def join(self, slug: str) -> list[Line]:
        await self.send(f"JOIN #{slug}")
        seen = []
        while True:
            line = await self.line()
            seen.append(line)
            if line.command == "ROOMSTATE":
                return seen


@pytest.fixture
def stage(db):
    room = RoomFactory(slug="irc_room", title="IRC Room")
    bot = UserFactory(username="chatbot", display_name="ChatBot", chat_color="#1E90FF")
    token = Token.objects.create(user=bot).key
    return room, bot, token


async def test_a_bot_logs_in_with_a_token_and_gets_twitchs_welcome(stage):
    _room, _bot, token = stage
    client = await IrcClient.connect()
    assert client.subprotocol == "irc"
    await client.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
    ack = await client.line("CAP")
    assert ack.params == ("*", "ACK", "twitch.tv/tags twitch.tv/commands twitch.tv/membership")
    await client.send(f"PASS oauth:{token.upper()}", "NICK ChatBot")  # some clients shout
    welcome = [await client.line() for _ in range(7)]
    assert [line.command for line in welcome] == ["001", "002", "003", "004", "375", "372", "376"]
    assert {line.prefix for line in welcome} == {"tmi.twitch.tv"}
    state = await client.line("GLOBALUSERSTATE")
    assert (state.tags["display-name"], state.tags["color"]) == ("ChatBot", "#1E90FF")
    await client.send("PING :tmi.twitch.tv")
    pong = await client.line("PONG")
    assert (pong.prefix, pong.params) == (None, ("tmi.twitch.tv",))


async def test_a_bad_token_is_refused_and_closed(stage):
    client = await IrcClient.connect("/irc")
    await client.send("PASS oauth:wrong", "NICK chatbot")
    notice = await client.line("NOTICE")
    assert notice.params == ("*", "Login authentication failed")
    assert (await client.socket.receive_output(timeout=5))["type"] == "websocket.close"


async def test_joining_gives_names_userstate_and_roomstate(stage):
    room, _bot, token = stage
    client = await IrcClient.connect()
    await client.log_in("chatbot", token)
    lines = await client.join("irc_room")
    assert [line.command for line in lines] == ["JOIN", "353", "366", "USERSTATE", "ROOMSTATE"]
    assert lines[0].prefix == "chatbot!chatbot@chatbot.tmi.twitch.tv"
    assert lines[0].params == ("#irc_room",)
    assert lines[-1].tags == {"followers-only": "-1", "emote-only": "0", "r9k": "0", "slow": "0",
                              "subs-only": "0", "room-id": str(room.id)}  # fmt: skip


async def test_messages_flow_both_ways_between_irc_and_the_browser(stage):
    room, bot, token = stage
    talker = await sync_to_async(UserFactory)(
        username="talker", display_name="Talker", chat_color="#FF4500"
    )
    await sync_to_async(membership_set)(room=room, user=talker, is_vip=True)
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    browser, _ = await open_room("irc_room", user=talker)
    await joined(browser)

    # browser -> IRC: the displayed text, with Twitch's tags
    await browser.send_to(text_data=json.dumps({"type": "send", "text": "hello irc"}))
    sent = await irc.line("PRIVMSG")
    stored = await sync_to_async(Message.objects.get)(author=talker)
    assert sent.params == ("#irc_room", stored.display_text)
    assert sent.prefix == "talker!talker@talker.tmi.twitch.tv"
    assert (sent.tags["id"], sent.tags["vip"], sent.tags["room-id"]) == (
        str(stored.id),
        "1",
        str(room.id),
    )
    assert sent.tags["display-name"] == "Talker"

    # IRC -> browser: through the same send path, and no echo to the sender
    await irc.send("PRIVMSG #irc_room :hello browser")
    state = await irc.line("USERSTATE")
    mine = await sync_to_async(Message.objects.get)(author=bot)
    assert state.tags["id"] == str(mine.id)
    frame = await next_frame(browser, "message")
    while frame["message"]["author"]["login"] != "chatbot":  # its own "hello irc" first
        frame = await next_frame(browser, "message")
    assert (frame["message"]["author"]["login"], frame["message"]["id"]) == (
        "chatbot",
        str(mine.id),
    )
    assert await irc.nothing()  # its own PRIVMSG never comes back
    await browser.disconnect()


async def test_refusals_are_notices_with_twitchs_msg_ids(stage):
    _room, _bot, token = stage
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    await irc.send("PRIVMSG #irc_room :same thing", "PRIVMSG #irc_room :same thing")
    await irc.line("USERSTATE")
    refused = await irc.line("NOTICE")
    assert (refused.tags["msg-id"], refused.params[0]) == ("msg_duplicate", "#irc_room")
    await irc.send("PRIVMSG #irc_room :/ban nobody_here")
    not_a_mod = await irc.line("NOTICE")  # said first, whoever the target
    assert not_a_mod.tags["msg-id"] == "no_permission"


async def test_timeouts_deletes_and_clears_reach_irc(stage):
    room, bot, token = stage
    rowdy = await sync_to_async(UserFactory)(username="rowdy")
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    await sync_to_async(message_send)(room=room, author=rowdy, text="spam spam")
    await irc.line("PRIVMSG")
    await sync_to_async(user_timeout)(room=room, actor=room.owner, target=rowdy, seconds=90,
                                      source="api")  # fmt: skip
    timeout = await irc.line("CLEARCHAT")
    assert timeout.params == ("#irc_room", "rowdy")
    assert (timeout.tags["ban-duration"], timeout.tags["target-user-id"]) == ("90", str(rowdy.id))
    # A moderator's delete over IRC reaches IRC as CLEARMSG.
    await sync_to_async(membership_set)(room=room, user=bot, is_moderator=True)
    other = await sync_to_async(UserFactory)(username="other")
    again = await sync_to_async(message_send)(room=room, author=other, text="delete me")
    await irc.line("PRIVMSG")
    await irc.send(f"PRIVMSG #irc_room :/delete {again.message.id}")
    seen = {}
    while len(seen) < 2:  # the command's answer and the room's CLEARMSG, in either order
        line = await irc.line()
        if line.command in ("CLEARMSG", "NOTICE"):
            seen[line.command] = line
    assert (seen["CLEARMSG"].tags["target-msg-id"], seen["CLEARMSG"].tags["login"]) == (
        str(again.message.id),
        "other",
    )
    assert seen["NOTICE"].tags["msg-id"] == "delete_message_success"  # what tmi.js waits for


async def test_anonymous_viewers_read_but_cannot_send(stage):
    _room, _bot, _token = stage
    irc = await IrcClient.connect(subprotocol=False)
    assert irc.subprotocol is None
    await irc.send("PASS SCHMOOPIIE", "NICK justinfan12345")
    await irc.line("376")
    await irc.join("irc_room")
    await irc.send("PRIVMSG #irc_room :hi")
    refused = await irc.line("NOTICE")
    assert refused.params[1] == "Log in to chat."
    assert not await sync_to_async(Message.objects.exists)()


async def test_a_mode_change_is_a_partial_roomstate(stage):
    room, _bot, token = stage
    from moderation.actions.rooms import room_mode_set

    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    await sync_to_async(room_mode_set)(room=room, actor=room.owner, field="slow_mode_seconds",
                                       value=30, source="api")  # fmt: skip
    state = await irc.line("ROOMSTATE")
    assert state.tags == {"slow": "30", "room-id": str(room.id)}


async def test_an_unknown_room_is_explained(stage):
    _room, _bot, token = stage
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.send("JOIN #no_such_room")
    notice = await irc.line("NOTICE")
    assert notice.tags["msg-id"] == "msg_channel_suspended"


async def test_others_joining_and_leaving_with_the_membership_capability(stage):
    _room, _bot, token = stage
    watcher = await IrcClient.connect()
    await watcher.log_in("chatbot", token)  # asks for twitch.tv/membership
    await watcher.join("irc_room")
    quiet = await IrcClient.connect()
    await quiet.send("NICK justinfan777")  # no capabilities asked
    await quiet.line("376")
    await quiet.join("irc_room")
    friend = await sync_to_async(UserFactory)(username="friend")
    friend_token = (await sync_to_async(Token.objects.create)(user=friend)).key
    other = await IrcClient.connect()
    await other.log_in("friend", friend_token)
    await other.join("irc_room")

    joined_line = await watcher.line("JOIN")
    assert (joined_line.prefix, joined_line.params) == ("friend!friend@friend.tmi.twitch.tv",
                                                        ("#irc_room",))  # fmt: skip
    await other.send("PART #irc_room")
    parted = await watcher.line("PART")
    assert parted.prefix.startswith("friend!")
    assert all(line.command not in ("JOIN", "PART") for line in quiet.unread)
    assert await quiet.nothing()


async def test_a_silent_client_is_pinged_then_closed(stage, monkeypatch):
    from irc import session

    monkeypatch.setattr(session, "IDLE_PING", 0.2)
    monkeypatch.setattr(session, "PING_WAIT", 0.2)
    client = await IrcClient.connect()
    await client.send("NICK justinfan1")
    await client.line("376")
    ping = await client.line("PING")
    assert ping.params == ("tmi.twitch.tv",)
    assert (await client.socket.receive_output(timeout=10))["type"] == "websocket.close"


async def test_me_actions_go_both_ways_as_ctcp_action(stage):
    _room, bot, token = stage
    talker = await sync_to_async(UserFactory)(username="talker")
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    browser, _ = await open_room("irc_room", user=talker)
    await joined(browser)
    await browser.send_to(text_data=json.dumps({"type": "send", "text": "/me dances"}))
    line = await irc.line("PRIVMSG")
    assert line.text.startswith("\x01ACTION ")
    assert line.text.endswith("\x01")

    await irc.send("PRIVMSG #irc_room :\x01ACTION waves back\x01")
    await irc.line("USERSTATE")
    stored = await sync_to_async(Message.objects.get)(author=bot)
    assert (stored.is_action, stored.original_text) == (True, "waves back")
    frame = await next_frame(browser, "message")
    while frame["message"]["author"]["login"] != "chatbot":
        frame = await next_frame(browser, "message")
    assert frame["message"]["action"] is True
    await browser.disconnect()


async def test_replies_go_both_ways_with_twitchs_reply_tags(stage):
    room, bot, token = stage
    asker = await sync_to_async(UserFactory)(username="asker", display_name="Asker")
    question = await sync_to_async(message_send)(room=room, author=asker, text="anyone?")
    irc = await IrcClient.connect()
    await irc.log_in("chatbot", token)
    await irc.join("irc_room")
    await irc.send(f"@reply-parent-msg-id={question.message.id} PRIVMSG #irc_room :@Asker me")
    await irc.line("USERSTATE")
    stored = await sync_to_async(Message.objects.get)(author=bot)
    assert stored.reply_parent["login"] == "asker"

    other = await IrcClient.connect()
    await other.send("NICK justinfan99")
    await other.line("376")
    await other.join("irc_room")
    await sync_to_async(message_send)(room=room, author=asker, text="thanks",
                                      reply_to=str(stored.id))  # fmt: skip
    reply = await other.line("PRIVMSG")
    while not reply.prefix.startswith("asker!"):  # the bot's own may still be on its way
        reply = await other.line("PRIVMSG")
    assert reply.tags["reply-parent-msg-id"] == str(stored.id)
    assert (reply.tags["reply-parent-user-login"], reply.tags["reply-parent-display-name"]) == (
        "chatbot",
        "ChatBot",
    )
    assert reply.tags["reply-parent-msg-body"] == stored.display_text
