"""Reads for moderation data."""

import time

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from moderation.models import BlockedTerm, RoomBan
from moderation.terms import Term, compile_terms

VERSION_KEY = "blocked-terms-version"
_compiled: dict[int, tuple[object, float, list[Term]]] = {}
_RECHECK = 1.0  # seconds between version checks


def blocked_terms_for(*, room_id: int) -> list[Term]:
    """The compiled terms that apply in a room: its own and the global ones.

    Kept per process and rebuilt when any process changes a term (a version
    number in Redis, read at most once a second per room).
    """
    now = time.monotonic()
    cached = _compiled.get(room_id)
    if cached is not None and cached[1] > now:
        return cached[2]
    version = cache.get(VERSION_KEY, 0)
    if cached is not None and cached[0] == version:
        _compiled[room_id] = (version, now + _RECHECK, cached[2])
        return cached[2]
    patterns = BlockedTerm.objects.filter(Q(room=None) | Q(room_id=room_id)).values_list(
        "pattern", flat=True
    )
    terms = compile_terms(patterns)
    _compiled[room_id] = (version, now + _RECHECK, terms)
    return terms


def blocked_terms_cache_clear() -> None:
    _compiled.clear()


def restriction_get(*, room_id: int, user_id: int) -> RoomBan | None:
    """The user's ban or running timeout in the room (an expired timeout is none)."""
    ban = RoomBan.objects.filter(room_id=room_id, user_id=user_id).first()
    if ban is not None and ban.expires_at is not None and ban.expires_at <= timezone.now():
        return None
    return ban
