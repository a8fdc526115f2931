"""The user card anyone may see: who someone is in the room, nothing more."""

import pytest
from rest_framework.test import APIClient

from rooms.actions.rooms import membership_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anyone_sees_a_chatters_roles_and_account_age(room):
    vic = UserFactory(username="vic", display_name="Vic")
    membership_set(room=room, user=vic, is_vip=True, subscriber_tier=1, subscriber_months=7)
    card = APIClient().get(f"/api/rooms/{room.slug}/chatters/VIC/").json()
    assert card["display_name"] == "Vic"
    assert (card["is_vip"], card["is_moderator"], card["subscriber_months"]) == (True, False, 7)
    assert card["account_age_days"] == 0
    assert "recent_messages" not in card  # moderators' business only


def test_an_unknown_chatter_is_a_clear_404(room):
    answer = APIClient().get(f"/api/rooms/{room.slug}/chatters/nobody_here/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "user_not_found"
