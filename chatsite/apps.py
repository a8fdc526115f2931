from django.apps import AppConfig


class ChatsiteConfig(AppConfig):
    """The project package as an app, for project-wide management commands."""

    name = "chatsite"
    verbose_name = "Twitchy Chat"
