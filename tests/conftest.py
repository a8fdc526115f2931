import pytest

from tests.factories import RoomFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def user(db):
    return UserFactory(username="chatter", display_name="Chatter")


@pytest.fixture
def room(db):
    return RoomFactory(slug="test_room", title="Test Room")


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files by their plain names: the suite does not run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_redis_and_caches():
    """Each test starts with an empty Redis database (the suite's own) and cold caches."""
    import redis
    from django.conf import settings

    from emotes.selectors import emote_cache_clear

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    client.close()
    emote_cache_clear()
