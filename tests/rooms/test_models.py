import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from rooms.models import Room
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sequence_numbers_are_unique_within_a_room_only():
    first, second = RoomFactory(), RoomFactory()
    MessageFactory(room=first, seq=1)
    MessageFactory(room=second, seq=1)
    with pytest.raises(IntegrityError):
        MessageFactory(room=first, seq=1)


def test_sequence_numbers_start_at_one():
    with pytest.raises(IntegrityError):
        MessageFactory(seq=0)


def test_a_client_nonce_is_used_once_per_author_and_room():
    author, room = UserFactory(), RoomFactory()
    MessageFactory(room=room, author=author, seq=1, nonce="abc")
    MessageFactory(room=room, author=author, seq=2, nonce="")
    MessageFactory(room=room, author=author, seq=3, nonce="")
    MessageFactory(room=room, author=UserFactory(), seq=4, nonce="abc")
    with pytest.raises(IntegrityError):
        MessageFactory(room=room, author=author, seq=5, nonce="abc")


def test_unknown_message_state_is_refused():
    with pytest.raises(IntegrityError):
        MessageFactory(state="shown")


@pytest.mark.parametrize(
    "fields",
    [{"automod_level": 5}, {"slow_mode_seconds": 7201}, {"slug": "Bad-Slug"}],
)
def test_room_settings_out_of_range_are_refused_by_the_database(fields):
    room = RoomFactory()
    with pytest.raises(IntegrityError):
        Room.objects.filter(pk=room.pk).update(**fields)


def test_one_membership_per_user_and_room():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        MembershipFactory(room=membership.room, user=membership.user)


def test_subscriber_tier_is_one_to_three():
    with pytest.raises(IntegrityError):
        MembershipFactory(subscriber_tier=4)


def test_a_style_with_a_broken_rule_set_does_not_validate():
    style = RoomFactory().style
    style.instant_rules = {"casing": "shouting"}
    with pytest.raises(ValidationError, match="casing"):
        style.full_clean()
    style.instant_rules = {"swaps": {"Hi": "hey"}}
    style.llm_examples = [["only one"]]
    with pytest.raises(ValidationError, match="pairs"):
        style.full_clean()


def test_saving_a_room_loaded_earlier_keeps_the_messages_sent_since(user):
    from rooms.actions.messages import message_send

    room = RoomFactory()
    stale = Room.objects.get(pk=room.pk)  # as the admin's change form loads it
    message_send(room=room, author=user, text="sent while the form was open")
    stale.title = "Renamed"
    stale.save()
    room.refresh_from_db()
    assert (room.title, room.last_seq) == ("Renamed", 1)
    assert message_send(room=room, author=user, text="and the next one").message.seq == 2
