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
