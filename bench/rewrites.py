"""How soon the LLM rewrites reach the screen with three busy rooms (``make bench`` runs it).

    .venv/bin/python bench/rewrites.py                    # this checkout
    .venv/bin/python bench/rewrites.py --tree /tmp/old    # another checkout, same load

Starts the web server and a Celery worker for the ``skibidi`` queue (the embedded model, as
many worker processes as cores, as ``make run`` does) from ``--tree``, on a database of its
own, with three rooms, one per preset style. In each room one chatter sends a line of the
held-out evaluation set every second (``--rate``) for ``--seconds``, and a viewer records
when each message arrives and when its LLM update does. Prints, per room and overall, how
many messages were rewritten and the time from send to the update on screen (p50, p95).
Everything runs on loopback; the load stops by itself.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import check_loopback, percentile  # noqa: E402
from chatsite.ports import free_port, wait_for_port  # noqa: E402

SETUP = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chatsite.users.models import User
from rooms.models import Room, Style
from rooms.skibidi.presets import STYLES
owner, _ = User.objects.get_or_create(username="bench_owner")
cast = []
for n, spec in enumerate(STYLES):
    style, _ = Style.objects.update_or_create(
        slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"})
    slug = f"rewrites_{n}"
    Room.objects.update_or_create(slug=slug, defaults={"title": slug, "style": style,
                                  "owner": owner, "automod_level": 0})
    user, _ = User.objects.get_or_create(username=f"bench_chatter_{n}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    cast.append([slug, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"])
print("CAST " + json.dumps(cast))
"""


def env_for(database: str, redis: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database, "REDIS_URL": redis,
            "SECRET_KEY": "bench-only", "DEBUG": "false", "LLM_BACKEND": "embedded",
            "RATE_LIMIT_REGULAR": "100000/30", "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "chatsite.settings"}  # fmt: skip


def fresh_database(url: str) -> None:
    import psycopg

    name, server = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def lines() -> list[str]:
    """The held-out evaluation lines (this checkout's, whichever tree serves), as chat."""
    from rooms.skibidi.evalset import HELD_OUT, part

    return [line.text for line in part(HELD_OUT)]


async def room_load(url: str, slug: str, cookie: str, texts: list[str], *, seconds: float,
                    rate: float, drain: float) -> dict:  # fmt: skip
    ws_url = url.replace("http", "ws") + f"/ws/rooms/{slug}/"
    sent: dict[str, float] = {}  # nonce -> send time
    ids: dict[str, str] = {}  # message id -> nonce
    updates: dict[str, float] = {}  # message id -> update arrival
    kinds: dict[str, int] = {}  # frames the viewer got, by type
    async with (
        websockets.connect(ws_url, origin=url, additional_headers={"Cookie": cookie}) as sender,
        websockets.connect(ws_url, origin=url) as viewer,
    ):

        async def watch() -> None:
            async for raw in viewer:
                frame = json.loads(raw)
                for item in frame["frames"] if frame["type"] == "batch" else [frame]:
                    kinds[item["type"]] = kinds.get(item["type"], 0) + 1
                    if item["type"] == "update" and item.get("engine", "").startswith("llm"):
                        updates.setdefault(item["id"], time.monotonic())

        async def acks() -> None:
            async for raw in sender:
                frame = json.loads(raw)
                for item in frame["frames"] if frame["type"] == "batch" else [frame]:
                    if item["type"] == "ack":
                        ids[item["id"]] = item.get("nonce", "")

        watchers = [asyncio.create_task(watch()), asyncio.create_task(acks())]
        started = time.monotonic()
        for n in range(int(seconds * rate)):
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            nonce = f"{slug}-{n}"
            sent[nonce] = time.monotonic()
            await sender.send(json.dumps({"type": "send", "text": texts[n % len(texts)],
                                          "nonce": nonce}))  # fmt: skip
        await asyncio.sleep(drain)
        for task in watchers:
            task.cancel()
    latencies = sorted(updates[i] - sent[n] for i, n in ids.items() if i in updates and n in sent)
    return {"room": slug, "sent": len(sent), "stored": len(ids), "rewritten": len(latencies),
            "latencies": latencies, "frames": kinds}  # fmt: skip


def summary(results: list[dict]) -> dict:
    latencies = sorted(x for r in results for x in r["latencies"])
    sent = sum(r["sent"] for r in results)
    rewritten = sum(r["rewritten"] for r in results)
    return {
        "sent": sent,
        "rewritten": rewritten,
        "rewritten_share": rewritten / sent if sent else 0.0,
        "p50": percentile(latencies, 0.50) if latencies else None,
        "p95": percentile(latencies, 0.95) if latencies else None,
        "within_3s_share": sum(x <= 3.0 for x in latencies) / sent if sent else 0.0,
    }


async def load(url: str, cast: list, texts: list[str], args: argparse.Namespace) -> list[dict]:
    await asyncio.sleep(args.warm_up)  # the worker loads its model and styles
    return await asyncio.gather(*(
        room_load(url, slug, cookie, texts[n::len(cast)], seconds=args.seconds,
                  rate=args.rate, drain=args.drain)
        for n, (slug, cookie) in enumerate(cast)))  # fmt: skip


def main(args: argparse.Namespace) -> None:
    tree = Path(args.tree).resolve()
    env = env_for(args.database, args.redis)
    fresh_database(args.database)
    subprocess.run([BIN / "python", "manage.py", "migrate", "-v", "0"], cwd=tree, env=env,
                   check=True)  # fmt: skip
    setup = subprocess.run([BIN / "python", "-c", SETUP], cwd=tree, env=env, check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    cast = json.loads(setup.split("CAST ", 1)[1])
    subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], capture_output=True, check=False)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    web_log, worker_log = (
        (out / "rewrites-web.log").open("w"),
        (out / "rewrites-worker.log").open("w"),
    )
    web = subprocess.Popen(
        [BIN / "uvicorn", "chatsite.asgi:application", "--host", "127.0.0.1", "--port",
         str(port), "--http", "chatsite.server:HTTPProtocol", "--ws",
         "chatsite.server:WebSocketProtocol", "--no-access-log", "--lifespan", "off"],
        cwd=tree, env=env, stdout=web_log, stderr=web_log)  # fmt: skip
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "chatsite", "worker", "--queues", "celery,skibidi",
         "--loglevel", args.worker_log_level, "--without-mingle", "--without-gossip"],
        cwd=tree, env={**env, "LOG_LEVEL": args.worker_log_level}, stdout=worker_log,
        stderr=worker_log)  # fmt: skip
    try:
        wait_for_port(port, web, timeout=60)
        url = f"http://127.0.0.1:{port}"
        check_loopback(url)
        results = asyncio.run(load(url, cast, lines(), args))
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    for result in results:
        s = summary([result])
        print(f"{result['room']}: {s['rewritten']}/{s['sent']} rewritten, "
              f"p50 {s['p50'] or 0:.2f} s, p95 {s['p95'] or 0:.2f} s; the viewer got "
              f"{result['frames']}")  # fmt: skip
    total = summary(results)
    print(f"all rooms: {total['rewritten']}/{total['sent']} rewritten "
          f"({total['rewritten_share']:.0%}), on screen p50 {total['p50'] or 0:.2f} s, "
          f"p95 {total['p95'] or 0:.2f} s; {total['within_3s_share']:.0%} of all messages "
          f"rewritten within 3 s")  # fmt: skip
    (out / "rewrites.json").write_text(json.dumps({"tree": str(tree), **total}, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", default=str(ROOT), help="the checkout to run the servers from")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=1.0, help="messages per second per room")
    parser.add_argument("--drain", type=float, default=10.0, help="seconds to wait at the end")
    parser.add_argument("--warm-up", type=float, default=15.0)
    parser.add_argument("--worker-log-level", default="WARNING", help="DEBUG logs each rewrite")
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_REWRITES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/twitchy_rewrites"
        ),
    )
    parser.add_argument("--redis", default=os.environ.get(
        "BENCH_REWRITES_REDIS_URL", "redis://127.0.0.1:6379/6"))  # fmt: skip
    main(parser.parse_args())
