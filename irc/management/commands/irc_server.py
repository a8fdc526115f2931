"""``python manage.py irc_server``: plain TCP IRC for classic clients (``make run`` starts
it beside the web server)."""

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand

from irc.tcp import serve


class Command(BaseCommand):
    help = "Serve Twitch-compatible IRC over plain TCP."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=settings.IRC_HOST)
        parser.add_argument("--port", type=int, default=settings.IRC_PORT)

    def handle(self, *args, host: str, port: int, **options) -> None:
        asyncio.run(serve(host, port))
