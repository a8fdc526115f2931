"""What an orchestrator and a monitoring system ask a web process, answered in front of
Django (no host check, no HTTPS redirect, no session: a kubelet probes by the pod's
address, over plain HTTP):

- ``/healthz``: the process answers (no dependency is checked: a database outage must
  not get every web process restarted);
- ``/readyz``: it can serve: PostgreSQL and Redis answer, a Celery worker's heartbeat is
  fresh, and the process is not stopping. A 503 names what failed.
- ``/metrics``: Prometheus' text format, for every process of the deployment on this
  host (chatsite.metrics).
"""

import asyncio
import json
import time

import redis.asyncio as aredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from chatsite.celery import HEARTBEAT_MAX_AGE, WORKERS_KEY
from chatsite.lifecycle import stopping
from chatsite.outages import describe

CHECK_TIMEOUT = 2.0  # seconds each dependency gets to answer

PATHS = {"/healthz", "/readyz", "/metrics"}


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        close_old_connections()  # as at a request's end: kept for CONN_MAX_AGE, if usable


async def _check_database() -> str:
    await sync_to_async(_database, thread_sensitive=True)()
    return "ok"


_redis: dict[asyncio.AbstractEventLoop, aredis.Redis] = {}


def _redis_client() -> aredis.Redis:
    loop = asyncio.get_running_loop()
    client = _redis.get(loop)
    if client is None:
        client = _redis[loop] = aredis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=CHECK_TIMEOUT,
            socket_connect_timeout=CHECK_TIMEOUT,
            max_connections=4,
        )
    return client


async def _check_redis() -> str:
    await _redis_client().ping()
    return "ok"


async def _check_worker() -> str:
    beats = await _redis_client().hgetall(WORKERS_KEY)
    now = time.time()
    fresh = [name for name, at in beats.items() if now - float(at) <= HEARTBEAT_MAX_AGE]
    if not fresh:
        if not beats:
            raise LookupError("no Celery worker has a heartbeat")
        newest = max(float(at) for at in beats.values())
        raise LookupError(f"no Celery worker heartbeat for {now - newest:.0f} s")
    return f"ok ({len(fresh)} worker{'s' if len(fresh) > 1 else ''})"


async def readiness() -> tuple[bool, dict[str, str]]:
    """Whether this process is ready, and each check's result (``ok`` or what failed)."""
    names = ("database", "redis", "worker")
    checks = (_check_database(), _check_redis(), _check_worker())
    results = await asyncio.gather(
        *(asyncio.wait_for(check, CHECK_TIMEOUT + 0.5) for check in checks),
        return_exceptions=True,
    )
    report = {}
    for name, result in zip(names, results, strict=True):
        if isinstance(result, TimeoutError):
            result = TimeoutError(f"no answer within {CHECK_TIMEOUT:.0f} s")
        report[name] = str(result) if isinstance(result, LookupError) else (
            describe(result) if isinstance(result, BaseException) else result
        )  # fmt: skip
    if stopping():
        report["process"] = "stopping"
    ready = all(value.startswith("ok") for value in report.values())
    return ready, report


async def _respond(send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"cache-control", b"no-store"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _json(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


class Probes:
    """The probes and metrics in front of ``app`` (Django's ASGI application)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path")
        if scope["type"] != "http" or path not in PATHS:
            return await self.app(scope, receive, send)
        if scope["method"] not in ("GET", "HEAD"):
            body = _json({"code": "method_not_allowed", "message": "Use GET."})
            return await _respond(send, 405, body, b"application/json")
        if path == "/healthz":
            return await _respond(send, 200, _json({"status": "ok"}), b"application/json")
        if path == "/readyz":
            ready, report = await readiness()
            failed = [name for name, value in report.items() if not value.startswith("ok")]
            body = {"status": "ready" if ready else "unavailable", "checks": report}
            if failed:
                body["failed"] = failed
            return await _respond(send, 200 if ready else 503, _json(body), b"application/json")
        from chatsite import metrics

        body, content_type = await asyncio.to_thread(metrics.exposition)
        return await _respond(send, 200, body, content_type.encode())
