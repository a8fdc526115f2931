"""The mod dashboard's live feed on ``/ws/mod/<slug>/`` (moderators, broadcaster, staff).

Read-only: on connect it sends one ``dashboard`` frame with everything the page
shows, then forwards the room's frames and the moderators' own (originals, held
queue, audit entries). Actions go through the REST API, the same services as
chat commands. Anyone else is refused at the handshake (HTTP 403).
"""

import json

from channels.db import database_sync_to_async

from moderation.selectors import dashboard_snapshot
from rooms import events
from rooms.consumers import FrameForwarder, _room_or_none
from rooms.selectors import user_moderates


def _moderated_room(slug: str, user):
    room = _room_or_none(slug)
    if room is None or user is None or not user.is_authenticated:
        return None
    return room if user_moderates(room=room, user=user) else None


class ModConsumer(FrameForwarder):
    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        room = await database_sync_to_async(_moderated_room)(slug, self.scope.get("user"))
        if room is None:
            await self.close()  # before accept: the handshake is refused with 403
            return
        self.room = room
        self.user = self.scope["user"]
        self.groups_joined = [
            events.room_group(room.id),
            events.moderators_group(room.id),
            events.user_group(room.id, self.user.id),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        snapshot = await database_sync_to_async(dashboard_snapshot)(room=room)
        self.last_seq = snapshot["last_seq"]
        await self._send_frame(snapshot)

    async def room_roles(self, event: dict) -> None:
        """Unmodded while watching: the feed ends at once."""
        if not await database_sync_to_async(user_moderates)(room=self.room, user=self.user):
            await self.close(code=4403)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            frame = None
        if isinstance(frame, dict) and frame.get("type") == "ping":
            await self._send_frame({"type": events.PONG})
            return
        await self._send_frame(
            events.error_frame("read_only", "This feed is read-only: act through /api/.")
        )
