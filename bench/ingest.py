"""Ingest: messages checked, stored and published per second through ``message_send``.

Calls the one send service from several processes (as several web processes would), each
with several threads (as a web process's thread pool does), every thread its own chatter,
the chatters spread over several rooms, with everything that happens after the commit (the
publication, queueing AutoMod and the LLM rewrite). Then counts what PostgreSQL stored:
every acknowledged message exactly once, each room's seqs without a gap. Run it on
PostgreSQL and Redis with a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twitchy_bench \
    REDIS_URL=redis://127.0.0.1:6379/4 SECRET_KEY=bench LLM_BACKEND=off \
    RATE_LIMIT_REGULAR=1000000/30 .venv/bin/python bench/ingest.py --messages 20000

``--automod-level 0`` turns AutoMod off for the rooms (nothing is queued for it). Queued
tasks are left in the broker: purge the bench's Redis database afterwards.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402

from chatsite.users.models import User  # noqa: E402
from rooms.actions.messages import message_send  # noqa: E402
from rooms.models import Message, Room, Style  # noqa: E402


def rooms_get(count: int, automod_level: int) -> list[Room]:
    style, _ = Style.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    owner, _ = User.objects.get_or_create(username="bench_owner")
    return [
        Room.objects.update_or_create(
            slug=f"bench_ingest_{n}",
            defaults={"title": f"Bench {n}", "style": style, "owner": owner,
                      "automod_level": automod_level},
        )[0]
        for n in range(count)
    ]  # fmt: skip


def worker(args: argparse.Namespace) -> None:
    """One process: its threads send, then it prints its sends' latencies as JSON."""
    rooms = rooms_get(args.rooms, args.automod_level)
    senders = [
        User.objects.get_or_create(username=f"bench_sender_{args.worker}_{n}")[0]
        for n in range(args.threads)
    ]
    connection.close()
    per_thread = args.messages // (args.threads * args.processes)
    latencies: list[float] = []
    lock = threading.Lock()

    def run(index: int, sender: User) -> None:
        room = rooms[(args.worker * args.threads + index) % len(rooms)]
        mine = []
        for n in range(per_thread):
            started = time.perf_counter()
            message_send(room=room, author=sender, text=f"bench message {n} from {sender.id}")
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(senders)]
    print("ready", flush=True)
    sys.stdin.readline()  # everyone starts together
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"started": started, "ended": time.time(), "latencies": latencies}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000, help="in all")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32, help="per process")
    parser.add_argument("--rooms", type=int, default=8)
    parser.add_argument("--automod-level", type=int, default=1)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args)
        return

    call_command("migrate", verbosity=0)
    rooms = rooms_get(args.rooms, args.automod_level)
    before = {room.id: room.last_seq for room in Room.objects.filter(pk__in=[r.id for r in rooms])}
    command = [sys.executable, __file__, *sys.argv[1:], "--worker"]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    workers = [subprocess.Popen([*command, str(n)], **pipes) for n in range(args.processes)]
    for process in workers:
        assert process.stdout.readline().strip() == "ready"
    for process in workers:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [json.loads(process.communicate()[0]) for process in workers]
    elapsed = max(r["ended"] for r in results) - min(r["started"] for r in results)
    latencies = sorted(x for r in results for x in r["latencies"])

    stored = 0
    for room_id, last in before.items():
        counted = Message.objects.filter(room_id=room_id, seq__gt=last).aggregate(
            n=Count("id"), low=Min("seq"), high=Max("seq")
        )
        stored += counted["n"]
        if counted["n"] and (counted["low"], counted["high"]) != (last + 1, last + counted["n"]):
            sys.exit(f"room {room_id}: seqs {counted} after {last} are not gap-free")
    if stored != len(latencies):
        sys.exit(f"{len(latencies)} sends acknowledged but {stored} messages stored")
    print(
        f"{len(latencies)} messages ({args.processes} processes x {args.threads} threads, "
        f"{args.rooms} rooms, AutoMod level {args.automod_level}, {connection.vendor}; "
        f"each stored once, seqs gap-free): {len(latencies) / elapsed:,.0f} messages/s; "
        f"per send p50 {statistics.median(latencies) * 1e3:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
