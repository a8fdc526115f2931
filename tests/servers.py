"""Real server processes for the tests: the project's web server (uvicorn, as deployed, or
daphne) on the test database."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from chatsite.ports import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env() -> dict[str, str]:
    # PYTHONFAULTHANDLER: a server that hangs can be made to print every thread's stack.
    return {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DEBUG": "false",
        "PYTHONFAULTHANDLER": "1",
    }


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self, *, timeout: float = 30) -> None:
        """SIGTERM, as a process manager would; a hang fails with every thread's stack."""
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(timeout=10)
            raise AssertionError(
                f"the server did not stop within {timeout}s of SIGTERM:\n{self.log.read_text()}"
            ) from None


def _log_file(name: str) -> Path:
    from django.conf import settings

    logs = Path(settings.VAR_DIR) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / name


def web_command(port: int, server: str = "uvicorn") -> list:
    """The command that serves the project on ``port``: uvicorn as deploy/Procfile runs it."""
    if server == "daphne":
        return [BIN / "daphne", "-b", "127.0.0.1", "-p", str(port), "chatsite.asgi:application"]
    return [BIN / "uvicorn", "chatsite.asgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--http", "chatsite.server:HTTPProtocol",
            "--ws", "chatsite.server:WebSocketProtocol", "--ws-per-message-deflate", "false",
            "--lifespan", "off", "--no-access-log"]  # fmt: skip


def start_web(port: int | None = None, *, server: str = "uvicorn", **env: str) -> RunningServer:
    """A web process (on a free port by default); its output goes to ``VAR_DIR/logs/``."""
    port = port or free_port()
    log_path = _log_file(f"{server}-{port}.log")
    with log_path.open("a") as log:
        process = subprocess.Popen(
            web_command(port, server),
            cwd=ROOT,
            env={**server_env(), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wait_for_port(port, process)
    return RunningServer(f"http://127.0.0.1:{port}", process, log_path)


def collectstatic() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )


def start_worker(*queues: str, **env: str) -> RunningServer:
    """A real Celery worker on the test database and Redis, ready when this returns."""
    log_path = _log_file(f"celery-{'-'.join(queues)}-{time.monotonic_ns()}.log")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [BIN / "celery", "-A", "chatsite", "worker", "--queues", ",".join(queues),
             "--concurrency", "1", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
            cwd=ROOT,
            env={**server_env(), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the worker did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    return RunningServer("", process, log_path)


def stop_all(processes: list[subprocess.Popen], *, timeout: float = 10) -> None:
    """SIGTERM every process, then SIGKILL whichever has not stopped within ``timeout``."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
