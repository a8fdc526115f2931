"""Reads for rooms and messages, always scoped by the room asked about."""

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rooms import events
from rooms.badges import badges_for
from rooms.models import Membership, Message, Room
from rooms.permissions import is_moderator

HISTORY_SIZE = 10  # messages a new connection is shown
RESUME_MAX = 500  # messages a resuming connection is sent at most, else it starts over


def room_list() -> QuerySet[Room]:
    return Room.objects.select_related("style", "owner").order_by("title")


def room_get(*, slug: str) -> Room:
    """The room with ``slug``, or ``Http404``."""
    return get_object_or_404(room_list(), slug=slug)


def room_by_slug(*, slug: str) -> Room | None:
    return room_list().filter(slug=slug).first()


def room_by_id(*, room_id: int) -> Room | None:
    return room_list().filter(id=room_id).first()


def room_last_seq(*, room_id: int) -> int:
    """The newest sequence number the room has stored (0 for none, or no such room)."""
    return Room.objects.filter(id=room_id).values_list("last_seq", flat=True).first() or 0


def membership_get(*, room: Room, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(room=room, user=user).first()


def _shown(*, room: Room, viewer=None) -> QuerySet[Message]:
    """The messages ``viewer`` may see: visible ones since the last /clear, and their own
    messages that only they see (a shadow ban)."""
    shown = Q(state=Message.State.VISIBLE)
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(state=Message.State.SHADOWED, author=viewer)
    return Message.objects.filter(shown, room=room, seq__gt=room.cleared_seq).select_related(
        "author"
    )


def message_list_recent(
    *, room: Room, limit: int = 50, viewer=None, upto: int | None = None
) -> list[Message]:
    """The newest ``limit`` messages ``viewer`` may see in ``room`` (up to seq ``upto``),
    oldest first."""
    shown = _shown(room=room, viewer=viewer)
    if upto is not None:
        shown = shown.filter(seq__lte=upto)
    newest = shown.order_by("-seq")[:limit]
    return list(reversed(newest))


def message_changes_upto(*, room: Room, since: int, viewer=None, window: int = 100):
    """For a client resuming after ``since``: among the ``window`` messages up to it, the ids
    it must no longer show (deleted, held, cleared while it was away) and the messages shown
    again since (allowed from the held queue). Ids it never had are harmless to it."""
    removed, restored = [], []
    recent = Message.objects.filter(room=room, seq__gt=since - window, seq__lte=since)
    for message in recent.select_related("author").order_by("seq"):
        own = viewer is not None and viewer.is_authenticated and message.author_id == viewer.id
        shown = message.seq > room.cleared_seq and (
            message.state == Message.State.VISIBLE
            or (message.state == Message.State.SHADOWED and own)
        )
        if not shown:
            removed.append(str(message.id))
        elif message.state == Message.State.VISIBLE and (
            message.held_reason or room.pre_moderation
        ):
            restored.append(message)
    return removed, restored


def message_get_by_nonce(*, room: Room, author, nonce: str) -> Message | None:
    return (
        Message.objects.filter(room=room, author=author, nonce=nonce)
        .select_related("author")
        .first()
    )


def chatters_known(*, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (room id, user id) pairs have a message in that room (one indexed query)."""
    if not pairs:
        return set()
    has = Q()
    for room_id, user_id in pairs:
        has |= Q(room_id=room_id, author_id=user_id)
    found = Message.objects.filter(has).values_list("room_id", "author_id").distinct()
    return set(found)


def message_payloads(*, room: Room, messages: list[Message]) -> list[dict]:
    """Client payloads of ``messages`` with their authors' current badges (one query)."""
    author_ids = {m.author_id for m in messages if m.author_id is not None}
    memberships = {
        m.user_id: m for m in Membership.objects.filter(room=room, user_id__in=author_ids)
    }
    payloads = []
    for message in messages:
        author = None
        if message.author is not None:
            membership = memberships.get(message.author_id)
            badges = badges_for(user=message.author, membership=membership, owner_id=room.owner_id)
            author = events.author_payload(
                user=message.author, badges=badges, membership=membership
            )
        payloads.append(events.message_payload(message=message, author=author))
    return payloads


def _matches(query: str) -> Q:
    """Keyword search: PostgreSQL full-text search (indexed), else every word as a substring."""
    if connection.vendor == "postgresql":
        return Q(
            RawSQL(
                "to_tsvector('simple', original_text) @@ websearch_to_tsquery('simple', %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for word in query.split():
        condition &= Q(original_text__icontains=word)
    return condition


def message_page(
    *,
    room: Room,
    before: int | None = None,
    after: int | None = None,
    upto: int | None = None,
    limit: int = 50,
    query: str = "",
    viewer=None,
) -> tuple[list[Message], bool]:
    """One page of the messages ``viewer`` may see, oldest first, and whether more lie beyond it.

    ``after`` pages forward from a sequence number, ``before`` backward, neither
    gives the newest page; ``upto`` leaves out what came after that sequence number.
    ``query`` keeps only messages matching the keywords.
    """
    messages = _shown(room=room, viewer=viewer)
    if upto is not None:
        messages = messages.filter(seq__lte=upto)
    if query.strip():
        messages = messages.filter(_matches(query.strip()))
    if after is not None:
        page = list(messages.filter(seq__gt=after).order_by("seq")[: limit + 1])
        return page[:limit], len(page) > limit
    if before is not None:
        messages = messages.filter(seq__lt=before)
    page = list(messages.order_by("-seq")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def reply_parent(*, room: Room, message_id: str) -> dict[str, Any] | None:
    """A message shown in ``room`` as a reply keeps it (None if there is no such message)."""
    try:
        parent = (
            Message.objects.select_related("author")
            .filter(room=room, pk=message_id, state=Message.State.VISIBLE, seq__gt=room.cleared_seq)
            .first()
        )
    except ValidationError:  # not a UUID
        return None
    if parent is None:
        return None
    author = parent.author
    return {
        "id": str(parent.id),
        "user_id": author.id if author else None,
        "login": author.username if author else "",
        "display_name": author.chat_name if author else "",
        "text": parent.display_text,
    }


def author_payload_for(*, room: Room, user) -> dict[str, Any]:
    """How ``user`` appears as an author in ``room`` now: name, colour, badges."""
    membership = membership_get(room=room, user=user)
    badges = badges_for(user=user, membership=membership, owner_id=room.owner_id)
    return events.author_payload(user=user, badges=badges, membership=membership)


def chatter_card(*, room: Room, user) -> dict[str, Any]:
    """What anyone may see of a chatter in a room, as Twitch's user card shows it: name,
    colour, roles, how long the account and the subscription have been."""
    membership = membership_get(room=room, user=user)
    return {
        "login": user.username,
        "display_name": user.chat_name,
        "color": user.effective_color,
        "account_age_days": (timezone.now() - user.date_joined).days,
        "is_broadcaster": user.id == room.owner_id,
        "is_moderator": bool(membership and membership.is_moderator),
        "is_vip": bool(membership and membership.is_vip),
        "subscriber_months": membership.subscriber_months if membership else 0,
        "is_verified_bot": user.is_verified_bot,
    }


def room_role_names(*, room: Room, role: str, logins: bool = False) -> list[str]:
    """The display names (or ``logins``) of the room's moderators (``role="moderator"``) or
    VIPs, by name."""
    flag = {"moderator": "is_moderator", "vip": "is_vip"}[role]
    members = Membership.objects.filter(room=room, **{flag: True}).select_related("user")
    names = (m.user.username if logins else m.user.chat_name for m in members)
    return sorted(names, key=str.lower)


def user_moderates(*, room: Room, user) -> bool:
    """Whether ``user`` moderates ``room`` (one membership look-up, then the pure rule)."""
    return is_moderator(user=user, room=room, membership=membership_get(room=room, user=user))


def history_frame(room: Room, since: int | None, viewer, upto: int) -> dict[str, Any]:
    """The history frame for a connection that gets live frames after ``upto``: what it
    missed since seq ``since`` when it resumes, else the recent messages (a resync frame
    when the gap is too big)."""
    room = copy.copy(room)  # the feed's room is shared: read the /clear mark into a copy
    room.refresh_from_db(fields=["cleared_seq"])
    if since is not None and since > upto:
        since = -1  # a sequence this room never reached: start over
    if since is not None and since >= 0:
        missed, more = message_page(
            room=room, after=since, upto=upto, limit=RESUME_MAX, viewer=viewer
        )
        if not more:
            removed, restored = message_changes_upto(room=room, since=since, viewer=viewer)
            return events.history_frame(
                last_seq=upto,
                messages=message_payloads(room=room, messages=missed),
                removed=removed,
                restored=message_payloads(room=room, messages=restored),
            )
    recent = message_list_recent(room=room, limit=HISTORY_SIZE, viewer=viewer, upto=upto)
    return events.history_frame(
        last_seq=upto,
        messages=message_payloads(room=room, messages=recent),
        resync=since is not None,
    )


def message_envelopes(*, room_id: int, after: int, upto: int) -> list[dict[str, Any]]:
    """The envelopes of the stored messages after seq ``after`` up to ``upto``, as
    they were published: what a hub fills a hole in its room's feed with."""
    room = Room.objects.select_related("owner").get(pk=room_id)
    messages = list(
        Message.objects.filter(room_id=room_id, seq__gt=after, seq__lte=upto)
        .select_related("author")
        .order_by("seq")
    )
    payloads = message_payloads(room=room, messages=messages)
    return [
        events.message_envelope(message, payload)
        for message, payload in zip(messages, payloads, strict=True)
    ]
