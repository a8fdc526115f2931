"""Outages of the services the product stands on (PostgreSQL, Redis, the Celery broker):
which errors mean one, and the answer a client gets meanwhile. Every interface answers
an outage the same way: the ``unavailable`` code with ``retry_after`` (a JSON 503 with a
``Retry-After`` header on HTTP, an error frame on the sockets), never a 500 or a 1011,
and recovers on its own when the service is back (each request and connection tries
again)."""

import redis
from django.db import DatabaseError, InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from chatsite.errors import ChatRefused, ErrorCode

RETRY_AFTER = 5.0  # seconds a client waits before it tries again

# Not DatabaseError as a whole: an IntegrityError or a DataError is a bug to see, not an
# outage to wait out.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    redis.ConnectionError,
    redis.TimeoutError,
    BrokerError,
)


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` says a service is unreachable (on the error or what caused it)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        if isinstance(error, DatabaseError) and "connection" in str(error).lower():
            return True  # psycopg's "the connection is closed", wrapped as a DatabaseError
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def unavailable(message: str = "") -> ChatRefused:
    """The refusal that answers a request during an outage."""
    return ChatRefused(
        ErrorCode.UNAVAILABLE,
        message or "Chat cannot reach its database or Redis right now. Try again shortly.",
        retry_after=RETRY_AFTER,
    )


def describe(error: BaseException) -> str:
    """One line for the log: which error, its first line."""
    first = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
