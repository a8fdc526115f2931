from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chatsite.errors import ErrorCode
from emotes.selectors import badge_catalog, emote_catalog
from rooms import presence
from rooms.gate import gate
from rooms.models import MESSAGE_MAX_LENGTH
from rooms.rules import restriction_refusal
from rooms.selectors import (
    message_list_recent,
    message_payloads,
    room_get,
    room_list,
    room_role_names,
    user_moderates,
)

PAGE_HISTORY = 50


def home(request: HttpRequest) -> HttpResponse:
    rooms = list(room_list())
    counts = presence.viewer_counts([room.id for room in rooms])
    for room in rooms:
        room.viewer_count = counts.get(room.id, 0)
    return render(request, "home.html", {"rooms": rooms})


def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    room = room_get(slug=slug)
    recent = message_list_recent(room=room, limit=PAGE_HISTORY, viewer=request.user)
    user = request.user
    moderates = user_moderates(room=room, user=user)
    restriction = None
    if user.is_authenticated:
        _membership, standing = gate().senders_get(pairs=[(room, user)])[room.id, user.id]
        refused = restriction_refusal(standing)  # the send path's own rule
        if refused is not None:
            restriction = {"code": str(refused.code), "message": refused.message}
            if refused.code == ErrorCode.TIMED_OUT:
                restriction["until"] = standing.timed_out_until.isoformat()
    return render(
        request,
        "rooms/room.html",
        {
            "room": room,
            "message_max_length": MESSAGE_MAX_LENGTH,
            "chat_config": {
                "room": room.slug,
                "socket": f"/ws/rooms/{room.slug}/",
                "me": user.username if user.is_authenticated else None,
                "maxLength": MESSAGE_MAX_LENGTH,
                "messages": message_payloads(room=room, messages=recent),
                # What was really written, before the room's style: authors see their
                # own on hover, moderators everyone's.
                "originals": {
                    str(m.id): m.original_text
                    for m in recent
                    if moderates or (user.is_authenticated and m.author_id == user.id)
                },
                "moderator": moderates,
                # Banned or timed out here: the box says so, and until when.
                "restriction": restriction,
                # Who holds which role, for the chatter list's groups.
                "roles": {
                    "broadcaster": [room.owner.username] if room.owner_id else [],
                    "moderators": room_role_names(room=room, role="moderator", logins=True),
                    "vips": room_role_names(room=room, role="vip", logins=True),
                },
                "emotes": emote_catalog(room_id=room.id),
                "badges": badge_catalog(),
            },
        },
    )
