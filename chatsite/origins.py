"""Which pages may open the browser's WebSockets: the same origin only (scheme, host and
port), or one the operator trusts (``CSRF_TRUSTED_ORIGINS``, as Django trusts it for forms).

Channels' ``AllowedHostsOriginValidator`` compared the Origin's host name alone with
``ALLOWED_HOSTS``: a page from ``http://localhost:6666`` (another program on the machine) or
from plain ``http`` to an ``https`` site passed, and could ride the visitor's session cookie.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin1")
    return ""


def _forwarded_https(scope) -> bool:
    """Whether a trusted proxy says the page came over HTTPS (``SECURE_PROXY_SSL_HEADER``)."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy:
        return False
    name, value = proxy
    header = name.removeprefix("HTTP_").lower().replace("_", "-").encode()
    return _header(scope, header) == value


def _normal(url: str) -> str | None:
    """``scheme://host[:port]``, lowercase, without the scheme's default port."""
    try:
        parsed = urlsplit(url.lower())
        port = parsed.port
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return None
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    default = 443 if parsed.scheme == "https" else 80
    return f"{parsed.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origin_allowed(scope) -> bool:
    """Whether the handshake's Origin is the page's own (scheme, host and port, the host one
    of ``ALLOWED_HOSTS``) or one of ``CSRF_TRUSTED_ORIGINS``."""
    origin = _header(scope, b"origin")
    if not origin:
        return False
    given = _normal(origin)
    if given is None:
        return False
    if given in {_normal(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    host = _header(scope, b"host")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    secure = scope.get("scheme") == "wss" or _forwarded_https(scope)
    return given == _normal(f"{'https' if secure else 'http'}://{host}")


class SameOriginValidator:
    """ASGI middleware: a WebSocket from another origin is refused at the handshake (403)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.app(scope, receive, send)
