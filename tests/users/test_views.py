import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from chatsite.users.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "purple-monkey-dishwasher-42"


def register(client, **overrides):
    data = {
        "username": "NewChatter",
        "email": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    return client.post(reverse("register"), data)


def test_registering_logs_in_and_keeps_capitals_as_display_name(client):
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(username="newchatter")
    assert user.display_name == "NewChatter"
    assert get_user(client).pk == user.pk


def test_registering_returns_to_the_room_the_user_came_from(client, room):
    response = register(client, next=room.get_absolute_url())
    assert response.url == room.get_absolute_url()


def test_registering_never_redirects_off_site(client):
    response = register(client, next="https://evil.example/")
    assert response.url == "/"


def test_a_taken_name_is_refused_whatever_its_capitals(client):
    UserFactory(username="newchatter")
    response = register(client, username="NEWCHATTER")
    assert response.status_code == 200
    assert "That name is taken." in response.content.decode()
    assert User.objects.filter(username="newchatter").count() == 1


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"username": "no spaces"}, "lowercase letters, digits and underscores"),
        ({"username": "ab"}, "3 to 25 characters"),
        ({"password2": "something-else-entirely"}, "The two passwords differ."),
        ({"password1": "12345678", "password2": "12345678"}, "too common"),
    ],
)
def test_bad_registrations_explain_themselves_and_create_nothing(client, overrides, error):
    response = register(client, **overrides)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.exists()


def test_login_accepts_any_capitalisation(client):
    UserFactory(username="coolguy", display_name="CoolGuy")
    response = client.post(reverse("login"), {"username": "CoolGuy", "password": PASSWORD})
    assert response.status_code == 302
    assert get_user(client).username == "coolguy"


def test_wrong_password_is_refused(client):
    UserFactory(username="coolguy")
    response = client.post(reverse("login"), {"username": "coolguy", "password": "nope"})
    assert response.status_code == 200
    assert not get_user(client).is_authenticated


def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert not get_user(client).is_authenticated


def test_login_is_throttled_after_ten_failures_even_with_the_right_password(client):
    UserFactory(username="target")
    for _ in range(10):
        client.post(reverse("login"), {"username": "target", "password": "guess"})
    response = client.post(reverse("login"), {"username": "target", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_the_sign_up_form_is_throttled_per_address_with_the_api(client):
    """Five sign-ups an hour from one address (``REGISTER_RATE``), the form and the API
    together: a script can no longer make accounts through the form unthrottled."""
    from rest_framework.test import APIClient

    api = APIClient().post(
        "/api/auth/register/", {"username": "via_api", "password": GOOD_PASSWORD}
    )
    assert api.status_code == 201
    for n in range(4):
        assert register(client, username=f"formuser{n}").status_code == 302
        client.logout()
    response = register(client, username="one_too_many")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert not User.objects.filter(username="one_too_many").exists()
