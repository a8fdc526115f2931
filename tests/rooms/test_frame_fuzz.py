"""Whatever a client sends on the browser socket, it gets an answer in the protocol (or
none), never a crash: the connection stays open and every error carries a known code."""

import json

import pytest
from asgiref.sync import async_to_sync
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatsite.errors import ErrorCode
from tests.factories import RoomFactory, UserFactory
from tests.ws import open_room, unbatch

pytestmark = pytest.mark.django_db(transaction=True)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
frame_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["send", "ping", "history", "", "SEND"]) | st.text(max_size=12)},
    optional={"text": json_values | st.text(), "nonce": json_values,
              "reply_to": json_values | st.uuids().map(str)},
)  # fmt: skip
raw_frames = st.one_of(
    frame_like.map(json.dumps),
    json_values.map(json.dumps),
    st.text(min_size=1, max_size=300),
    st.binary(min_size=1, max_size=64),
)
CODES = {code.value for code in ErrorCode}


@pytest.fixture
def chatter():
    RoomFactory(slug="fuzzed")
    return UserFactory(username="fuzzer")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(frames=st.lists(raw_frames, min_size=1, max_size=6))
def test_any_frames_get_protocol_answers_and_the_socket_stays_open(chatter, frames):
    async_to_sync(_exchange)(chatter, frames)


async def _exchange(chatter, frames) -> None:
    socket, connected = await open_room("fuzzed", user=chatter)
    assert connected
    for frame in frames:
        if isinstance(frame, bytes):
            await socket.send_to(bytes_data=frame)
        else:
            await socket.send_to(text_data=frame)
    await socket.send_to(text_data=json.dumps({"type": "ping"}))
    # Everything up to the pong is in the protocol: objects with a type, known codes.
    while True:
        output = await socket.receive_output(timeout=10)
        assert output["type"] == "websocket.send", output  # not a close
        for frame in unbatch(json.loads(output["text"])):
            assert isinstance(frame.get("type"), str)
            if frame["type"] == "error":
                assert frame["code"] in CODES
            if frame["type"] == "pong":
                await socket.disconnect()
                return
