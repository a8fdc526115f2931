"""Every refused request answers in one shape, with a code from ``ErrorCode``: whatever
refused it (a chat rule, the input, the credentials, the URL, the method, the throttle)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from chatsite.errors import ErrorCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def refused(response, status: int, code: str) -> dict:
    """The body of a refusal, after checking its status and shape."""
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert body["code"] in {c.value for c in ErrorCode}
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def test_sending_without_credentials_is_not_authenticated(api, room):
    response = api.post(f"/api/rooms/{room.slug}/messages/", {"text": "hi"})
    refused(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_not_authenticated(api, room):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    refused(api.get("/api/me/"), 401, "not_authenticated")


def test_an_unknown_room_is_not_found(api):
    refused(api.get("/api/rooms/no_such_room/"), 404, "not_found")


def test_a_method_the_endpoint_does_not_take(room, user):
    api = APIClient()
    api.force_authenticate(user)
    refused(api.delete(f"/api/rooms/{room.slug}/"), 405, "method_not_allowed")


def test_invalid_input_names_the_field(api, room):
    body = refused(api.get(f"/api/rooms/{room.slug}/messages/", {"limit": 0}), 400,
                   "invalid_request")  # fmt: skip
    assert body["fields"] == {"limit": ["Between 1 and 100."]}
    assert body["message"] == "limit: Between 1 and 100."


def test_a_body_that_is_not_json_is_an_invalid_request(room, user):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/rooms/{room.slug}/messages/", "{oops", content_type="application/json"
    )
    refused(response, 400, "invalid_request")


def test_a_chat_rule_answers_with_its_own_code_and_retry_after(room, user):
    api = APIClient()
    api.force_authenticate(user)
    assert api.post(f"/api/rooms/{room.slug}/messages/", {"text": "same"}).status_code == 201
    body = refused(api.post(f"/api/rooms/{room.slug}/messages/", {"text": "same"}), 429,
                   "duplicate")  # fmt: skip
    assert 0 < body["retry_after"] <= 30


def test_throttling_answers_with_retry_after(api, monkeypatch, room):
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    for _ in range(2):
        assert api.get("/api/rooms/").status_code == 200
    response = api.get("/api/rooms/")
    body = refused(response, 429, "throttled")
    assert body["retry_after"] > 0
    assert int(response["Retry-After"]) >= 1


def test_a_moderator_action_refused_is_forbidden(room, user):
    UserFactory(username="victim")
    api = APIClient()
    api.force_authenticate(user)
    refused(api.post(f"/api/rooms/{room.slug}/bans/", {"user": "victim"}), 403, "not_allowed")


@pytest.mark.parametrize(
    "query",
    [
        "before=%C2%B2",
        "after=%D9%A3",
        "limit=%C2%B9",
        "before=99999999999999999999999999",
        "after=-1",
        "before=1e3",
    ],
)
def test_a_malformed_number_in_a_query_is_invalid_not_a_server_error(api, room, query):
    """Unicode digits ("²", "٣") pass str.isdigit() but not int(); huge numbers pass int()
    but not PostgreSQL's bigint."""
    body = refused(api.get(f"/api/rooms/{room.slug}/messages/?{query}"), 400, "invalid_request")
    assert body["fields"]


def test_a_search_with_a_nul_character_is_answered(api, room):
    """PostgreSQL refuses NUL in text: the search reads it as the space it stands for."""
    response = api.get(f"/api/rooms/{room.slug}/messages/?q=gg%00wp")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_malformed_audit_cursor_is_invalid(api, room):
    from rooms.actions.rooms import membership_set

    mod = UserFactory()
    membership_set(room=room, user=mod, is_moderator=True)
    api.force_authenticate(mod)
    for value in ("%C2%B2", "99999999999999999999999"):
        refused(api.get(f"/api/rooms/{room.slug}/audit/?before={value}"), 400, "invalid_request")


def _anon_rate(monkeypatch, rate: str) -> None:
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": rate}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_a_forged_forwarded_for_does_not_slip_past_the_throttle(api, monkeypatch, room):
    _anon_rate(monkeypatch, "2/min")
    statuses = [api.get("/api/rooms/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
                for n in range(3)]  # fmt: skip
    assert statuses == [200, 200, 429]  # one client, whatever it says it forwards


def test_a_trusted_proxy_names_its_clients(api, monkeypatch, room, settings):
    from chatsite.clients import client_address

    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    _anon_rate(monkeypatch, "2/min")
    for client in ("203.0.113.5", "203.0.113.6"):
        for _ in range(2):  # each client its own budget behind the proxy
            assert api.get("/api/rooms/", HTTP_X_FORWARDED_FOR=client).status_code == 200
    assert api.get("/api/rooms/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # The proxy's own hops are skipped from the right; what the client wrote is not trusted.
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 127.0.0.2"}
    assert client_address(meta) == "203.0.113.7"
    assert client_address({"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}) == (
        "198.51.100.1"
    )
