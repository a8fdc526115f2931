from django.conf import settings
from django.core.management.base import BaseCommand

from rooms.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo: three styled rooms, emotes, badges and one user per role (idempotent)."

    def handle(self, *args, **options):
        report = demo_seed()
        self.stdout.write(
            f"Demo ready: {len(report.created_rooms)} new rooms, "
            f"{report.created_emotes} new emotes, {report.created_badges} new badges."
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
