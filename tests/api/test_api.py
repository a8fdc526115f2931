import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import yaml
from django.db import connection
from django.utils import timezone
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chatsite.clients import ScopedThrottle
from chatsite.users.models import User
from chatsite.users.selectors import user_for_token
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.conftest import PASSWORD
from tests.factories import EmoteFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_schema_is_valid_openapi_3_and_lists_every_endpoint(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/auth/register/",
        "/api/auth/token/",
        "/api/me/",
        "/api/rooms/",
        "/api/rooms/{slug}/",
        "/api/rooms/{slug}/messages/",
        "/api/emotes/",
        "/api/badges/",
    }


def test_the_docs_page_loads_without_outside_assets(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()


def test_register_returns_a_token_that_works(api):
    response = api.post(
        "/api/auth/register/", {"username": "ApiBot", "password": "purple-monkey-dishwasher-42"}
    )
    assert response.status_code == 201
    assert response.json()["user"]["display_name"] == "ApiBot"
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/me/").json()["login"] == "apibot"


def test_register_applies_the_sign_up_rules(api):
    UserFactory(username="taken")
    response = api.post("/api/auth/register/", {"username": "TAKEN", "password": "12345678"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request"
    assert "That name is taken." in body["fields"]["username"]
    assert any("too common" in e for e in body["fields"]["password"])
    assert User.objects.count() == 1


def test_token_login_with_any_capitalisation(api):
    UserFactory(username="botuser")
    response = api.post("/api/auth/token/", {"username": "BotUser", "password": PASSWORD})
    assert response.status_code == 200
    wrong = api.post("/api/auth/token/", {"username": "botuser", "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_credentials"


def test_token_login_is_throttled(api, settings):
    UserFactory(username="hammer")
    codes = [
        api.post("/api/auth/token/", {"username": "hammer", "password": "x"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_rooms_list_and_detail(api, room):
    listing = api.get("/api/rooms/").json()
    assert [r["slug"] for r in listing] == [room.slug]
    detail = api.get(f"/api/rooms/{room.slug}/").json()
    assert detail["style"] == room.style.name
    assert detail["viewer_count"] == 0
    assert api.get("/api/rooms/nope_nope/").status_code == 404


def test_sending_uses_the_same_service_and_refusals(token_api, room):
    response = token_api.post(
        f"/api/rooms/{room.slug}/messages/", {"text": "from the api", "nonce": "api-1"}
    )
    assert response.status_code == 201
    assert response.json()["seq"] == 1
    assert response.json()["text"] == "from the api"
    again = token_api.post(
        f"/api/rooms/{room.slug}/messages/", {"text": "from the api", "nonce": "api-1"}
    )
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]
    duplicate = token_api.post(f"/api/rooms/{room.slug}/messages/", {"text": "from the api"})
    assert duplicate.status_code == 429
    assert duplicate.json()["code"] == "duplicate"
    assert int(duplicate["Retry-After"]) >= 1
    too_long = token_api.post(f"/api/rooms/{room.slug}/messages/", {"text": "x" * 501})
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "too_long"
    assert Message.objects.count() == 1


def test_a_reply_names_what_it_answers_in_the_response_and_the_history(token_api, room):
    asker = UserFactory(username="asker", display_name="Asker")
    asked = message_send(room=room, author=asker, text="who is here").message
    url = f"/api/rooms/{room.slug}/messages/"
    response = token_api.post(url, {"text": "me, for one", "reply_to": str(asked.id)})
    assert response.status_code == 201
    parent = {"id": str(asked.id), "login": "asker", "display_name": "Asker", "text": "who is here"}
    assert parent.items() <= response.json()["reply"].items()
    history = token_api.get(url).json()["results"]
    assert [m.get("reply", {}).get("id") for m in history] == [None, str(asked.id)]

    # A reply to nothing shown in this room: refused, and nothing is stored.
    for reply_to, status, code in [
        (str(uuid.uuid4()), 404, "reply_not_found"),
        ("not-an-id", 400, "invalid_request"),
    ]:
        refused = token_api.post(url, {"text": "to whom?", "reply_to": reply_to})
        assert (refused.status_code, refused.json()["code"]) == (status, code)
    assert Message.objects.count() == 2


def test_anonymous_cannot_send(api, room):
    response = api.post(f"/api/rooms/{room.slug}/messages/", {"text": "hi"})
    assert response.status_code == 401
    assert not Message.objects.exists()


def fill(room, count: int, text=lambda n: f"message {n}"):
    authors = [UserFactory() for _ in range(3)]
    for n in range(count):
        message_send(room=room, author=authors[n % 3], text=text(n))


def test_history_pages_backwards_and_forwards_by_sequence(api, room):
    fill(room, 25)
    newest = api.get(f"/api/rooms/{room.slug}/messages/?limit=10").json()
    assert [m["seq"] for m in newest["results"]] == list(range(16, 26))
    assert newest["newer"] is None
    older = api.get(newest["older"]).json()
    assert [m["seq"] for m in older["results"]] == list(range(6, 16))
    oldest = api.get(older["older"]).json()
    assert [m["seq"] for m in oldest["results"]] == list(range(1, 6))
    assert oldest["older"] is None
    forward = api.get(oldest["newer"]).json()
    assert [m["seq"] for m in forward["results"]] == list(range(6, 16))
    after = api.get(f"/api/rooms/{room.slug}/messages/?after=20").json()
    assert [m["seq"] for m in after["results"]] == [21, 22, 23, 24, 25]
    assert after["newer"] is None


@pytest.mark.parametrize(
    "query", ["before=x", "limit=0", "limit=101", "before=3&after=1", "after=-1"]
)
def test_bad_paging_parameters_are_explained(api, room, query):
    response = api.get(f"/api/rooms/{room.slug}/messages/?{query}")
    assert response.status_code == 400


def test_history_hides_messages_that_are_not_visible(api, room):
    fill(room, 3)
    Message.objects.filter(seq=2).update(state=Message.State.DELETED)
    seqs = [m["seq"] for m in api.get(f"/api/rooms/{room.slug}/messages/").json()["results"]]
    assert seqs == [1, 3]


def test_keyword_search(api, room):
    words = ["the dragon is here", "hello chat", "a DRAGON appears", "dragonfly"]
    fill(room, len(words), text=lambda n: words[n])
    found = api.get(f"/api/rooms/{room.slug}/messages/?q=dragon").json()["results"]
    texts = {m["text"] for m in found}
    assert {"the dragon is here", "a DRAGON appears"} <= texts
    assert "hello chat" not in texts
    if connection.vendor == "postgresql":
        assert "dragonfly" not in texts  # whole words with full-text search
    both = api.get(f"/api/rooms/{room.slug}/messages/?q=dragon here").json()["results"]
    assert [m["text"] for m in both] == ["the dragon is here"]


def test_emotes_for_a_room_include_global_and_its_own_with_images(api, room):
    EmoteFactory(code="GlobalOne")
    EmoteFactory(code="roomOnly", room=room, tier_required=1)
    EmoteFactory(code="otherRoom", room=RoomFactory())
    assert [e["code"] for e in api.get("/api/emotes/").json()] == ["GlobalOne"]
    codes = {e["code"]: e for e in api.get(f"/api/emotes/?room={room.slug}").json()}
    assert set(codes) == {"GlobalOne", "roomOnly"}
    assert codes["roomOnly"]["tier_required"] == 1
    assert codes["GlobalOne"]["images"]["1x"].startswith("http://testserver/media/")


def test_badges_are_listed(api, room):
    from tests.factories import BadgeFactory

    BadgeFactory(set_name="moderator", version="1", title="Moderator")
    assert api.get("/api/badges/").json()[0]["set"] == "moderator"


def test_message_payloads_match_the_websocket_ones(token_api, room, user):
    MembershipFactory(room=room, user=user, is_vip=True)
    sent = token_api.post(f"/api/rooms/{room.slug}/messages/", {"text": "same shape"}).json()
    listed = token_api.get(f"/api/rooms/{room.slug}/messages/").json()["results"][0]
    assert sent == listed
    assert listed["author"]["badges"] == [["vip", "1"]]


def test_token_login_shares_the_failed_login_lockout_with_the_page(api, client):
    UserFactory(username="locked")
    for _ in range(10):
        client.post("/accounts/login/", {"username": "locked", "password": "guess"})
    response = api.post("/api/auth/token/", {"username": "locked", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "login_throttled"


@pytest.fixture
def login_rate_unlimited(monkeypatch):
    """The per-minute login throttle out of the way: the lockout alone is under test."""
    monkeypatch.setitem(ScopedThrottle.THROTTLE_RATES, "login", "100000/min")


@pytest.mark.django_db(transaction=True)
def test_forty_wrong_passwords_at_once_check_no_more_than_ten(login_rate_unlimited):
    """The lockout is taken before the password is checked, atomically: a burst of
    concurrent guesses cannot get past ten checks (it got 32 before)."""
    UserFactory(username="burst")

    def guess(n: int) -> str:
        response = APIClient().post("/api/auth/token/", {"username": "burst", "password": f"g{n}"})
        return response.json()["code"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(guess, range(40)))
    assert codes.count("invalid_credentials") == 10
    assert codes.count("login_throttled") == 30


def test_a_successful_login_does_not_count_against_the_address(api, login_rate_unlimited):
    UserFactory(username="regular")
    for _ in range(15):
        response = api.post("/api/auth/token/", {"username": "regular", "password": PASSWORD})
        assert response.status_code == 200
    assert api.post("/api/auth/token/", {"username": "regular", "password": "x"}).status_code == 400


def test_a_token_says_when_it_expires_and_stops_working_then(api, settings):
    UserFactory(username="mortal")
    issued = api.post("/api/auth/token/", {"username": "mortal", "password": PASSWORD}).json()
    expires = datetime.fromisoformat(issued["expires_at"])
    assert expires - timezone.now() > timedelta(days=29)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert api.get("/api/me/").status_code == 200

    Token.objects.filter(key=issued["token"]).update(
        created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 1)
    )
    refused = api.get("/api/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    assert "expired" in refused.json()["message"]
    assert user_for_token(key=issued["token"]) is None  # IRC says no too

    api.credentials()
    renewed = api.post("/api/auth/token/", {"username": "mortal", "password": PASSWORD}).json()
    assert renewed["token"] != issued["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {renewed['token']}")
    assert api.get("/api/me/").status_code == 200


def test_rotating_a_token_retires_the_old_one_at_once(token_api, user):
    old = Token.objects.get(user=user).key
    rotated = token_api.post("/api/auth/token/rotate/")
    assert rotated.status_code == 200
    new = rotated.json()["token"]
    assert new != old
    assert token_api.get("/api/me/").status_code == 401  # still sending the old one
    token_api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert token_api.get("/api/me/").json()["login"] == user.username


def test_revoking_a_token_leaves_none(token_api, user):
    assert token_api.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert token_api.get("/api/me/").status_code == 401


def test_revoking_or_rotating_needs_credentials(api):
    assert api.delete("/api/auth/token/").json()["code"] == "not_authenticated"
    assert api.post("/api/auth/token/rotate/").json()["code"] == "not_authenticated"
