"""Ingest: messages checked, stored and published per second through ``message_send``.

Calls the one send service from several threads (as daphne's sync executor does), each as its
own chatter in one room, with everything that happens after the commit (the broadcast, queueing
AutoMod and the LLM rewrite). Run it on PostgreSQL and Redis with a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twitchy_bench \
    REDIS_URL=redis://127.0.0.1:6379/4 SECRET_KEY=bench LLM_BACKEND=off \
    RATE_LIMIT_REGULAR=1000000/30 .venv/bin/python bench/ingest.py --messages 4000 --threads 8

``--automod-level 0`` turns AutoMod off for the room (nothing is queued for it). Queued tasks
are left in the broker: purge the bench's Redis database afterwards.
"""

import argparse
import os
import statistics
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

from chatsite.users.models import User  # noqa: E402
from rooms.models import Room, Style  # noqa: E402
from rooms.services import message_send  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--automod-level", type=int, default=1)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    style, _ = Style.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    owner, _ = User.objects.get_or_create(username="bench_owner")
    room, _ = Room.objects.update_or_create(
        slug="bench_room",
        defaults={"title": "Bench", "style": style, "owner": owner,
                  "automod_level": args.automod_level},
    )  # fmt: skip
    per_thread = args.messages // args.threads
    senders = [
        User.objects.get_or_create(username=f"bench_sender_{n}")[0] for n in range(args.threads)
    ]
    latencies: list[float] = []
    lock = threading.Lock()

    def run(sender: User) -> None:
        mine = []
        for n in range(per_thread):
            started = time.perf_counter()
            message_send(room=room, author=sender, text=f"bench message {n} from {sender.id}")
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    print(
        f"{len(latencies)} messages, {args.threads} threads, AutoMod level {args.automod_level} "
        f"on {connection.vendor}: {len(latencies) / elapsed:,.0f} messages/s; per send "
        f"p50 {statistics.median(latencies) * 1e3:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
