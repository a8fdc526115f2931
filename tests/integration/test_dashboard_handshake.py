"""The dashboard's feed behind the real web server: anyone but a moderator gets HTTP 403."""

import pytest
import websockets
from asgiref.sync import sync_to_async
from websockets.exceptions import InvalidStatus

from tests.factories import RoomFactory, UserFactory
from tests.ws import session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_the_feed_answers_403_to_non_moderators(asgi_server):
    room = await sync_to_async(RoomFactory)(slug="backstage")
    server = await sync_to_async(asgi_server)()
    url = server.url.replace("http://", "ws://") + f"/ws/mod/{room.slug}/"
    nosy = await sync_to_async(UserFactory)(username="nosy")
    for cookie in (None, await sync_to_async(session_cookie)(nosy)):
        headers = {"Origin": server.url, **({"Cookie": cookie} if cookie else {})}
        with pytest.raises(InvalidStatus) as refused:
            await websockets.connect(url, additional_headers=headers)
        assert refused.value.response.status_code == 403
    owner_cookie = await sync_to_async(session_cookie)(room.owner)
    feed = await websockets.connect(
        url, additional_headers={"Origin": server.url, "Cookie": owner_cookie}
    )
    assert '"type":"dashboard"' in await feed.recv()
    await feed.close()
