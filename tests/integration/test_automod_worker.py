"""AutoMod with the real pieces: the web server, a Celery worker on the ``moderation`` queue, the
classifier, the Redis channel layer; the broker is Redis, then RabbitMQ.

With ``DATABASE_URL`` set (CI) this runs on PostgreSQL. RabbitMQ is the machine's
(``TEST_AMQP_URL``, which CI sets after checking it is up); without it, that case is skipped.
"""

import json
import os
import socket
from urllib.parse import urlparse

import pytest
from asgiref.sync import sync_to_async

from rooms.actions.rooms import membership_set
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory
from tests.integration.test_two_processes import next_of, open_socket
from tests.ws import session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672//"
RUDE = ["you are a fucking idiot", "shut the fuck up", "go kill yourself, loser"]


def _amqp_url() -> str:
    url = os.environ.get("TEST_AMQP_URL")
    if url:
        return url  # CI: it must be there
    address = urlparse(DEFAULT_AMQP)
    try:
        socket.create_connection((address.hostname, address.port), timeout=1).close()
    except OSError:
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672 (CI sets TEST_AMQP_URL)")
    return DEFAULT_AMQP


def _redis_broker() -> str:
    return ""  # the default: the Redis of REDIS_URL


@pytest.mark.parametrize("broker", [_redis_broker, _amqp_url], ids=["redis", "rabbitmq"])
async def test_automod_holds_in_a_worker_and_a_moderator_allows(
    asgi_server, celery_worker_process, broker
):
    url = broker()
    env = {"CELERY_BROKER_URL": url} if url else {}
    room = await sync_to_async(RoomFactory)(slug="guarded_" + (urlparse(url).scheme or "redis"))
    chatter = await sync_to_async(UserFactory)(username="rowdy")
    mod = await sync_to_async(UserFactory)(username="the_mod")
    await sync_to_async(membership_set)(room=room, user=mod, is_moderator=True)
    await sync_to_async(celery_worker_process)("moderation", **env)
    server = await sync_to_async(asgi_server)(**env)

    viewer = await open_socket(server.url, room.slug)
    await next_of(viewer, "history")
    moderator = await open_socket(server.url, room.slug, await sync_to_async(session_cookie)(mod))
    await next_of(moderator, "history")
    sender = await open_socket(server.url, room.slug, await sync_to_async(session_cookie)(chatter))
    await next_of(sender, "history")

    # Several messages through one worker process: each broadcast from Celery must work,
    # not only the first (the "Event loop is closed" trap of async_to_sync in workers).
    held_ids, held_seqs = [], []
    for n, text in enumerate(RUDE):
        await sender.send(json.dumps({"type": "send", "text": text, "nonce": f"r{n}"}))
        shown = (await next_of(viewer, "message"))["message"]
        retracted = await next_of(viewer, "delete")
        assert retracted["id"] == shown["id"]
        notice = await next_of(sender, "notice")
        assert (notice["code"], notice["id"]) == ("hold", shown["id"])
        item = (await next_of(moderator, "held"))["item"]
        assert (item["id"], item["original"], item["state"]) == (shown["id"], text, "held")
        held_ids.append(shown["id"])
        held_seqs.append(shown["seq"])
    held = await sync_to_async(list)(Message.objects.filter(state="held").order_by("seq"))
    assert [str(m.id) for m in held] == held_ids

    # The moderator allows the first: it comes back, in place, for the viewer.
    from moderation.actions.automod import held_allow

    await sync_to_async(held_allow)(room=room, actor=mod, message_id=held_ids[0], source="api")
    back = (await next_of(viewer, "message"))["message"]
    assert (back["id"], back["seq"]) == (held_ids[0], held_seqs[0])
    for connection in (viewer, moderator, sender):
        await connection.close()


async def test_pre_moderation_shows_a_message_only_once_automod_allows_it(
    asgi_server, celery_worker_process
):
    room = await sync_to_async(RoomFactory)(slug="premod", pre_moderation=True)
    chatter = await sync_to_async(UserFactory)(username="polite")
    await sync_to_async(celery_worker_process)("moderation")
    server = await sync_to_async(asgi_server)()
    viewer = await open_socket(server.url, room.slug)
    await next_of(viewer, "history")
    sender = await open_socket(server.url, room.slug, await sync_to_async(session_cookie)(chatter))
    await next_of(sender, "history")

    await sender.send(json.dumps({"type": "send", "text": RUDE[0], "nonce": "a"}))
    assert (await next_of(sender, "ack"))["state"] == "pending"
    assert (await next_of(sender, "notice"))["code"] == "hold"
    await sender.send(json.dumps({"type": "send", "text": "hi, nice stream", "nonce": "b"}))
    ack = await next_of(sender, "ack")
    # The viewer's first message is the polite one: the rude one never reached them.
    shown = (await next_of(viewer, "message"))["message"]
    assert (shown["id"], shown["text"]) == (ack["id"], "hi, nice stream")
    await viewer.close()
    await sender.close()
