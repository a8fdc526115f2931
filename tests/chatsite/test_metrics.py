"""The metrics count what happens: connections, sends, refusals, their latency."""

import json

import pytest
from asgiref.sync import sync_to_async
from prometheus_client.parser import text_string_to_metric_families

from chatsite import metrics
from tests.factories import RoomFactory, UserFactory
from tests.ws import answer, next_frame, open_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def sample(name: str, **labels: str) -> float:
    """One sample of the host's metrics, as a scrape reads it (0 when absent)."""
    text = metrics.exposition()[0].decode()
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


async def test_a_connection_and_its_sends_are_counted():
    await sync_to_async(RoomFactory)(slug="counted")
    chatter = await sync_to_async(UserFactory)()
    before = {
        "open": sample("twitchy_connections", protocol="websocket"),
        "received": sample("twitchy_messages_received_total"),
        "stored": sample("twitchy_messages_stored_total"),
        "empty": sample("twitchy_refusals_total", code="empty"),
        "timed": sample("twitchy_send_seconds_count"),
        "delivered": sample("twitchy_messages_delivered_total"),
    }
    socket, connected = await open_room("counted", user=chatter)
    assert connected
    assert sample("twitchy_connections", protocol="websocket") == before["open"] + 1

    await socket.send_to(text_data=json.dumps({"type": "send", "text": "hello", "nonce": "a"}))
    assert (await answer(socket, "a"))["type"] == "ack"
    assert (await next_frame(socket, "message"))["message"]["text"]
    await socket.send_to(text_data=json.dumps({"type": "send", "text": "   ", "nonce": "b"}))
    assert (await answer(socket, "b"))["code"] == "empty"

    assert sample("twitchy_messages_received_total") == before["received"] + 2
    assert sample("twitchy_messages_stored_total") == before["stored"] + 1
    assert sample("twitchy_refusals_total", code="empty") == before["empty"] + 1
    assert sample("twitchy_send_seconds_count") == before["timed"] + 2
    assert sample("twitchy_messages_delivered_total") == before["delivered"] + 1
    await socket.disconnect()
    assert sample("twitchy_connections", protocol="websocket") == before["open"]


async def test_observing_many_at_once_equals_observing_each():
    values = [0.0005, 0.003, 0.003, 0.04, 7.0, 100.0]
    bounds = ("0.001", "0.005", "5.0", "+Inf")
    before = {b: sample("twitchy_send_seconds_bucket", le=b) for b in bounds}
    total = sample("twitchy_send_seconds_sum")
    metrics.observe_many(metrics.SEND_SECONDS, values)
    assert sample("twitchy_send_seconds_bucket", le="0.001") == before["0.001"] + 1
    assert sample("twitchy_send_seconds_bucket", le="0.005") == before["0.005"] + 3
    assert sample("twitchy_send_seconds_bucket", le="5.0") == before["5.0"] + 4
    assert sample("twitchy_send_seconds_bucket", le="+Inf") == before["+Inf"] + 6
    assert sample("twitchy_send_seconds_sum") == pytest.approx(total + sum(values))
