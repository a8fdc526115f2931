"""A web process stopped by SIGTERM (a deploy): /readyz turns red first, every socket
hears the reconnect frame, sends in flight are stored, and the process exits by itself."""

import json
import signal
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from rooms.models import Message
from tests.factories import RoomFactory, UserFactory
from tests.ws import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def read_until_closed(socket) -> list[dict]:
    seen = []
    try:
        while True:
            frame = json.loads(socket.recv(timeout=20))
            seen += frame["frames"] if frame["type"] == "batch" else [frame]
    except ConnectionClosed:
        return seen


def test_a_stopping_server_drains_tells_its_clients_and_loses_no_send(asgi_server):
    RoomFactory(slug="deploy")
    chatter = UserFactory(username="mid_deploy")
    server = asgi_server(SHUTDOWN_DRAIN="3")
    ws_url = server.url.replace("http", "ws") + "/ws/rooms/deploy/"
    headers = {"Origin": server.url, "Cookie": session_cookie(chatter)}
    with connect(ws_url, additional_headers=headers) as socket:
        assert json.loads(socket.recv(timeout=15))["type"] in ("history", "batch")
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        # Draining: no longer ready, still serving, and still taking sends.
        assert status_of(server.url + "/readyz") == 503
        assert status_of(server.url + "/healthz") == 200
        for n in range(20):
            socket.send(json.dumps({"type": "send", "text": f"last words {n}", "nonce": f"n{n}"}))
        seen = read_until_closed(socket)
        assert socket.close_code == 1012  # "service restart"
    kinds = [frame["type"] for frame in seen]
    assert kinds[-1] == "reconnect"
    assert server.process.wait(timeout=30) == 0, server.log.read_text()
    stored = set(Message.objects.filter(room__slug="deploy").values_list("nonce", flat=True))
    acked = {frame["nonce"] for frame in seen if frame["type"] == "ack"}
    assert acked <= stored
    assert stored == {f"n{n}" for n in range(20)}  # sent before the close: none lost
