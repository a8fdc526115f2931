from django.apps import AppConfig


class EmotesConfig(AppConfig):
    name = "emotes"
    verbose_name = "Emotes and badges"
