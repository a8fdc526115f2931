"""Synchronous Redis clients per process: the actions' own Redis work, and publishing on
the channel layer's shards."""

from functools import cache

import redis
from channels_redis.utils import _consistent_hash
from django.conf import settings


@cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS)


@cache
def _shard_clients() -> tuple[redis.Redis, ...]:
    """One client per channel-layer shard; a shard at ``REDIS_URL`` (by default the only
    one) shares ``redis_client``, so that the actions' own Redis work and publications
    can share a pipeline (``rooms.events.publish_many``)."""
    hosts = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]
    return tuple(
        redis_client()
        if host["address"] == settings.REDIS_URL
        else redis.Redis.from_url(host["address"], max_connections=settings.REDIS_MAX_CONNECTIONS)
        for host in hosts
    )


def shard_client(channel: str) -> redis.Redis:
    """The client of the Redis shard that the channel layer uses for ``channel``."""
    clients = _shard_clients()
    return clients[_consistent_hash(channel, len(clients))]
