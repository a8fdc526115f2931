"""Limits on open sockets, for every interface that holds them (the web processes' browser
and IRC-over-WebSocket sockets, the plain-TCP IRC server's connections): per client address
(``WS_MAX_PER_ADDRESS``, every kind together) and per logged-in user (``WS_MAX_PER_USER``),
counted by each process for its own sockets (no shared state to leak when a process dies;
behind a load balancer a client meets each process's limit)."""

from collections import Counter

from django.conf import settings

from chatsite.errors import ChatRefused, ErrorCode

_by_address: Counter[str] = Counter()
_by_user: Counter[int] = Counter()


def socket_open(address: str, user_id: int | None = None) -> ChatRefused | None:
    """Count a new socket from ``address`` (and ``user_id``); the refusal instead, counting
    nothing, when it is one too many."""
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
    _by_address[address] += 1
    if user_id is not None:
        _by_user[user_id] += 1
    return None


def socket_closed(address: str, user_id: int | None = None) -> None:
    """A socket counted by ``socket_open`` ended."""
    _forget(_by_address, address)
    if user_id is not None:
        _forget(_by_user, user_id)


def _forget(counter: Counter, key) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


def open_counts() -> tuple[int, int]:
    """How many addresses and users have sockets open here (the tests' check)."""
    return len(_by_address), len(_by_user)
