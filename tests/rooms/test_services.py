import json
import threading
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from chatsite.errors import ChatRefused
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.factories import EmoteFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> ChatRefused:
    with pytest.raises(ChatRefused) as caught:
        message_send(**kwargs)
    return caught.value


def test_a_message_is_stored_with_the_next_sequence_number(room, user):
    first = message_send(room=room, author=user, text="hello")
    second = message_send(room=room, author=user, text="again")
    assert (first.message.seq, second.message.seq) == (1, 2)
    room.refresh_from_db()
    assert room.last_seq == 2
    stored = Message.objects.get(pk=second.message.pk)
    assert stored.original_text == "again"
    assert stored.state == Message.State.VISIBLE


def test_a_stored_message_reads_back_exactly_as_it_was_sent(room, user):
    wave = EmoteFactory(code="WaveHi")
    text = 'it\'s "quoted" back\\slash 100% %s %(x)s ünïcødé 🎉 WaveHi'
    sent = message_send(room=room, author=user, text=text, nonce="n-1").message
    stored = Message.objects.get(pk=sent.pk)
    assert (stored.room_id, stored.seq, stored.author_id) == (room.id, 1, user.id)
    assert stored.original_text == stored.display_text == text
    assert stored.emotes == [[str(wave.pk), len(text) - 6, len(text) - 1]]
    assert (stored.engine, stored.state, stored.nonce) == ("instant", "visible", "n-1")
    assert (stored.automod_scores, stored.held_reason) == (None, "")  # AutoMod owes a verdict
    assert stored.created_at == sent.created_at  # to the microsecond


def test_each_room_counts_its_own_sequence(user):
    first_room, second_room = RoomFactory(), RoomFactory()
    message_send(room=first_room, author=user, text="a")
    assert message_send(room=second_room, author=user, text="b").message.seq == 1


def test_the_broadcast_waits_for_the_commit(room, user, django_capture_on_commit_callbacks):
    import redis
    from channels.layers import get_channel_layer
    from django.conf import settings

    from rooms.events import _group_channel, room_group, unpack

    listener = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(_group_channel(room_group(room.id)))
    listener.get_message(timeout=1)  # the subscription confirmation
    with django_capture_on_commit_callbacks() as callbacks:
        message_send(room=room, author=user, text="hello")
        assert listener.get_message(timeout=0.2) is None  # nothing before the commit
    for callback in callbacks:
        callback()
    published = listener.get_message(timeout=5)
    listener.close()
    (envelope,) = unpack(get_channel_layer().deserialize(published["data"]))
    assert envelope["seq"] == 1
    frames = {audience: json.loads(frame) for audience, frame in envelope["parts"]}
    assert frames["all"]["message"]["text"] == Message.objects.get().display_text


@pytest.mark.parametrize("author", [None, AnonymousUser()])
def test_anonymous_senders_are_refused(room, author):
    assert refused(room=room, author=author, text="hi").code == "not_logged_in"
    assert not Message.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u202e", "\n\t"])
def test_empty_messages_are_refused(room, user, text):
    assert refused(room=room, author=user, text=text).code == "empty"


def test_length_is_counted_after_clean_up(room, user):
    padded = "a" * 500 + "\u200b" * 50 + "   "
    assert message_send(room=room, author=user, text=padded).message.original_text == "a" * 500
    error = refused(room=room, author=user, text="b" * 501)
    assert error.code == "too_long"
    assert "501" in error.message
    assert Message.objects.count() == 1


def test_the_same_message_twice_within_30_seconds_is_refused(room, user):
    message_send(room=room, author=user, text="same thing")
    error = refused(room=room, author=user, text="same  thing\u200b")
    assert error.code == "duplicate"
    assert 0 < error.retry_after <= 30
    # Someone else may say it, and so may the same chatter elsewhere or differently.
    message_send(room=room, author=UserFactory(), text="same thing")
    message_send(room=RoomFactory(), author=user, text="same thing")
    message_send(room=room, author=user, text="something else")


def test_a_retried_nonce_returns_the_first_message(room, user):
    first = message_send(room=room, author=user, text="hello", nonce="n-1")
    retry = message_send(room=room, author=user, text="hello", nonce="n-1")
    assert retry.created is False
    assert retry.message.pk == first.message.pk
    assert retry.payload["seq"] == first.payload["seq"]
    assert Message.objects.count() == 1


def test_a_malformed_nonce_is_refused(room, user):
    assert refused(room=room, author=user, text="hi", nonce="x" * 65).code == "invalid_nonce"
    assert refused(room=room, author=user, text="hi", nonce="has space").code == "invalid_nonce"


def test_emote_positions_and_badges_are_in_the_payload(room):
    sub = UserFactory(username="subber")
    MembershipFactory(
        room=room, user=sub, is_moderator=True, subscriber_tier=1, subscriber_months=7
    )
    wave = EmoteFactory(code="WaveHi")
    tiered = EmoteFactory(code="roomHype", room=room, tier_required=1)
    top_tier = EmoteFactory(code="roomGold", room=room, tier_required=3)
    result = message_send(room=room, author=sub, text="WaveHi roomHype roomGold")
    assert result.payload["emotes"] == [[str(wave.pk), 0, 5], [str(tiered.pk), 7, 14]]
    assert result.payload["author"]["badges"] == [["moderator", "1"], ["subscriber", "6"]]
    assert str(top_tier.pk) not in [emote[0] for emote in result.payload["emotes"]]


def test_the_broadcaster_wears_the_broadcaster_badge(room):
    result = message_send(room=room, author=room.owner, text="welcome")
    assert result.payload["author"]["badges"][0] == ["broadcaster", "1"]


def test_html_is_stored_as_text(room, user):
    result = message_send(room=room, author=user, text="<b>bold</b> & <script>x</script>")
    assert result.payload["text"] == "<b>bold</b> & <script>x</script>"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_concurrent_senders_get_unique_gap_free_sequence_numbers():
    room = RoomFactory()
    senders = [UserFactory() for _ in range(8)]
    errors = []

    def send_many(author):
        try:
            for n in range(10):
                message_send(room=room, author=author, text=f"{author.username} {n}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_many, args=(a,)) for a in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(Message.objects.filter(room=room).values_list("seq", flat=True))
    assert seqs == list(range(1, 81))


def test_a_styled_room_shows_the_instant_rendering_and_keeps_the_original(user):
    from tests.factories import StyleFactory

    style = StyleFactory(instant_rules={"swaps": {"hi": "hey bestie"}, "emoji": ["✨"]})
    room = RoomFactory(style=style)
    wave = EmoteFactory(code="WaveHi")
    result = message_send(room=room, author=user, text="hi WaveHi")
    assert result.message.original_text == "hi WaveHi"
    assert result.payload["text"].startswith("hey bestie WaveHi ✨")
    assert result.payload["engine"] == "instant"
    start = len("hey bestie ")
    assert result.payload["emotes"] == [[str(wave.pk), start, start + len("WaveHi") - 1]]


def test_a_me_message_is_an_action_and_other_slashes_stay_commands(room, user):
    from rooms.actions.messages import chat_submit

    sent = chat_submit(room=room, author=user, text="/me waves hello", source="api")
    stored = Message.objects.get(pk=sent.message.pk)
    assert (stored.is_action, stored.original_text) == (True, "waves hello")
    assert sent.payload["action"] is True
    plain = message_send(room=room, author=user, text="just words").payload
    assert "action" not in plain
    assert refused(room=room, author=user, text="/me").code == "empty"
    with pytest.raises(ChatRefused) as command:
        chat_submit(room=room, author=user, text="/meow", source="api")
    assert command.value.code == "unknown_command"


def test_a_reply_keeps_what_it_answers_and_needs_a_shown_message(room, user):
    other = UserFactory(username="asker", display_name="Asker")
    question = message_send(room=room, author=other, text="anyone here?").message
    answer = message_send(room=room, author=user, text="yes!", reply_to=str(question.id))
    assert answer.payload["reply"] == {
        "id": str(question.id), "user_id": other.id, "login": "asker", "display_name": "Asker",
        "text": question.display_text,
    }  # fmt: skip
    assert Message.objects.get(pk=answer.message.pk).reply_parent["id"] == str(question.id)
    for missing in ["not-a-uuid", str(uuid.uuid4())]:
        assert refused(room=room, author=user, text="hm", reply_to=missing).code == (
            "reply_not_found"
        )
    Message.objects.filter(pk=question.pk).update(state=Message.State.DELETED)
    assert refused(room=room, author=user, text="late", reply_to=str(question.id)).code == (
        "reply_not_found"
    )
    assert Message.objects.filter(author=user).count() == 1


def test_a_subscribers_months_travel_with_their_messages(room, user):
    MembershipFactory(room=room, user=user, subscriber_tier=1, subscriber_months=8)
    author = message_send(room=room, author=user, text="eight months!").payload["author"]
    assert author["subscriber_months"] == 8
    newcomer = UserFactory(username="newcomer")
    assert (
        "subscriber_months"
        not in message_send(room=room, author=newcomer, text="hi").payload["author"]
    )
