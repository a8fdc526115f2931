"""Limits on open sockets: per client address (``WS_MAX_PER_ADDRESS``, browser and IRC
sockets together) and per logged-in user (``WS_MAX_PER_USER``), counted by each web
process for its own sockets (no shared state to leak when a process dies; behind a load
balancer a client meets each process's limit). One over the limit is accepted just long
enough to hear why (an ``error`` frame with code ``too_many_connections``, or an IRC
NOTICE) and closed with code 4429."""

import json
from collections import Counter

from django.conf import settings

from chatsite.clients import client_address
from chatsite.errors import ChatRefused, ErrorCode
from irc import twitch
from irc.wire import wire_text

CLOSE_CODE = 4429

_by_address: Counter[str] = Counter()
_by_user: Counter[int] = Counter()


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
        refused = self._refusal(address, user_id)
        if refused is not None:
            return await self._refuse(refused, receive, send)
        _by_address[address] += 1
        if user_id is not None:
            _by_user[user_id] += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            _forget(_by_address, address)
            if user_id is not None:
                _forget(_by_user, user_id)

    @staticmethod
    def _refusal(address: str, user_id: int | None) -> ChatRefused | None:
        if _by_address[address] >= settings.WS_MAX_PER_ADDRESS:
            return ChatRefused(
                ErrorCode.TOO_MANY_CONNECTIONS,
                f"Too many open connections from your address (at most "
                f"{settings.WS_MAX_PER_ADDRESS}): close some first.",
            )
        if user_id is not None and _by_user[user_id] >= settings.WS_MAX_PER_USER:
            return ChatRefused(
                ErrorCode.TOO_MANY_CONNECTIONS,
                f"Too many open connections for your account (at most "
                f"{settings.WS_MAX_PER_USER}): close some tabs first.",
            )
        return None

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


def _forget(counter: Counter, key) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


def open_counts() -> tuple[int, int]:
    """How many addresses and users have sockets open here (the tests' check)."""
    return len(_by_address), len(_by_user)
