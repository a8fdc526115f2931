from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chatsite.embedded import wait_for_redis


class Command(BaseCommand):
    help = "Wait until the Redis at REDIS_URL answers (used when starting the embedded run)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=15.0)

    def handle(self, *args, timeout: float, **options):
        try:
            wait_for_redis(settings.REDIS_URL, timeout=timeout)
        except TimeoutError as error:
            raise CommandError(str(error)) from error
