"""Helpers for talking to the real ASGI application over WebSocket in tests."""

import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from chatsite.asgi import application

ORIGIN = "http://localhost"


def session_cookie(user) -> str:
    """A logged-in session for ``user``, as the browser's cookie header would carry it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def open_room(slug: str, *, user=None, since: int | str | None = None, origin: str = ORIGIN):
    headers = [(b"host", b"localhost"), (b"origin", origin.encode())]
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    path = f"/ws/rooms/{slug}/" + (f"?since={since}" if since is not None else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    return communicator, connected


def unbatch(frame: dict) -> list[dict]:
    """The frames a WebSocket message carries: itself, or a ``batch``'s frames in order."""
    return frame["frames"] if frame["type"] == "batch" else [frame]


async def next_frame(communicator, kind: str | None = None, *, timeout: float = 10) -> dict:
    """The next frame (of type ``kind``, skipping others such as presence updates); the
    frames of a ``batch`` count one by one."""
    queue = communicator.__dict__.setdefault("unread", [])
    while True:
        if not queue:
            queue.extend(unbatch(json.loads(await communicator.receive_from(timeout=timeout))))
        frame = queue.pop(0)
        if kind is None or frame["type"] == kind:
            return frame


async def answer(communicator, nonce: str, *, timeout: float = 10) -> dict:
    """The ack, error or notice that answers the send ``nonce``. The frames before it stay
    unread for the next ``next_frame``: a message's own frames may come before its ack."""
    queue = communicator.__dict__.setdefault("unread", [])
    skipped = []
    try:
        while True:
            frame = await next_frame(communicator, timeout=timeout)
            if frame["type"] in {"ack", "error", "notice"} and frame.get("nonce") == nonce:
                return frame
            skipped.append(frame)
    finally:
        queue[:0] = skipped


async def joined(communicator) -> dict:
    """Read the frames every connection starts with; return them by type."""
    frames = {}
    for _ in range(3):
        frame = await next_frame(communicator)
        frames[frame["type"]] = frame
    assert set(frames) >= {"room_state", "presence"}, frames
    return frames
