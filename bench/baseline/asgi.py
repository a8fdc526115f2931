"""``daphne bench.baseline.asgi:application``: the baseline on ``/ws/chat/<room>/``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.baseline.settings")

import django

django.setup()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from bench.baseline.consumers import ChatConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/chat/<str:room>/", ChatConsumer.as_asgi())])}
)
