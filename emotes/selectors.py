"""Reads for emotes and badges."""

import time

from django.db.models import Q, QuerySet

from emotes.models import Badge, Emote


def emote_list_for_room(*, room_id: int) -> QuerySet[Emote]:
    """Every emote usable in room ``room_id``: the global ones and the room's own."""
    return Emote.objects.filter(Q(room=None) | Q(room_id=room_id)).order_by("room_id", "code")


def badge_list() -> QuerySet[Badge]:
    return Badge.objects.all()


_CODES_TTL = 30.0
# room id -> (until when, [(code, emote id, tier needed)], every code of the room)
_codes_cache: dict[int, tuple[float, list[tuple[str, str, int]], frozenset[str]]] = {}


def _room_codes(room_id: int) -> tuple[float, list[tuple[str, str, int]], frozenset[str]]:
    """The room's emote codes, kept per process for a few seconds: the send path asks on
    every message and emotes change rarely (an admin edit shows within ``_CODES_TTL``)."""
    now = time.monotonic()
    cached = _codes_cache.get(room_id)
    if cached is None or cached[0] < now:
        rows = emote_list_for_room(room_id=room_id).values_list("code", "id", "tier_required")
        listed = [(code, str(pk), needed) for code, pk, needed in rows]
        cached = (now + _CODES_TTL, listed, frozenset(code for code, _, _ in listed))
        _codes_cache[room_id] = cached
    return cached


def emote_codes_known(*, room_id: int) -> frozenset[str]:
    """Every emote code of the room, whatever tier it needs: words a style never restyles
    (a code the sender may not use is still what they typed)."""
    return _room_codes(room_id)[2]


def emote_codes_for(*, room_id: int, tier: int) -> dict[str, str]:
    """Code -> emote id of every emote a chatter of subscriber ``tier`` may use in the room."""
    # Room emotes come after global ones, so a room's own code wins a clash.
    return {code: pk for code, pk, needed in _room_codes(room_id)[1] if needed <= tier}


def emote_cache_clear() -> None:
    _codes_cache.clear()


def emote_catalog(*, room_id: int) -> dict[str, dict]:
    """Emote id -> code and image URLs, for the room page to draw emotes with."""
    return {
        str(emote.pk): {
            "code": emote.code,
            "1x": emote.image_1x.url if emote.image_1x else emote.image.url,
            "2x": emote.image_2x.url if emote.image_2x else emote.image.url,
        }
        for emote in emote_list_for_room(room_id=room_id)
    }


def badge_catalog() -> dict[str, dict]:
    """ "set/version" -> title and image URLs, for the room page to draw badges with."""
    return {
        f"{badge.set_name}/{badge.version}": {
            "title": badge.title,
            "1x": badge.image_1x.url if badge.image_1x else badge.image.url,
            "2x": badge.image_2x.url if badge.image_2x else badge.image.url,
        }
        for badge in badge_list()
    }
