"""WebSocket routes."""

from django.urls import path

from irc.consumers import IrcConsumer
from moderation.consumers import ModConsumer
from rooms.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<slug:slug>/", RoomConsumer.as_asgi()),
    path("ws/mod/<slug:slug>/", ModConsumer.as_asgi()),
]

# IRC over WebSocket, where Twitch serves it: the root, and /irc.
IRC_PATHS = ("/", "/irc", "/irc/")
irc_consumer = IrcConsumer.as_asgi()
