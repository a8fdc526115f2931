"""Open sockets follow the account: a log out closes that session's, a deactivation all."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from tests.factories import RoomFactory, UserFactory
from tests.ws import ORIGIN, next_frame, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def open_with(cookie: str, slug: str = "doors"):
    from channels.testing import WebsocketCommunicator

    from chatsite.asgi import application

    headers = [(b"host", b"localhost"), (b"origin", ORIGIN.encode()), (b"cookie", cookie.encode())]
    socket = WebsocketCommunicator(application, f"/ws/rooms/{slug}/", headers=headers)
    assert (await socket.connect(timeout=10))[0]
    assert (await next_frame(socket, "history"))["type"] == "history"
    return socket


async def closed_with(socket) -> tuple[dict, int]:
    error = await next_frame(socket, "error")
    while True:  # frames queued before the close (presence) may come first
        output = await socket.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            return error, output["code"]


async def still_open(socket) -> bool:
    await socket.send_to(text_data=json.dumps({"type": "ping"}))
    return (await next_frame(socket, "pong"))["type"] == "pong"


def log_out(cookie: str) -> None:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
    assert client.post("/accounts/logout/").status_code in (200, 302)


async def test_logging_out_closes_that_sessions_sockets_only():
    await sync_to_async(RoomFactory)(slug="doors")
    user = await sync_to_async(UserFactory)()
    laptop = await sync_to_async(session_cookie)(user)
    phone = await sync_to_async(session_cookie)(user)
    on_laptop, on_phone = await open_with(laptop), await open_with(phone)

    await sync_to_async(log_out)(laptop)

    error, code = await closed_with(on_laptop)
    assert error["code"] == "not_logged_in"
    assert code == 4401
    assert await still_open(on_phone)
    await on_phone.disconnect()


async def test_deactivating_an_account_closes_every_socket_it_has():
    await sync_to_async(RoomFactory)(slug="doors")
    user = await sync_to_async(UserFactory)()
    bystander = await sync_to_async(UserFactory)()
    sockets = [await open_with(await sync_to_async(session_cookie)(user)) for _ in range(2)]
    other = await open_with(await sync_to_async(session_cookie)(bystander))

    user.is_active = False
    await sync_to_async(user.save)()

    for socket in sockets:
        assert (await closed_with(socket))[1] == 4401
    assert await still_open(other)
    await other.disconnect()
