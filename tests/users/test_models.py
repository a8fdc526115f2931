import pytest
from django.db import DataError, IntegrityError

from chatsite.users.models import DEFAULT_COLORS, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["ab", "has space", "UPPER", "dash-ed", "x" * 26, "émile"])
def test_database_refuses_malformed_logins(login):
    # PostgreSQL reports an over-long value as a DataError, SQLite as a CHECK failure.
    with pytest.raises((IntegrityError, DataError)):
        User.objects.create(username=login)


def test_display_name_may_only_change_capitalisation():
    UserFactory(username="coolguy", display_name="CoolGuy")
    with pytest.raises(IntegrityError):
        UserFactory(username="impostor", display_name="Streamer")


def test_database_refuses_a_chat_colour_that_is_not_hex():
    with pytest.raises(IntegrityError):
        UserFactory(username="painter", chat_color="red;x")


def test_chat_name_prefers_display_name():
    assert UserFactory(username="coolguy", display_name="CoolGuy").chat_name == "CoolGuy"
    assert UserFactory(username="plain").chat_name == "plain"


def test_default_colour_is_stable_per_login_and_custom_colour_wins():
    first = UserFactory(username="stable_one")
    assert first.effective_color in DEFAULT_COLORS
    assert User.objects.get(pk=first.pk).effective_color == first.effective_color
    assert UserFactory(username="painted", chat_color="#123ABC").effective_color == "#123ABC"
