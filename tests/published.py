"""Watch what the services publish to a room's channel-layer groups (real Redis)."""

import json
import uuid

import redis
from channels.layers import get_channel_layer
from django.conf import settings

from rooms import events


class Published:
    """Every frame published to ``room.<id>`` and its sub-groups (mods, one user…).

    ``frames()`` reads everything published so far: it publishes a marker of its
    own and reads up to it, so "nothing else was published" is a sure answer.
    """

    def __init__(self, room_id: int) -> None:
        self.room_id = room_id
        self.pattern = events._group_channel(f"room.{room_id}*")
        self.client = redis.Redis.from_url(settings.REDIS_URL)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.psubscribe(self.pattern)
        self.pubsub.get_message(timeout=1)  # the subscription confirmation

    def frames(self) -> list[tuple[str, dict]]:
        """(group, frame) pairs published since the last call, in order. The group names
        the audience of each part of an envelope: ``room.7`` everyone, ``room.7.mods``
        the moderators, ``room.7.user.3`` one user."""
        marker = uuid.uuid4().hex
        self.client.publish(events._group_channel(f"room.{self.room_id}.marker"), marker)
        layer, prefix = get_channel_layer(), events._group_channel("")
        seen = []
        while True:
            message = self.pubsub.get_message(timeout=5)
            assert message is not None, "the marker never came back"
            if message["data"] == marker.encode():
                return seen
            group = message["channel"].decode().removeprefix(prefix)
            for event in events.unpack(layer.deserialize(message["data"])):
                for audience, frame in event["parts"]:
                    seen.append((self._group(group, audience), json.loads(frame)))

    @staticmethod
    def _group(group: str, audience: str) -> str:
        if audience == events.ALL:
            return group
        if audience == events.MODS:
            return f"{group}.mods"
        return f"{group}.user.{audience.removeprefix('u:')}"

    def by_group(self) -> dict[str, list[dict]]:
        """The frames published since the last call, by group ("room.7", "room.7.mods"...)."""
        groups: dict[str, list[dict]] = {}
        for group, frame in self.frames():
            groups.setdefault(group, []).append(frame)
        return groups

    def close(self) -> None:
        self.pubsub.close()
        self.client.close()
