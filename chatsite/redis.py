"""One synchronous Redis client per process, for the services' own Redis work."""

from functools import cache

import redis
from django.conf import settings


@cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS)
