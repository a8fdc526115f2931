from django.apps import AppConfig


class IrcConfig(AppConfig):
    name = "irc"
    verbose_name = "IRC gateway"
