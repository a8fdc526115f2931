"""Outages of PostgreSQL and Redis, as clients meet them: the documented `unavailable`
answer (a JSON 503 with `retry_after`, an error frame on the socket), never an HTML 500 or
a bare 1011, and service again on its own once they are back."""

import json
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from chatsite.ports import free_port
from tests import servers
from tests.factories import RoomFactory, UserFactory
from tests.faults import proxied_url, proxy_for
from tests.ws import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (http only)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def frames(socket, count: int) -> list[dict]:
    got = []
    while len(got) < count:
        frame = json.loads(socket.recv(timeout=15))
        got += frame["frames"] if frame["type"] == "batch" else [frame]
    return got


def until(condition, *, timeout: float = 30):
    """Wait for ``condition()`` to be true (the service is back, the server notices)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, "still not recovered"
        time.sleep(0.3)
    return result


def test_with_postgresql_and_redis_unreachable_every_interface_says_unavailable(asgi_server):
    RoomFactory(slug="dark")
    nothing = free_port()  # nobody listens there: the service is down
    server = asgi_server(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{nothing}/gone",
        REDIS_URL=f"redis://127.0.0.1:{nothing}/0",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{nothing}/0",
    )

    status, headers, body = fetch(server.url + "/api/rooms/")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)
    assert error["code"] == "unavailable"
    assert error["retry_after"] > 0
    assert int(headers["Retry-After"]) >= 1

    status, headers, body = fetch(server.url + "/rooms/dark/")
    assert status == 503
    assert b"Back shortly" in body
    assert "Retry-After" in headers

    status, _, body = fetch(server.url + "/readyz")
    report = json.loads(body)
    assert status == 503
    assert set(report["failed"]) == {"database", "redis", "worker"}
    assert fetch(server.url + "/healthz")[0] == 200

    ws_url = server.url.replace("http", "ws") + "/ws/rooms/dark/"
    with connect(ws_url, additional_headers={"Origin": server.url}) as socket:
        [frame] = frames(socket, 1)
        assert frame["type"] == "error"
        assert frame["code"] == "unavailable"
        assert frame["retry_after"] > 0
        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=15)
        assert socket.close_code == 1013


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL over TCP")
def test_a_postgresql_outage_refuses_sends_clearly_and_service_comes_back_on_its_own(
    asgi_server,
):
    RoomFactory(slug="flaky")
    chatter = UserFactory(username="steady")
    cookie = session_cookie(chatter)
    database = proxy_for(servers.test_database_url())
    try:
        server = asgi_server(
            DATABASE_URL=proxied_url(servers.test_database_url(), database.port),
            DATABASE_CONN_MAX_AGE="60",
        )
        assert fetch(server.url + "/api/rooms/flaky/")[0] == 200
        ws_url = server.url.replace("http", "ws") + "/ws/rooms/flaky/"
        headers = {"Origin": server.url, "Cookie": cookie}
        with connect(ws_url, additional_headers=headers) as socket:
            assert frames(socket, 1)[0]["type"] == "history"

            database.cut()
            status, _, body = fetch(server.url + "/api/rooms/flaky/")
            assert status == 503
            assert json.loads(body)["code"] == "unavailable"
            socket.send(json.dumps({"type": "send", "text": "into the void", "nonce": "v1"}))
            answer = next(f for f in iter(lambda: frames(socket, 1)[0], None)
                          if f.get("nonce") == "v1")  # fmt: skip
            assert answer["type"] == "error"
            assert answer["code"] == "unavailable"

            database.restore()
            until(lambda: fetch(server.url + "/api/rooms/flaky/")[0] == 200)
            socket.send(json.dumps({"type": "send", "text": "back again", "nonce": "v2"}))
            answer = until(lambda: next(f for f in iter(lambda: frames(socket, 1)[0], None)
                                        if f.get("nonce") == "v2"))  # fmt: skip
            assert answer["type"] == "ack"
        status, _, body = fetch(server.url + "/api/rooms/flaky/messages/")
        texts = [m["text"] for m in json.loads(body)["results"]]
        assert "back again" in texts
        assert "into the void" not in texts
    finally:
        database.close()
