"""Structured logs: what a record concerns travels with it; chat text stays out."""

import asyncio
import json
import logging
import sys

import pytest
from asgiref.sync import sync_to_async

from chatsite import logs
from tests.factories import RoomFactory, UserFactory
from tests.ws import answer, open_room


def test_a_connection_binds_what_its_records_concern():
    record = logging.LogRecord("rooms", logging.INFO, __file__, 1, "joined", None, None)

    async def serve() -> str:
        logs.bind(connection_id="c-1", room="lobby")
        logs.bind(user_id=7)
        return logs.JsonFormatter().format(record)

    data = json.loads(asyncio.run(serve()))
    assert data["connection_id"] == "c-1"
    assert data["room"] == "lobby"
    assert data["user_id"] == 7
    # Another task (another connection) does not inherit it.
    assert "room" not in json.loads(logs.JsonFormatter().format(record))


def test_an_exception_is_kept_in_the_record():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "rooms",
            logging.ERROR,
            __file__,
            1,
            "failed",
            None,
            exc_info=sys.exc_info(),
        )
    data = json.loads(logs.JsonFormatter().format(record))
    assert "ValueError: boom" in data["exception"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_chat_text_is_logged_at_info_level(caplog):
    await sync_to_async(RoomFactory)(slug="quiet")
    chatter = await sync_to_async(UserFactory)()
    secret = "my very private words 4815"
    with caplog.at_level(logging.INFO):
        socket, _ = await open_room("quiet", user=chatter)
        await socket.send_to(text_data=json.dumps({"type": "send", "text": secret, "nonce": "p"}))
        assert (await answer(socket, "p"))["type"] == "ack"
        await socket.send_to(text_data="{not json")
        await socket.disconnect()
    assert all(secret not in record.getMessage() for record in caplog.records)
