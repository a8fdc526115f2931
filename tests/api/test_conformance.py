"""The REST API against its own OpenAPI schema, with schemathesis, on a real server:
no server error, every status code, content type and body documented, valid input
accepted and invalid input refused (exceptions in schemathesis.toml, with their reasons)."""

import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).resolve().parent
UNLIMITED = "1000000/min"


def test_the_api_conforms_to_its_schema(asgi_server):
    for slug in ("first_room", "second_room"):
        RoomFactory(slug=slug)
    staff = UserFactory(username="conformer", is_staff=True)
    token = Token.objects.create(user=staff).key
    server = asgi_server(API_ANON_RATE=UNLIMITED, API_USER_RATE=UNLIMITED,
                         LOGIN_RATE=UNLIMITED, REGISTER_RATE=UNLIMITED,
                         RATE_LIMIT_MODERATOR="1000000/30")  # fmt: skip
    result = subprocess.run(
        [Path(sys.executable).parent / "st", "--config-file", HERE / "schemathesis.toml",
         "run", f"{server.url}/api/schema/", "--url", server.url,
         "--max-examples", "25", "--seed", "14",
         "--header", f"Authorization: Token {token}",
         # These two would end the run's own credentials.
         "--exclude-name", "DELETE /api/auth/token/",
         "--exclude-name", "POST /api/auth/token/rotate/",
         "--no-color"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
