from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rooms.models import MESSAGE_MAX_LENGTH
from rooms.selectors import message_list_recent, room_get, room_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"rooms": room_list()})


def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    room = room_get(slug=slug)
    return render(
        request,
        "rooms/room.html",
        {
            "room": room,
            "recent_messages": message_list_recent(room=room),
            "message_max_length": MESSAGE_MAX_LENGTH,
        },
    )
