"""The smallest Django settings the tutorial consumer runs on."""

import os

SECRET_KEY = "baseline-benchmark-only"  # noqa: S105 - a throwaway server on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["channels"]
ASGI_APPLICATION = "bench.baseline.asgi.application"
USE_TZ = True
DATABASES: dict = {}

# The tutorial's layer: channels_redis's core RedisChannelLayer, one Redis.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")],
            "prefix": "baseline",
        },
    }
}
