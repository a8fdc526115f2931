"""IRC over WebSocket, as Twitch serves it (``/`` and ``/irc``, subprotocol ``irc``): a
thin carrier of lines to and from an ``IrcSession``."""

from channels.exceptions import StopConsumer

from irc import twitch
from irc.session import IrcSession
from irc.wire import wire_text
from rooms.consumers import HubConsumer
from rooms.hub import text_frame


class IrcConsumer(HubConsumer):
    session: IrcSession | None = None
    protocol = "irc"

    async def websocket_connect(self, message) -> None:
        subprotocol = "irc" if "irc" in self.scope.get("subprotocols", ()) else None
        await self.accept(subprotocol)
        self.session = IrcSession(write=self.write, close=self.close)
        # On a graceful shutdown the server sends RECONNECT first (chatsite.server).
        self.last_words(text_frame(wire_text([twitch.reconnect()])))

    async def websocket_receive(self, message) -> None:
        text = message.get("text")
        if text is None and message.get("bytes") is not None:
            text = message["bytes"].decode("utf-8", errors="replace")
        if text:
            await self.session.receive(text)

    async def websocket_disconnect(self, message) -> None:
        raise StopConsumer()

    async def _leave(self) -> None:
        if self.session is not None:
            await self.session.end()
