"""The mod dashboard: who may open it, and what its live feed carries."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from chatsite.asgi import application
from moderation.actions.automod import automod_review
from moderation.actions.bans import user_timeout
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from tests.factories import RoomFactory, UserFactory
from tests.ws import ORIGIN, next_frame, session_cookie


@pytest.mark.django_db
def test_the_page_is_for_the_rooms_moderators_only(client, room, user):
    page = f"/mod/{room.slug}/"
    assert client.get(page).status_code == 302  # anonymous: log in first
    client.force_login(user)
    assert client.get(page).status_code == 403
    mod = UserFactory(username="the_mod")
    membership_set(room=room, user=mod, is_moderator=True)
    for allowed in (mod, room.owner, UserFactory(is_staff=True)):
        client.force_login(allowed)
        response = client.get(page)
        assert response.status_code == 200
        assert b"Held messages" in response.content
        assert f"/ws/mod/{room.slug}/".encode() in response.content
    other_room = RoomFactory()
    client.force_login(mod)
    assert client.get(f"/mod/{other_room.slug}/").status_code == 403  # a mod of one room only


async def open_dashboard(slug: str, user=None):
    headers = [(b"host", b"localhost"), (b"origin", ORIGIN.encode())]
    if user is not None:
        headers.append((b"cookie", (await sync_to_async(session_cookie)(user)).encode()))
    communicator = WebsocketCommunicator(application, f"/ws/mod/{slug}/", headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    return communicator, connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_feed_refuses_everyone_but_moderators():
    room = await sync_to_async(RoomFactory)(slug="guarded")
    for who in (None, await sync_to_async(UserFactory)(username="nosy")):
        socket, connected = await open_dashboard("guarded", who)
        assert not connected
    socket, connected = await open_dashboard("guarded", room.owner)
    assert connected
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_feed_starts_with_a_snapshot_then_follows_live(room_with_cast):
    room, mod, chatter = room_with_cast
    sent = await sync_to_async(message_send)(room=room, author=chatter, text="you fucking idiot")
    await sync_to_async(automod_review)(message_ids=[str(sent.message.id)])
    socket, connected = await open_dashboard(room.slug, mod)
    assert connected
    snapshot = await next_frame(socket, "dashboard")
    assert [item["original"] for item in snapshot["held"]] == ["you fucking idiot"]
    assert snapshot["audit"][0]["action"] == "hold"
    assert snapshot["room"]["automod_level"] == 1

    fresh = await sync_to_async(message_send)(room=room, author=chatter, text="sorry all")
    assert (await next_frame(socket, "message"))["message"]["id"] == str(fresh.message.id)
    assert (await next_frame(socket, "original"))["original"] == "sorry all"
    await sync_to_async(user_timeout)(room=room, actor=mod, target=chatter, seconds=60,
                                      source="dashboard")  # fmt: skip
    frames = {}
    while not {"clear_user", "audit"} <= set(frames):
        frame = await next_frame(socket)
        frames[frame["type"]] = frame
    assert frames["clear_user"]["login"] == chatter.username
    entry = frames["audit"]["entry"]
    assert (entry["action"], entry["actor"], entry["source"]) == ("timeout", "the_mod", "dashboard")
    await socket.send_to(text_data=json.dumps({"type": "send", "text": "hi"}))
    assert (await next_frame(socket, "error"))["code"] == "read_only"
    await socket.send_to(text_data=json.dumps({"type": "ping"}))
    assert (await next_frame(socket))["type"] == "pong"
    await socket.disconnect()


@pytest.fixture
def room_with_cast(transactional_db):
    room = RoomFactory(slug="modded")
    mod = UserFactory(username="the_mod")
    membership_set(room=room, user=mod, is_moderator=True)
    return room, mod, UserFactory(username="rowdy")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_role_change_takes_effect_on_open_connections(room_with_cast):
    from rooms.actions.messages import chat_submit
    from tests.ws import joined, open_room

    room, mod, chatter = room_with_cast
    newcomer = await sync_to_async(UserFactory)(username="newcomer")
    promoted, _ = await open_room(room.slug, user=newcomer)
    await joined(promoted)
    dashboard, connected = await open_dashboard(room.slug, mod)
    assert connected
    await next_frame(dashboard, "dashboard")

    def owner_says(text):
        return chat_submit(room=room, author=room.owner, text=text, source="command")

    await sync_to_async(owner_says)("/mod newcomer")
    await sync_to_async(owner_says)("/unmod the_mod")
    # The demoted moderator's feed closes; the promoted chatter now gets the originals.
    output = await dashboard.receive_output(timeout=10)
    while output["type"] == "websocket.send":  # the audit entries of the two changes
        output = await dashboard.receive_output(timeout=10)
    assert output == {"type": "websocket.close", "code": 4403}
    await sync_to_async(message_send)(room=room, author=chatter, text="what did I write")
    assert (await next_frame(promoted, "original"))["original"] == "what did I write"
    await promoted.disconnect()
