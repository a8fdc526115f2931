import json

import pytest
from django.urls import reverse
from django.utils import timezone

from rooms.models import Message
from tests.factories import (
    BadgeFactory,
    EmoteFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_lists_every_room_with_its_style_and_description(client):
    rooms = [RoomFactory(description=f"About room {n}") for n in range(3)]
    page = client.get(reverse("home")).content.decode()
    for room in rooms:
        assert room.title in page
        assert room.style.name in page
        assert room.description in page
        assert room.get_absolute_url() in page


def test_anonymous_viewer_sees_a_disabled_box_and_a_way_to_sign_in(client, room):
    page = client.get(room.get_absolute_url()).content.decode()
    assert room.title in page
    assert 'placeholder="Log in to chat"' in page
    assert "disabled" in page
    assert f"{reverse('login')}?next={room.get_absolute_url()}" in page


def test_logged_in_chatter_gets_an_enabled_message_box(client, room, user):
    client.force_login(user)
    page = client.get(room.get_absolute_url()).content.decode()
    assert 'placeholder="Send a message"' in page
    assert 'placeholder="Log in to chat"' not in page
    assert "Chatter" in page


def chat_config(page: str) -> dict:
    start = page.index('<script id="chat-config" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_room_page_carries_recent_visible_messages_oldest_first(client, room):
    author = UserFactory(username="talker")
    MessageFactory(room=room, seq=1, author=author, display_text="first line")
    MessageFactory(room=room, seq=2, author=author, display_text="hidden line",
                   state=Message.State.HELD)  # fmt: skip
    MessageFactory(room=room, seq=3, author=author, display_text="second line")
    config = chat_config(client.get(room.get_absolute_url()).content.decode())
    assert [m["text"] for m in config["messages"]] == ["first line", "second line"]
    assert config["socket"] == f"/ws/rooms/{room.slug}/"


def test_room_page_carries_the_emote_and_badge_images(client, room):
    emote = EmoteFactory(code="PageWave")
    badge = BadgeFactory(set_name="moderator", version="1")
    config = chat_config(client.get(room.get_absolute_url()).content.decode())
    assert config["emotes"][str(emote.pk)]["code"] == "PageWave"
    assert config["badges"]["moderator/1"]["title"] == badge.title


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
    ],
)
def test_message_text_is_never_rendered_as_html(client, room, payload):
    MessageFactory(room=room, seq=1, original_text=payload, display_text=payload)
    page = client.get(room.get_absolute_url()).content.decode()
    assert payload not in page
    assert chat_config(page)["messages"][0]["text"] == payload


def test_home_page_shows_live_viewer_counts(client, room):
    import asyncio

    from rooms import presence

    async def two_viewers():
        await presence.arrive(room.id, "conn-a", None)
        await presence.arrive(room.id, "conn-b", "someone")

    asyncio.run(two_viewers())
    assert "2 watching" in client.get(reverse("home")).content.decode()


def test_unknown_room_is_a_404(client, db):
    assert client.get("/rooms/no_such_room/").status_code == 404


def test_the_room_page_gives_authors_their_own_originals_only(client, room, user):
    from rooms.actions.messages import message_send

    mine = message_send(room=room, author=user, text="my own words").message
    theirs = message_send(room=room, author=UserFactory(), text="their words").message
    client.force_login(user)
    originals = chat_config(client.get(room.get_absolute_url()).content.decode())["originals"]
    assert originals == {str(mine.id): "my own words"}
    assert str(theirs.id) not in originals


def test_every_page_links_to_the_api_docs(client, db):
    assert reverse("api-docs") in client.get(reverse("home")).content.decode()


def test_a_timed_out_or_banned_chatter_gets_the_box_off_with_why_and_until_when(client, room, user):
    from moderation.actions.bans import user_ban, user_timeout

    client.force_login(user)
    assert chat_config(client.get(room.get_absolute_url()).content.decode())["restriction"] is None
    user_timeout(room=room, actor=room.owner, target=user, seconds=300, source="api")
    restriction = chat_config(client.get(room.get_absolute_url()).content.decode())["restriction"]
    assert restriction["code"] == "timed_out"
    assert restriction["until"] > timezone.now().isoformat()
    user_ban(room=room, actor=room.owner, target=user, source="api")
    restriction = chat_config(client.get(room.get_absolute_url()).content.decode())["restriction"]
    assert restriction == {
        "code": "banned",
        "message": "You are banned from chatting in this room.",
    }
