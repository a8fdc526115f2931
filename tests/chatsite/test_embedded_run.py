"""The embedded default: no DATABASE_URL, no REDIS_URL, and everything still comes up.

Starts the same process set as ``make run`` (embedded Redis, uvicorn, Celery
worker, under honcho) in a scratch ``VAR_DIR``, then checks what a newcomer
would: the home page lists the demo rooms, and the worker answers a ping
through the embedded Redis. Ctrl-C (SIGINT) then stops all of it.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def wait_until(check, *, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}; log:\n{log.read_text()}")
        time.sleep(0.25)


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MEDIA_ROOT")
    }
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="embedded-test-key",
        DEBUG="false",
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(free_port()),
        IRC_PORT=str(free_port()),
        PATH=f"{BIN}:{env.get('PATH', '')}",
    )
    return env


def manage(env, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.servers
def test_make_run_process_set_comes_up_on_sqlite_and_embedded_redis(embedded_env):
    manage(embedded_env, "migrate", "--noinput", "-v0")
    manage(embedded_env, "collectstatic", "--noinput", "-v0")
    seeded = manage(embedded_env, "seed_demo")
    assert "Demo users and passwords" in seeded
    # The backlog goes through the real send path: seed_demo starts the embedded Redis for
    # the while (make run has not started it yet), and stops it again.
    assert re.search(r"\b[1-9]\d* new lines of chat", seeded), seeded
    assert not Path(embedded_env["VAR_DIR"], "redis.sock").exists()
    # What that Redis held goes with it, so AutoMod judged the backlog before it stopped.
    owed = (
        "from rooms.models import Message; "
        "print(Message.objects.filter(automod_scores=None).count())"
    )
    assert manage(embedded_env, "shell", "-c", owed).split()[-1] == "0"
    assert (Path(embedded_env["VAR_DIR"]) / "twitchy.sqlite3").exists()

    log = Path(embedded_env["VAR_DIR"]) / "honcho.log"
    with log.open("w") as out:
        honcho = subprocess.Popen(
            [
                sys.executable,
                "deploy/run_all.py",
                "--no-colour",
                "-f",
                "deploy/Procfile.embedded",
                "start",
            ],  # what make run runs
            cwd=ROOT,
            env=embedded_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{embedded_env['WEB_PORT']}/"

        def home_page():
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()

        page = wait_until(home_page, timeout=60, what="the home page", log=log)
        for title in ("Bestie Lounge", "Brainrot Arena", "The Bard&#x27;s Tavern"):
            assert title in page

        def worker_pong():
            result = subprocess.run(
                [BIN / "celery", "-A", "chatsite", "inspect", "ping", "--timeout", "2"],
                cwd=ROOT,
                env=embedded_env,
                capture_output=True,
                text=True,
            )
            return "pong" in result.stdout

        wait_until(worker_pong, timeout=90, what="the worker", log=log)

        def irc_welcome():  # a classic IRC client, over plain TCP
            with socket.create_connection(("127.0.0.1", int(embedded_env["IRC_PORT"])), 5) as irc:
                irc.sendall(b"NICK justinfan4242\r\n")
                received = b""
                while b" 376 " not in received:
                    chunk = irc.recv(4096)
                    if not chunk:
                        return False
                    received += chunk
                return b":tmi.twitch.tv 001 justinfan4242 :Welcome, GLHF!" in received

        wait_until(irc_welcome, timeout=60, what="IRC over TCP", log=log)

        def ready():
            with urllib.request.urlopen(url + "readyz", timeout=5) as response:  # noqa: S310
                return response.status == 200

        wait_until(ready, timeout=60, what="/readyz", log=log)
    finally:
        honcho.send_signal(signal.SIGINT)
        try:
            code = honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            honcho.kill()
            raise
    # Ctrl-C: every process shuts down by itself and says so with status 0; so does make run.
    output = log.read_text()
    assert code == 0, output
    stopped = re.findall(r"(\w+)\.1 stopped \(rc=(-?\d+)\)", output)
    names = {"redis", "web", "worker", "automod", "irc", "chatter", "announce"}
    assert {name for name, _ in stopped} == names, output
    assert "Twitchy Chat is ready on http://" in output  # once it listens
    assert all(rc == "0" for _, rc in stopped), output
    assert not Path(embedded_env["VAR_DIR"], "redis.sock").exists() or _nobody_listens(
        Path(embedded_env["VAR_DIR"], "redis.sock")
    )


def _nobody_listens(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return True
    return False
