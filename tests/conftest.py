import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import RoomFactory, UserFactory
from tests.servers import stop_all

# Fixtures that start processes of their own: their tests are marked "servers", which
# `make test-fast` leaves out (with "browser").
PROCESS_FIXTURES = {"asgi_server", "celery_worker_process", "live_server"}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


PASSWORD = "correct-horse-battery"


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few rounds: the same algorithm name, so the hashes it makes are checked
    by any process's default hasher too (the web servers some tests start)."""

    iterations = 1000


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password costs PBKDF2's deliberate 0.3 s; the tests hash hundreds."""
    settings.PASSWORD_HASHERS = ["tests.conftest.FastPBKDF2PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(username="chatter", display_name="Chatter")


@pytest.fixture
def room(db):
    return RoomFactory(slug="test_room", title="Test Room")


@pytest.fixture
def mod(room):
    """A moderator of ``room`` (not its broadcaster)."""
    from rooms.actions.rooms import membership_set

    moderator = UserFactory(username="the_mod")
    membership_set(room=room, user=moderator, is_moderator=True)
    return moderator


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture(autouse=True, scope="session")
def _send_committers_stopped(django_db_setup):
    """The send path's committer threads keep database connections open: close them before
    the test database is dropped."""
    yield
    from rooms.actions.messages import send_committers_stop

    send_committers_stop()


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
    from moderation.selectors import blocked_terms_cache_clear, senders_forget
    from rooms.actions.messages import chatters_forget

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    client.close()
    emote_cache_clear()
    blocked_terms_cache_clear()
    senders_forget()
    chatters_forget()


@pytest.fixture
def published(room):
    """What the services publish to ``room``'s groups (after commits: see ``committing``)."""
    from tests.published import Published

    watcher = Published(room.id)
    yield watcher
    watcher.close()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (broadcasts, task queueing) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(scope="session")
def _collected_static(django_db_setup, django_db_blocker):
    from tests.servers import collectstatic

    with django_db_blocker.unblock():
        collectstatic()


@pytest.fixture
def asgi_server(transactional_db, _collected_static):
    """Start real web processes (uvicorn, as deployed; ``server="daphne"`` for daphne) on the
    test database: ``server = asgi_server()``.

    Each has ``.url`` and ``.process``.
    """
    from tests.servers import start_web

    processes = []

    def start(port: int | None = None, server: str = "uvicorn", **env: str):
        server = start_web(port, server=server, **env)
        processes.append(server.process)
        return server

    yield start
    stop_all(processes)


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start real Celery workers: ``worker = celery_worker_process("skibidi", LLM_BACKEND=...)``."""
    from tests.servers import start_worker

    workers = []

    def start(*queues: str, **env: str):
        worker = start_worker(*queues, **env)
        workers.append(worker.process)
        return worker

    yield start
    stop_all(workers, timeout=20)
