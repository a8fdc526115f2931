"""WebSocket routes. The chat consumers arrive with the live chat core."""

websocket_urlpatterns: list = []
