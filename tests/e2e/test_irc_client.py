"""A bot written for Twitch with tmi.js (the widely used Twitch chat library, from npm)
against a live server, changed only in host and port: examples/tmi-bot/bot.mjs."""

import json
import os
import queue
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from moderation.actions.bans import user_timeout
from moderation.actions.messages import message_delete
from moderation.models import RoomBan
from rooms.actions.rooms import membership_set
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory
from tests.ws import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOT = Path(__file__).resolve().parents[2] / "examples" / "tmi-bot"
NODE = shutil.which("node")


@pytest.fixture
def tmi_bot():
    """``start(env)`` runs the example bot; ``expect(event)`` waits for what it reports."""
    if NODE is None or not (BOT / "node_modules" / "tmi.js").exists():
        if os.environ.get("CI"):
            pytest.fail("node and examples/tmi-bot/node_modules are missing; .ci/run installs them")
        pytest.skip("needs node and `npm ci` in examples/tmi-bot")
    processes, reports = [], queue.Queue()

    def start(**env: str):
        process = subprocess.Popen(
            [NODE, "bot.mjs"],
            cwd=BOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        threading.Thread(target=_read, args=(process, reports), daemon=True).start()

    def expect(event: str, timeout: float = 20, **details) -> dict:
        seen = []
        while True:
            try:
                report = reports.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"the bot never reported {event} {details}: {seen}") from None
            seen.append(report)
            if report.get("event") == event and all(report.get(k) == v for k, v in details.items()):
                return report

    yield start, expect
    for process in processes:
        process.kill()
        process.wait(timeout=10)


def _read(process, reports) -> None:
    for raw in process.stdout:
        try:
            reports.put(json.loads(raw))
        except ValueError:
            reports.put({"event": "log", "text": raw.strip()})


def test_a_tmi_js_bot_chats_moderates_and_reconnects(asgi_server, tmi_bot):
    start_bot, expect = tmi_bot
    room = RoomFactory(slug="bot_room", title="Bot Room", automod_level=0)  # the bot moderates
    bot = UserFactory(username="helper_bot", display_name="Helper_Bot")
    membership_set(room=room, user=bot, is_moderator=True)
    viewer = UserFactory(username="talker", display_name="Talker")
    token = Token.objects.create(user=bot).key
    server = asgi_server()
    port = server.url.rsplit(":", 1)[1].rstrip("/")
    start_bot(TWITCHY_HOST="127.0.0.1", TWITCHY_PORT=port, TWITCHY_LOGIN="helper_bot",
              TWITCHY_TOKEN=token, TWITCHY_ROOM="bot_room")  # fmt: skip
    expect("joined", channel="#bot_room")

    # A browser user says !hello; the bot sees it and answers, and the browser sees that.
    socket_url = server.url.replace("http", "ws") + "/ws/rooms/bot_room/"
    headers = {"Cookie": session_cookie(viewer), "Origin": server.url}
    with connect(socket_url, additional_headers=headers) as browser:
        browser.send(json.dumps({"type": "send", "text": "!hello bot", "nonce": "b1"}))
        heard = expect("message", user="talker")
        answer = _frame(browser, lambda f: f["type"] == "message"
                        and f["message"]["author"]["login"] == "helper_bot")  # fmt: skip
        assert "@Talker" in answer["message"]["text"]  # mentions survive the room's style

        # Moderation reaches the bot as Twitch's events.
        user_timeout(room=room, actor=room.owner, target=viewer, seconds=60, source="api")
        expect("timeout", user="talker", duration=60)
        message_delete(room=room, actor=room.owner, message_id=answer["message"]["id"],
                       source="api")  # fmt: skip
        expect("deleted", id=answer["message"]["id"])

    # The bot moderates with tmi.js's own calls, which resolve on the NOTICEs they wait for.
    spammer = UserFactory(username="seller")
    headers = {"Cookie": session_cookie(spammer), "Origin": server.url}
    with connect(socket_url, additional_headers=headers) as browser:
        browser.send(
            json.dumps({"type": "send", "text": "buy followers at my site", "nonce": "s1"})
        )
        offer = expect("message", user="seller")
        moderated = expect("moderated", user="seller")
        _frame(browser, lambda f: f["type"] == "clear_user")  # the seller sees it too
    assert moderated["id"] == offer["id"]
    assert Message.objects.get(pk=offer["id"]).state == Message.State.DELETED
    assert RoomBan.objects.filter(room=room, user=spammer, expires_at__isnull=False).exists()
    assert heard["text"]  # the displayed (restyled) text

    # A graceful restart: RECONNECT, and the bot is back in the room on the new server.
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    expect("reconnect_requested")
    asgi_server(int(port))
    expect("joined", channel="#bot_room", timeout=60)


def _frame(socket, wanted) -> dict:
    while True:
        frame = json.loads(socket.recv(timeout=20))
        for item in frame["frames"] if frame["type"] == "batch" else [frame]:
            if wanted(item):
                return item
