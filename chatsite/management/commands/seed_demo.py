import random

from django.conf import settings
from django.core.management.base import BaseCommand

from chatsite.embedded import redis_for_a_while
from moderation.tasks import drain as automod_drain
from rooms.actions.messages import send_committers_stop
from rooms.demo import demo_backlog, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo: three styled rooms, emotes, badges, one user per role, and a short "
        "backlog of chat in each demo room that has none (idempotent)."
    )

    def handle(self, *args, **options):
        # What it writes goes the real way, which tells Redis (the send path, the rooms'
        # events): the embedded Redis is started for the while when make run has not yet.
        with redis_for_a_while(settings.REDIS_URL, settings.EMBEDDED_REDIS_SOCKET) as redis:
            report = demo_seed()
            backlog = self._backlog(redis)
        self.stdout.write(
            f"Demo ready: {len(report.created_rooms)} new rooms, "
            f"{report.created_emotes} new emotes, {report.created_badges} new badges, "
            f"{backlog} new lines of chat."
        )
        if not report.created_users:
            self.stdout.write("Demo users already exist; their passwords were shown when created.")
            return
        credentials = settings.VAR_DIR / "demo-users.txt"
        lines = [f"  {login:<12} {password}" for login, password in report.created_users.items()]
        box = "\n".join(
            [
                "",
                f"Demo users and passwords (shown once; also saved to {credentials}):",
                *lines,
                "",
            ]
        )
        self.stdout.write(self.style.SUCCESS(box))
        credentials.parent.mkdir(parents=True, exist_ok=True)
        with credentials.open("a") as out:
            out.writelines(
                f"{login} {password}\n" for login, password in report.created_users.items()
            )
        credentials.chmod(0o600)

    def _backlog(self, redis: str) -> int:
        if redis == "unreachable":
            self.stderr.write(f"No backlog of chat: Redis at {settings.REDIS_URL} does not answer.")
            return 0
        try:
            said = demo_backlog(random.Random())  # noqa: S311 - demo chatter
        finally:
            send_committers_stop()
        if said and redis == "started":
            # AutoMod's queue ends with this Redis: its review is done now, not lost.
            automod_drain()
        return said
