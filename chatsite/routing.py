"""WebSocket routes."""

from django.urls import path

from moderation.consumers import ModConsumer
from rooms.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<slug:slug>/", RoomConsumer.as_asgi()),
    path("ws/mod/<slug:slug>/", ModConsumer.as_asgi()),
]
