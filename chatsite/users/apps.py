from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "chatsite.users"
    label = "users"
    verbose_name = "Users"
