import random
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from rooms.demo import demo_say


class Command(BaseCommand):
    help = (
        "The demo's chatters: a line now and then (every --every seconds on average) in the "
        "demo rooms, through the real send path, until stopped (seed_demo wrote their backlog). "
        "With DEMO_CHAT off it only waits to be stopped (make run starts it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=8.0)

    def handle(self, *args, every: float, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        if not settings.DEMO_CHAT:
            stop.wait()
            return
        rng = random.Random()  # noqa: S311 - demo chatter, not security
        while not stop.wait(rng.uniform(every / 2, every * 1.5)):
            try:
                demo_say(rng)
            finally:
                close_old_connections()
