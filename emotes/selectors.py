"""Reads for emotes and badges."""

from django.db.models import Q, QuerySet

from emotes.models import Badge, Emote
from rooms.models import Room


def emote_list_for_room(*, room: Room) -> QuerySet[Emote]:
    """Every emote usable in ``room``: the global ones and the room's own."""
    return Emote.objects.filter(Q(room=None) | Q(room=room)).order_by("room_id", "code")


def badge_list() -> QuerySet[Badge]:
    return Badge.objects.all()
