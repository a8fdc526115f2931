"""The socket limits (``chatsite.socket_limits``) in front of the web processes' sockets. One
over the limit is accepted just long enough to hear why (an ``error`` frame with code
``too_many_connections``, or an IRC NOTICE) and closed with code 4429."""

import json

from chatsite.clients import client_address
from chatsite.errors import ChatRefused
from chatsite.socket_limits import open_counts, socket_closed, socket_open
from irc import twitch
from irc.wire import wire_text

CLOSE_CODE = 4429
__all__ = ["CLOSE_CODE", "ConnectionLimits", "open_counts"]


def _address(scope) -> str:
    meta = {"REMOTE_ADDR": (scope.get("client") or ("", 0))[0]}
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            meta["HTTP_X_FORWARDED_FOR"] = value.decode("latin1")
    return client_address(meta)


class ConnectionLimits:
    """ASGI middleware for sockets (inside the one that finds the user, for browser
    sockets). ``irc``: refuse in IRC's words rather than with a JSON frame."""

    def __init__(self, app, *, irc: bool = False) -> None:
        self.app, self.irc = app, irc

    async def __call__(self, scope, receive, send):
        address = _address(scope)
        user = scope.get("user")
        user_id = user.id if user is not None and user.is_authenticated else None
        refused = socket_open(address, user_id)
        if refused is not None:
            return await self._refuse(refused, receive, send)
        try:
            return await self.app(scope, receive, send)
        finally:
            socket_closed(address, user_id)

    async def _refuse(self, refused: ChatRefused, receive, send) -> None:
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        if self.irc:
            text = wire_text([twitch.notice(refused.message, code="msg_ratelimit")])
            await send({"type": "websocket.accept", "subprotocol": None})
        else:
            text = json.dumps({"type": "error", **refused.as_dict()})
            await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": text})
        await send({"type": "websocket.close", "code": CLOSE_CODE})
