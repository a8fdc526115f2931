"""Reads for rooms and messages, always scoped by the room asked about."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from rooms.models import Membership, Message, Room


def room_list() -> QuerySet[Room]:
    return Room.objects.select_related("style", "owner").order_by("title")


def room_get(*, slug: str) -> Room:
    """The room with ``slug``, or ``Http404``."""
    return get_object_or_404(room_list(), slug=slug)


def membership_get(*, room: Room, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(room=room, user=user).first()


def message_list_recent(*, room: Room, limit: int = 50) -> list[Message]:
    """The newest ``limit`` visible messages of ``room``, oldest first."""
    newest = (
        Message.objects.filter(room=room, state=Message.State.VISIBLE)
        .select_related("author")
        .order_by("-seq")[:limit]
    )
    return list(reversed(newest))
