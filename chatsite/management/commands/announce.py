import signal
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Wait until the web server at --url is ready (/readyz), print where it is once, then "
        "stay until stopped (make run's last word on start-up; exits 0 on SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True)
        parser.add_argument("--timeout", type=float, default=180.0)

    def handle(self, *args, url: str, timeout: float, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            if self._ready(url):
                users = settings.VAR_DIR / "demo-users.txt"
                self.stdout.write(
                    f"\n  Twitchy Chat is ready on {url}/\n"
                    f"  Demo logins in {users}; Ctrl-C stops everything.\n\n"
                )
                self.stdout.flush()
                break
            if time.monotonic() > deadline:
                self.stderr.write(f"Twitchy Chat did not get ready on {url}: see the log above.")
                break
            stop.wait(0.5)
        stop.wait()

    @staticmethod
    def _ready(url: str) -> bool:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=3) as response:  # noqa: S310
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False
