"""/metrics of any web process tells the whole host: what another process did counts too."""

import json
import re
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def stored(url: str) -> float:
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    match = re.search(r"^twitchy_messages_stored_total (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_one_process_metrics_count_what_the_other_did(asgi_server):
    RoomFactory(slug="counted")
    token = Token.objects.create(user=UserFactory()).key
    first, second = asgi_server(), asgi_server()
    before = stored(first.url)
    for n in range(3):
        request = urllib.request.Request(  # noqa: S310 (http only)
            second.url + "/api/rooms/counted/messages/",
            data=json.dumps({"text": f"counted {n}"}).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 201
    assert stored(first.url) == before + 3
