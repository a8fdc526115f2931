from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation import signals
        from moderation.gate import ModerationGate
        from rooms.gate import gate_install

        signals.connect()
        gate_install(ModerationGate())
