"""Every committed change of a room's roles, bans, timeouts or shadow bans moves the room's
standing version in Redis, whoever made it (the actions, the admin, a shell): the send
path's per-process copy of the senders' standing is checked against it on every batch
(``moderation.selectors.senders_known``)."""

import logging

import redis
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from chatsite.redis import redis_client
from moderation.models import RoomBan, ShadowBan
from moderation.selectors import standing_version_key
from rooms.models import Membership

logger = logging.getLogger(__name__)


def _standing_changed(sender, instance, **kwargs) -> None:
    room_id = instance.room_id
    transaction.on_commit(lambda: _bump(room_id))


def _bump(room_id: int) -> None:
    try:
        redis_client().incr(standing_version_key(room_id))
    except redis.RedisError as error:
        # The send path cannot check its copies against Redis either (it refuses sends as
        # "unavailable" meanwhile), and reads each copy again within STANDING_KEPT_FOR.
        # (Unreachable, as when seed_demo runs before make run starts Redis: one line.)
        logger.warning("could not mark room %d's standing as changed: %s", room_id, error,
                       exc_info=not isinstance(error, redis.ConnectionError))  # fmt: skip


def connect() -> None:
    for model in (Membership, RoomBan, ShadowBan):
        post_save.connect(_standing_changed, sender=model, dispatch_uid=f"standing-{model}")
        post_delete.connect(_standing_changed, sender=model, dispatch_uid=f"standing-d-{model}")
