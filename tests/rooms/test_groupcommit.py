"""Group commit: sends that arrive together share a transaction, and each gets its own result."""

import asyncio
import gc
import threading
import time

import pytest
from django.db import connection

from rooms.actions.messages import message_send
from rooms.groupcommit import GroupCommit
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory


def _wait_until(condition) -> None:
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError("timed out")


def test_writes_that_arrive_while_the_committer_is_busy_share_the_next_batch():
    batches: list[list[str]] = []
    first_started, release = threading.Event(), threading.Event()

    def store(batch):
        batches.append([p.request for p in batch])
        if len(batches) == 1:
            first_started.set()
            release.wait(10)
        for pending in batch:
            pending.result = pending.request.upper()

    committer = GroupCommit(store, committers=1)
    results: dict[str, str] = {}

    def submit(name):
        results[name] = committer.submit(name)

    leader = threading.Thread(target=submit, args=("a",))
    leader.start()
    first_started.wait(10)
    followers = [threading.Thread(target=submit, args=(name,)) for name in "bcde"]
    for thread in followers:
        thread.start()
    _wait_until(lambda: len(committer._queue) == 4)  # all four wait behind the first batch
    release.set()
    for thread in [leader, *followers]:
        thread.join(10)
    assert batches[0] == ["a"]
    assert sorted(batches[1]) == ["b", "c", "d", "e"]  # one batch for all four
    assert results == {name: name.upper() for name in "abcde"}
    committer.stop()


def test_a_second_committer_stores_a_batch_while_the_first_is_still_busy():
    stuck, release = threading.Event(), threading.Event()

    def store(batch):
        for pending in batch:
            if pending.request == "slow":
                stuck.set()
                release.wait(10)
            pending.result = f"{pending.request} stored"

    committer = GroupCommit(store, committers=2)
    slow = threading.Thread(target=committer.submit, args=("slow",))
    slow.start()
    stuck.wait(10)
    assert committer.submit("quick") == "quick stored"  # not queued behind "slow"
    release.set()
    slow.join(10)
    committer.stop()


def test_a_failed_batch_fails_each_of_its_writers_and_the_next_batch_still_runs():
    calls = []

    def store(batch):
        calls.append(len(batch))
        if len(calls) == 1:
            raise OSError("the database went away")
        for pending in batch:
            pending.result = "stored"

    committer = GroupCommit(store, committers=1)
    with pytest.raises(OSError, match="went away"):
        committer.submit("first")
    assert committer.submit("second") == "stored"
    committer.stop()


@pytest.mark.asyncio
async def test_the_event_loop_waits_for_its_results_without_a_thread_of_its_own():
    def store(batch):
        for pending in batch:
            if pending.request < 0:
                pending.error = ValueError(f"{pending.request} refused")
            else:
                pending.result = pending.request * 10

    committer = GroupCommit(store)
    results = await asyncio.gather(
        *(committer.queue(n) for n in range(20)), committer.queue(-1), return_exceptions=True
    )
    assert results[:20] == [n * 10 for n in range(20)]
    assert str(results[20]) == "-1 refused"
    committer.stop()


def test_stopping_runs_what_is_queued_then_each_committer_cleans_up():
    cleaned = []
    committer = GroupCommit(
        lambda batch: [setattr(p, "result", p.request) for p in batch],
        committers=2,
        on_stop=lambda: cleaned.append(threading.current_thread().name),
    )
    assert committer.submit("before") == "before"
    committer.stop()
    assert sorted(cleaned) == ["group-commit-0", "group-commit-1"]
    assert committer.submit("after") == "after"  # the next send starts them again
    committer.stop()


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_are_each_stored_once_with_gap_free_seqs():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer)")
    room = RoomFactory(automod_level=0)
    senders = [UserFactory(username=f"concurrent_{n}") for n in range(8)]
    acknowledged: list[tuple[str, int]] = []
    lock = threading.Lock()

    def send_many(user):
        for n in range(15):
            result = message_send(room=room, author=user, text=f"{user.username} says {n}")
            with lock:
                acknowledged.append((str(result.message.id), result.message.seq))
        connection.close()

    threads = [threading.Thread(target=send_many, args=(user,)) for user in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    stored = list(Message.objects.filter(room=room).order_by("seq").values_list("id", "seq"))
    assert [seq for _, seq in stored] == list(range(1, 121))  # gap-free, each once
    assert sorted(acknowledged, key=lambda a: a[1]) == [(str(i), s) for i, s in stored]
    room.refresh_from_db()
    assert room.last_seq == 120


@pytest.mark.django_db(transaction=True)
def test_a_send_the_database_cannot_store_is_refused_and_leaves_no_trace():
    """The room's row is locked by another writer past the database's lock timeout: the send
    is refused as "unavailable", nothing is stored, no seq is used up, and the next send,
    once the lock is gone, goes through."""
    import psycopg

    from chatsite.errors import ChatRefused
    from rooms.actions.messages import send_committers_stop

    if connection.vendor != "postgresql":
        pytest.skip("row locks and lock_timeout are PostgreSQL's")
    room = RoomFactory(automod_level=0)
    sender = UserFactory(username="patient")
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE \"{database}\" SET lock_timeout = '300ms'")
    send_committers_stop()  # the committer's next connection takes the new default
    params = connection.get_connection_params()
    blocker = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        blocker.execute("SELECT 1 FROM rooms_room WHERE id = %s FOR UPDATE", [room.id])
        with pytest.raises(ChatRefused) as refused:
            message_send(room=room, author=sender, text="while the row is locked")
        assert refused.value.code == "unavailable"
        blocker.rollback()
        sent = message_send(room=room, author=sender, text="once it is free")
        assert sent.message.seq == 1
        assert list(Message.objects.filter(room=room).values_list("original_text", flat=True)) == [
            "once it is free"
        ]
    finally:
        blocker.close()
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{database}" RESET lock_timeout')
        send_committers_stop()


@pytest.mark.asyncio
async def test_one_committer_stores_queued_requests_in_the_order_they_were_queued():
    seen = []

    def store(batch):
        time.sleep(0.002)  # so that the queue grows behind a busy committer
        seen.extend(pending.request for pending in batch)
        for pending in batch:
            pending.result = pending.request

    committer = GroupCommit(store, committers=1)
    futures = [committer.queue(n) for n in range(200)]
    assert await asyncio.gather(*futures) == list(range(200))
    assert seen == list(range(200))
    committer.stop()


@pytest.mark.asyncio
async def test_a_request_leaves_no_reference_cycle_for_the_garbage_collector():
    # A cycle per request (a pending whose callback closed over it) made the collector's
    # pauses grow with the send rate.
    committer = GroupCommit(lambda batch: [setattr(p, "result", p.request) for p in batch])
    await committer.queue(0)  # the committer thread runs
    gc.collect()
    gc.disable()
    try:
        for n in range(100):
            assert await committer.queue(n) == n
        for n in range(100):
            assert await asyncio.to_thread(committer.submit, n) == n
        assert gc.collect() == 0
    finally:
        gc.enable()
        committer.stop()
