"""docs/protocol.md is the contract: every frame the server sends must match its schema there."""

import json
import re
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from jsonschema import Draft202012Validator

from rooms import events
from rooms.actions.messages import message_send
from tests.factories import MessageFactory, RoomFactory, UserFactory
from tests.ws import open_room, unbatch

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
BLOCK = re.compile(r"<!-- (schema|example): (\S+) -->\s*```json\n(.*?)```", re.S)


def _blocks(kind: str) -> dict[str, object]:
    return {
        name: json.loads(body)
        for found_kind, name, body in BLOCK.findall(DOC.read_text())
        if found_kind == kind
    }


SCHEMAS = _blocks("schema")
DEFS = SCHEMAS.pop("$defs")


def check(frame: dict) -> None:
    schema = {**SCHEMAS[frame["type"]], "$defs": DEFS}
    errors = sorted(Draft202012Validator(schema).iter_errors(frame), key=str)
    assert not errors, f"{frame['type']} frame breaks docs/protocol.md: {errors[0].message}"


def test_every_frame_type_is_documented_and_nothing_else():
    assert set(SCHEMAS) == set(events.FRAME_TYPES)


@pytest.mark.parametrize(("name", "example"), sorted(_blocks("example").items()))
def test_the_examples_in_the_doc_follow_their_schemas(name, example):
    assert example["type"] == name
    check(example)


def _payload(message):
    return events.message_payload(message=message, author=None)


@pytest.mark.django_db
def test_frames_built_for_later_events_follow_the_doc():
    message = MessageFactory()
    check(events.update_frame(message))
    check(events.delete_frame(message))
    check(events.clear_user_frame(user_id=1, login="someone", duration=600))
    check(events.clear_user_frame(user_id=1, login="someone", duration=None))
    check(events.original_frame(message))
    check(events.pong_frame())
    check(events.ack_frame(message, nonce="n1", created=False))
    message.state, message.held_reason = "held", "profanity"
    check(events.held_frame(events.held_item(message, _payload(message))))


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_every_frame_of_a_real_session_follows_the_doc():
    author = await sync_to_async(UserFactory)(username="writer", chat_color="#123456")
    room = await sync_to_async(RoomFactory)(slug="contract", owner=author)
    await sync_to_async(message_send)(room=room, author=author, text="before")
    socket, _ = await open_room("contract", user=author)
    for raw in (
        {"type": "send", "text": "hello", "nonce": "c1"},
        {"type": "send", "text": "hello", "nonce": "c1"},
        {"type": "send", "text": "hello"},
        {"type": "ping"},
        {"type": "nope"},
        {"type": "send", "text": "/slow 5", "nonce": "c2"},
    ):
        await socket.send_to(text_data=json.dumps(raw))
    await socket.send_to(text_data="{broken")
    seen = set()
    wanted = {"history", "room_state", "presence", "message", "ack", "pong", "error", "notice"}
    while not wanted <= seen:
        received = json.loads(await socket.receive_from(timeout=10))
        check(received)
        for frame in unbatch(received):
            check(frame)
            seen.add(frame["type"])
    await socket.disconnect()

    resync, _ = await open_room("contract", since=10_000)
    frame = json.loads(await resync.receive_from(timeout=10))
    assert frame["type"] == "resync"
    check(frame)
    await resync.disconnect()


@pytest.mark.django_db
def test_the_moderation_frames_follow_the_doc(room, user, published, committing):
    from moderation.actions.automod import automod_review, held_allow
    from moderation.actions.messages import chat_clear
    from moderation.selectors import dashboard_snapshot
    from rooms.actions.rooms import membership_set

    mod = UserFactory(username="contract_mod")
    membership_set(room=room, user=mod, is_moderator=True)
    with committing():
        sent = message_send(room=room, author=user, text="you are a fucking idiot").message
        automod_review(message_ids=[str(sent.id)])
    check(dashboard_snapshot(room=room))
    with committing():
        held_allow(room=room, actor=mod, message_id=str(sent.id), source="api")
        chat_clear(room=room, actor=mod, source="api")
    kinds = set()
    for _, frame in published.frames():
        check(frame)
        kinds.add(frame["type"])
    assert kinds >= {"message", "original", "delete", "notice", "held", "held_resolved", "audit",
                     "clear_chat"}  # fmt: skip
