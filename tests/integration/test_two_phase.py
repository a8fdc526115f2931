"""Two-phase display with the real pieces: the web server, a Celery worker, the bundled LLM."""

import json

import pytest
from asgiref.sync import sync_to_async

from tests.factories import RoomFactory, StyleFactory, UserFactory
from tests.integration.test_two_processes import next_of, open_socket
from tests.ws import session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

# A style the 135M model follows to the letter at temperature 0, so that the test
# checks the pipeline, not the model's wit (docs/skibidification.md measures that).
BARD = {
    "instant_rules": {"swaps": {"hello": "well met"}, "emoji": ["📜"]},
    "llm_system_prompt": "Repeat the user's chat message word for word, then add a star emoji.",
    "llm_examples": [["hi there", "hi there ⭐"], ["what a game", "what a game ⭐"]],
    "markers": ["⭐"],
    "llm_temperature": 0.0,
    "llm_max_tokens": 40,
}


async def test_a_message_shows_instantly_then_the_llm_rewrite_replaces_it(
    asgi_server, celery_worker_process
):
    style = await sync_to_async(StyleFactory)(**BARD)
    room = await sync_to_async(RoomFactory)(slug="tavern", style=style)
    bard = await sync_to_async(UserFactory)(username="minstrel")
    cookie = await sync_to_async(session_cookie)(bard)
    # (A slow machine's first rewrite may take longer than LLM_MAX_AGE's two seconds.)
    await sync_to_async(celery_worker_process)("skibidi", LLM_BACKEND="embedded", LLM_MAX_AGE="30")
    server = await sync_to_async(asgi_server)(LLM_BACKEND="embedded")

    viewer = await open_socket(server.url, room.slug)
    await next_of(viewer, "history")
    sender = await open_socket(server.url, room.slug, cookie)
    await sender.send(json.dumps({"type": "send", "text": "hello friends, good game"}))

    first = (await next_of(viewer, "message"))["message"]
    assert first["engine"] == "instant"
    assert first["text"].startswith("well met friends, good game")

    update = await next_of(viewer, "update")
    assert update["id"] == first["id"]
    assert update["engine"] == "llm:smollm2-135m"
    assert update["text"] == "hello friends, good game ⭐"
    await viewer.close()
    await sender.close()


async def test_without_a_worker_chat_works_with_instant_text(asgi_server):
    style = await sync_to_async(StyleFactory)(**BARD)
    room = await sync_to_async(RoomFactory)(slug="quiet_tavern", style=style)
    bard = await sync_to_async(UserFactory)(username="lonely")
    cookie = await sync_to_async(session_cookie)(bard)
    server = await sync_to_async(asgi_server)(LLM_BACKEND="embedded")

    sender = await open_socket(server.url, room.slug, cookie)
    await sender.send(json.dumps({"type": "send", "text": "hello anyone", "nonce": "n1"}))
    ack = await next_of(sender, "ack")
    message = await next_of(sender, "message")
    assert message["message"]["id"] == ack["id"]
    assert message["message"]["text"].startswith("well met anyone")
    await sender.close()
