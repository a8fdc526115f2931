"""The mod dashboard's live feed on ``/ws/mod/<slug>/`` (moderators, broadcaster, staff).

Read-only: on connect it sends one ``dashboard`` frame with everything the page
shows, then the room's frames and the moderators' own (originals, held queue,
audit entries) through the process's hub. Actions go through the REST API, the
same actions as chat commands. Anyone else is refused at the handshake (HTTP 403).
"""

import json

from channels.db import database_sync_to_async

from chatsite.errors import ErrorCode
from moderation.selectors import dashboard_snapshot
from rooms import events
from rooms.consumers import HubConsumer
from rooms.selectors import user_moderates


class ModConsumer(HubConsumer):
    async def connect(self) -> None:
        feed = await self._open_feed()
        self._identify()
        moderates = self.user is not None and feed is not None
        if moderates:
            moderates = await database_sync_to_async(user_moderates)(room=feed.room, user=self.user)
        if not moderates:
            await self.close()  # before accept: the handshake is refused with 403
            return
        self.moderates = True
        await self.accept()
        self.hold_writes()
        self.feed = feed
        feed.add(self)
        upto = feed.position
        try:
            snapshot = await database_sync_to_async(dashboard_snapshot)(room=feed.room, upto=upto)
        except BaseException:
            self.release_writes([])
            raise
        self.release_writes([events.dumps(snapshot)])

    async def roles_changed(self) -> None:
        """Unmodded while watching: the feed ends at once."""
        if not await database_sync_to_async(user_moderates)(room=self.feed.room, user=self.user):
            self.moderates = False
            await self._leave()
            await self.close(code=4403)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = json.loads(text_data or "")
        except (ValueError, RecursionError):
            frame = None
        if isinstance(frame, dict) and frame.get("type") == "ping":
            self._send_frame(events.pong_frame())
            return
        self._send_frame(events.error_frame(ErrorCode.READ_ONLY, ErrorCode.READ_ONLY.message))
