"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")

# Build the Django app first: it sets up the app registry the routing needs.
django_asgi_app = get_asgi_application()

from importlib import import_module  # noqa: E402

from channels.auth import get_user  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.http.cookie import parse_cookie  # noqa: E402

from chatsite.connections import ConnectionLimits  # noqa: E402
from chatsite.origins import SameOriginValidator  # noqa: E402
from chatsite.probes import Probes  # noqa: E402
from chatsite.routing import IRC_PATHS, irc_consumer, websocket_urlpatterns  # noqa: E402
from rooms.hub import SERVER_SEND, SESSION_KEY  # noqa: E402


class SocketScope:
    """What a chat socket's scope needs, added in one copy: the logged-in user, found as
    Channels' ``AuthMiddlewareStack`` finds them (the session cookie, its session, the
    session's user, or ``AnonymousUser``), and the server's own ``send``, which the rooms'
    hub writes frames with (see rooms.hub.HubSocket).

    One middleware where Channels stacks three: each of those keeps a copy of the scope
    (and the cookies, and a session wrapper) for as long as the socket is open, some
    3 KB of every idle connection's 30 KB budget (docs/performance.md). The sockets use
    neither the session nor the cookies after the handshake.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        user = AnonymousUser()
        key = _cookies(scope).get(settings.SESSION_COOKIE_NAME)
        if key:
            session = import_module(settings.SESSION_ENGINE).SessionStore(key)
            user = await get_user({"session": session})
        extra = {"user": user, SERVER_SEND: send}
        if user.is_authenticated:
            extra[SESSION_KEY] = key  # to close the socket when that session logs out
        return await self.app({**scope, **extra}, receive, send)


def _cookies(scope) -> dict[str, str]:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin1"))
    return {}


class ServerSend:
    """The server's own ``send`` in the scope, for the hub's writes (see ``SocketScope``)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, SERVER_SEND: send}, receive, send)


browser_sockets = SameOriginValidator(
    SocketScope(ConnectionLimits(URLRouter(websocket_urlpatterns)))
)
# IRC clients log in with a token, not a cookie, and bots send no Origin: any origin.
irc_sockets = ServerSend(ConnectionLimits(irc_consumer, irc=True))


async def websocket(scope, receive, send):
    if scope["path"] in IRC_PATHS:
        return await irc_sockets(scope, receive, send)
    return await browser_sockets(scope, receive, send)


# /healthz, /readyz and /metrics answer in front of Django (chatsite.probes).
application = ProtocolTypeRouter({"http": Probes(django_asgi_app), "websocket": websocket})

# Everything loaded so far (Django, the apps, the URL conf: some 130,000 objects) lives as
# long as the process: take it out of the garbage collector's reach. Otherwise each full
# collection scans all of it again, a pause of 70 to 120 ms on the event loop every
# second or two under load (docs/performance.md).
gc.freeze()
