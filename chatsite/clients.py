"""Who a request comes from: the client's address, told by a proxy only if it is trusted.

``X-Forwarded-For`` is whatever the client wrote, unless the connection comes from a proxy
the operator named (``TRUSTED_PROXIES``: addresses or networks); then the proxy's own
entries are skipped from the right, and the first address that is not one of them is the
client. DRF read the header from anyone, so one header slipped past every throttle.
"""

import ipaddress
from functools import cache

from django.conf import settings
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)


@cache
def _trusted(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_address(meta) -> str:
    """The client's address for a request's ``META`` (or an ASGI scope's equivalent)."""
    address = meta.get("REMOTE_ADDR", "")
    if not _is_trusted(address):
        return address
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            return hop
    return address


class _ClientIdent:
    def get_ident(self, request) -> str:
        return client_address(request.META)


class AnonThrottle(_ClientIdent, AnonRateThrottle):
    pass


class UserThrottle(_ClientIdent, UserRateThrottle):
    pass


class ScopedThrottle(_ClientIdent, ScopedRateThrottle):
    pass


class SignUpThrottle(_ClientIdent, SimpleRateThrottle):
    """The sign-up budget of an address (``register`` rate), shared by the HTML form and the
    API (the same cache key as the API's ``ScopedThrottle`` for that scope)."""

    scope = "register"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def request_source(headers) -> str:
    """Which interface a REST call says it comes from, for the audit log: ``dashboard``
    (the mod dashboard's page sends ``X-Source: dashboard``) or ``api``."""
    return "dashboard" if headers.get("X-Source") == "dashboard" else "api"
