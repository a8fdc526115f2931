"""Reads for moderation data."""

import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from chatsite.redis import redis_client
from moderation.models import AuditEntry, BlockedTerm, RoomBan, ShadowBan
from moderation.terms import Term, compile_terms
from rooms import events
from rooms.gate import Sender, Standing
from rooms.models import Membership, Message, Room
from rooms.selectors import message_payloads
from rooms.skibidi.tasks import skibidi_stats

_compiled: dict[int, tuple[int, float, list[Term]]] = {}
_RECHECK = 1.0  # seconds between version checks when the caller does not bring the version


def blocked_terms_version_key() -> str:
    """A counter in Redis that every change of any blocked term increments."""
    return f"{settings.CACHE_KEY_PREFIX}:blocked-terms-version"


def blocked_terms_for(*, room_id: int, version: int | None = None) -> list[Term]:
    """The compiled terms that apply in a room: its own and the global ones.

    Kept per process and rebuilt when any process changes a term. The send path
    brings the current ``version`` (read in the round trip it makes anyway), so a
    change applies to the very next message; other callers read it at most once a
    second per room.
    """
    now = time.monotonic()
    cached = _compiled.get(room_id)
    if version is None:
        if cached is not None and cached[1] > now:
            return cached[2]
        version = int(redis_client().get(blocked_terms_version_key()) or 0)
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


def sender_get(*, room: Room, user) -> tuple[Membership | None, Standing]:
    """A sender's membership of the room and their standing in it (ban, running timeout,
    shadow ban): one query."""
    return senders_get(pairs=[(room, user)])[room.id, user.id]


def senders_get(*, pairs: list[tuple[Room, Any]]) -> dict[tuple[int, int], Sender]:
    """``sender_get`` for several (room, user) pairs at once, keyed by their ids: one
    query, one row per pair, for a whole batch of sends."""
    wanted = {(room.id, user.id): (room, user) for room, user in pairs}
    now = timezone.now()
    return {key: _sender(*wanted[key], row, now) for key, row in _sender_rows(list(wanted)).items()}


def standing_version_key(room_id: int) -> str:
    """A counter in Redis that every change of a room's roles, bans, timeouts or shadow
    bans increments once it is committed (``moderation.signals``)."""
    return f"{settings.CACHE_KEY_PREFIX}:standing-version:{room_id}"


# What this process last read of each sender, under which version of the room's counter
# and when: (room id, user id) -> (version or None, monotonic time, row). None: read
# before the version was known, so the next use reads it again. A copy is read again
# after STANDING_KEPT_FOR seconds whatever the version says, which bounds what a lost
# increment (Redis unreachable, or restarted empty, just then) can leave stale.
_standings: "OrderedDict[tuple[int, int], tuple[int | None, float, tuple]]" = OrderedDict()
STANDINGS_KEPT = 100_000
STANDING_KEPT_FOR = 30.0


def senders_known(*, pairs: list[tuple[Room, Any]]) -> tuple[dict, dict]:
    """The senders' standing as this process last read it, and the room version each was
    read under (the send path checks those against Redis in its one round trip, then
    calls ``senders_confirm``). Senders it never read are read now: one query."""
    now, fresh_after = timezone.now(), time.monotonic() - STANDING_KEPT_FOR
    found, versions, unknown = {}, {}, []
    for room, user in pairs:
        key = (room.id, user.id)
        cached = _standings.get(key)
        if cached is None or cached[1] < fresh_after:
            unknown.append(key)
        else:
            versions[key] = cached[0]
            found[key] = _sender(room, user, cached[2], now)
    if unknown:
        users = {(room.id, user.id): (room, user) for room, user in pairs}
        for key, row in _sender_rows(unknown).items():
            _keep(key, None, row)
            versions[key] = None
            found[key] = _sender(*users[key], row, now)
    return found, versions


def senders_confirm(
    *, pairs: list[tuple[Room, Any]], read_under: dict, versions: dict[int, int]
) -> dict[tuple[int, int], Sender]:
    """Read again (one query) the senders whose room's version is not the one they were
    read under: a role, ban, timeout or shadow ban changed since. Returns those."""
    users = {(room.id, user.id): (room, user) for room, user in pairs}
    stale = [key for key in users if read_under.get(key) != versions[key[0]]]
    if not stale:
        return {}
    now = timezone.now()
    fresh = {}
    for key, row in _sender_rows(stale).items():
        _keep(key, versions[key[0]], row)
        fresh[key] = _sender(*users[key], row, now)
    return fresh


def senders_forget() -> None:
    _standings.clear()


def _keep(key: tuple[int, int], version: int | None, row: tuple) -> None:
    _standings[key] = (version, time.monotonic(), row)
    _standings.move_to_end(key)
    while len(_standings) > STANDINGS_KEPT:
        _standings.popitem(last=False)


def _sender_rows(keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    """One query: for each (room id, user id), its membership and standing columns."""
    asked = " UNION ALL ".join(["SELECT %s AS room_id, %s AS user_id"] * len(keys))
    sql = (
        "SELECT p.room_id, p.user_id, m.id, m.is_moderator, m.is_vip, m.subscriber_tier,"  # noqa: S608
        f" m.subscriber_months, b.id, b.expires_at, s.id FROM ({asked}) AS p"
        f" LEFT JOIN {Membership._meta.db_table} m"
        " ON m.room_id = p.room_id AND m.user_id = p.user_id"
        f" LEFT JOIN {RoomBan._meta.db_table} b ON b.room_id = p.room_id AND b.user_id = p.user_id"
        f" LEFT JOIN {ShadowBan._meta.db_table} s"
        " ON s.room_id = p.room_id AND s.user_id = p.user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [number for key in keys for number in key])
        rows = cursor.fetchall()
    found = {}
    for room_id, user_id, *row in rows:
        until = row[6]
        if isinstance(until, str):  # SQLite returns text, in UTC
            until = parse_datetime(until)
        if until is not None and timezone.is_naive(until):
            until = timezone.make_aware(until, UTC)
        row[6] = until
        found[room_id, user_id] = tuple(row)
    return found


def _sender(room: Room, user, row: tuple, now: datetime) -> Sender:
    """A sender from its row, as of ``now`` (a timeout that ended since is none)."""
    m_id, moderator, vip, tier, months, ban_id, until, shadow_id = row
    membership = None
    if m_id is not None:
        membership = Membership(
            id=m_id, room=room, user=user, is_moderator=moderator, is_vip=vip,
            subscriber_tier=tier, subscriber_months=months,
        )  # fmt: skip
    return (
        membership,
        Standing(
            banned=ban_id is not None and until is None,
            timed_out_until=until if ban_id is not None and until and until > now else None,
            shadow_banned=shadow_id is not None,
        ),
    )


def _iso(moment) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


RECENT_WINDOW = 600  # seconds of a sender's earlier messages AutoMod reads for repeated spam
RECENT_COUNT = 5


def recent_texts(*, messages: list[Message]) -> list[list[str]]:
    """For each message, what its author wrote in its room in the minutes before it (up to
    ``RECENT_COUNT`` lines, oldest first): one query for the batch."""
    wanted = {(m.room_id, m.author_id) for m in messages if m.author_id is not None}
    if not wanted:
        return [[] for _ in messages]
    since = min(m.created_at for m in messages) - timedelta(seconds=RECENT_WINDOW)
    pairs = Q()
    for room_id, author_id in wanted:
        pairs |= Q(room_id=room_id, author_id=author_id)
    rows = (
        Message.objects.filter(pairs, created_at__gte=since)
        .order_by("room_id", "author_id", "seq")
        .values_list("room_id", "author_id", "seq", "original_text", "created_at")
    )
    by_sender: dict[tuple[int, int], list[tuple]] = {}
    for room_id, author_id, seq, text, created_at in rows:
        by_sender.setdefault((room_id, author_id), []).append((seq, text, created_at))
    recent = []
    for message in messages:
        earliest = message.created_at - timedelta(seconds=RECENT_WINDOW)
        before = [text for seq, text, created_at in by_sender.get(
            (message.room_id, message.author_id), []) if seq < message.seq
            and created_at >= earliest]  # fmt: skip
        recent.append(before[-RECENT_COUNT:])
    return recent


def held_payloads(*, room: Room, messages: list[Message]) -> list[dict]:
    """Held-queue items (``events.held_item``) of ``messages``."""
    payloads = message_payloads(room=room, messages=messages)
    return [events.held_item(m, p) for m, p in zip(messages, payloads, strict=True)]


def held_queue(*, room: Room, limit: int = 100) -> list[Message]:
    """Messages waiting for a moderator (held) or for AutoMod (pending), oldest first."""
    waiting = Message.objects.filter(
        room=room, state__in=[Message.State.HELD, Message.State.PENDING]
    ).select_related("author")
    return list(waiting.order_by("seq")[:limit])


def audit_payload(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "action": entry.action,
        "actor": entry.actor.username if entry.actor else None,
        "target": entry.target.username if entry.target else None,
        "reason": entry.reason,
        "duration_seconds": entry.duration_seconds,
        "source": entry.source,
        "message_id": str(entry.message_id) if entry.message_id else None,
        "created_at": _iso(entry.created_at),
    }


def audit_list(
    *,
    room: Room,
    action: str = "",
    actor: str = "",
    target: str = "",
    source: str = "",
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """A room's audit log, newest first, narrowed by any of the filters (logins are exact)."""
    entries = AuditEntry.objects.filter(room=room).select_related("actor", "target")
    if action:
        entries = entries.filter(action=action)
    if actor == "automod":
        entries = entries.filter(actor=None)
    elif actor:
        entries = entries.filter(actor__username=actor.lower())
    if target:
        entries = entries.filter(target__username=target.lower().lstrip("@"))
    if source:
        entries = entries.filter(source=source)
    if before_id is not None:
        entries = entries.filter(id__lt=before_id)
    return list(entries.order_by("-id")[:limit])


def user_card(*, room: Room, user) -> dict:
    """What a moderator needs to judge a chatter: roles, standing, history with the room."""
    membership, standing = sender_get(room=room, user=user)
    recent = list(Message.objects.filter(room=room, author=user).order_by("-seq")[:20])
    actions = audit_list(room=room, target=user.username, limit=20)
    return {
        "id": user.id,
        "login": user.username,
        "display_name": user.chat_name,
        "color": user.effective_color,
        "joined_at": _iso(user.date_joined),
        "account_age_days": (timezone.now() - user.date_joined).days,
        "is_broadcaster": user.id == room.owner_id,
        "is_moderator": bool(membership and membership.is_moderator),
        "is_vip": bool(membership and membership.is_vip),
        "subscriber_tier": membership.subscriber_tier if membership else 0,
        "subscriber_months": membership.subscriber_months if membership else 0,
        "banned": standing.banned,
        "timed_out_until": _iso(standing.timed_out_until) if standing.timed_out_until else None,
        "shadow_banned": standing.shadow_banned,
        "recent_messages": [
            {
                "id": str(m.id),
                "seq": m.seq,
                "text": m.display_text,
                "original": m.original_text,
                "state": m.state,
                "sent_at": _iso(m.created_at),
            }
            for m in recent
        ],
        "actions": [audit_payload(entry) for entry in actions],
    }


def blocked_terms_list(*, room: Room) -> list[dict]:
    """The room's own blocked terms, and the global ones (which only staff change)."""
    terms = BlockedTerm.objects.filter(Q(room=None) | Q(room=room)).order_by("pattern")
    return [{"id": t.id, "pattern": t.pattern, "global": t.room_id is None} for t in terms]


def dashboard_snapshot(*, room: Room, history: int = 100, upto: int | None = None) -> dict:
    """Everything the mod dashboard shows when it (re)connects, as one frame: messages up
    to seq ``upto`` (the live feed brings the ones after it)."""
    room = Room.objects.select_related("owner").get(pk=room.pk)
    upto = room.last_seq if upto is None else upto
    recent = list(
        Message.objects.filter(room=room, seq__gt=room.cleared_seq, seq__lte=upto)
        .exclude(state__in=[Message.State.PENDING, Message.State.HELD])
        .select_related("author")
        .order_by("-seq")[:history]
    )[::-1]
    payloads = message_payloads(room=room, messages=recent)
    return events.dashboard_frame(
        room,
        last_seq=upto,
        messages=[events.moderated_payload(m, p) for m, p in zip(recent, payloads, strict=True)],
        held=held_payloads(room=room, messages=held_queue(room=room)),
        audit=[audit_payload(entry) for entry in audit_list(room=room, limit=100)],
        blocked_terms=blocked_terms_list(room=room),
        rewrites=skibidi_stats(room_id=room.id),
    )


def messages_awaiting_automod(*, older_than: float, limit: int = 1000) -> list[str]:
    """Messages AutoMod still owes a verdict ``older_than`` seconds after they were sent
    (their place in its Redis list was lost: a Redis restart, a worker killed mid-batch),
    the oldest first. PostgreSQL is the record of what waits (``automod_scores`` is null
    only then, an indexed few); Redis only speeds it up."""
    before = timezone.now() - timedelta(seconds=older_than)
    waiting = Message.objects.filter(
        automod_scores__isnull=True,
        state__in=[Message.State.VISIBLE, Message.State.PENDING],
        created_at__lt=before,
    )
    return [str(pk) for pk in waiting.order_by("created_at").values_list("pk", flat=True)[:limit]]
