"""The rules a chat message must pass, in the order a chatter meets them.

``standing_refusal`` needs only who is sending what where; ``remembered_refusal``
also needs what the rules remember of earlier sends (read from Redis for a whole
batch at once by ``rooms.actions.messages``). Each returns or raises the
``ChatRefused`` of the first rule broken.
"""

import re
import time
from typing import Any

from django.conf import settings
from django.utils import timezone

from chatsite.errors import ChatRefused, ErrorCode
from emotes.parsing import is_only_emotes
from rooms.gate import Standing, gate
from rooms.limits import last_sent_decode, last_sent_key, unique_key
from rooms.models import MESSAGE_MAX_LENGTH, Membership, Room
from rooms.permissions import is_moderator, may_chat_in_subscribers_only, rate_role

DUPLICATE_WINDOW_SECONDS = 30
UNIQUE_CHAT_MIN_LENGTH = 9
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ACTION = re.compile(r"^/me(?:\s+|$)", re.IGNORECASE)


def action_of(text: str) -> tuple[bool, str]:
    """``/me waves`` is an action, "waves"; anything else is itself."""
    stripped = text.lstrip()
    match = ACTION.match(stripped)
    return (True, stripped[match.end() :]) if match else (False, text)


def request_refusal(*, author, nonce: str) -> ChatRefused | None:
    """The rules that need nothing but the request."""
    if author is None or not author.is_authenticated:
        return ChatRefused(ErrorCode.NOT_LOGGED_IN)
    if nonce and not NONCE_RE.match(nonce):
        return ChatRefused(ErrorCode.INVALID_NONCE)
    return None


def restriction_refusal(standing: Standing) -> ChatRefused | None:
    """A ban, or a timeout still running (with the seconds left): what keeps the user from
    chatting in the room at all, whatever they write."""
    if standing.banned:
        return ChatRefused(ErrorCode.BANNED)
    if standing.timed_out_until is not None:
        left = (standing.timed_out_until - timezone.now()).total_seconds()
        if left > 0:
            return ChatRefused(ErrorCode.TIMED_OUT, retry_after=left)
    return None


def standing_refusal(
    *,
    room: Room,
    author,
    text: str,
    membership: Membership | None,
    standing: Standing,
    emotes: dict[str, str],
) -> ChatRefused | None:
    """Bans, timeouts, the text itself and the room's subscribers-only and emote-only
    modes (moderators are exempt from modes). ``emotes``: the codes the author may use."""
    restricted = restriction_refusal(standing)
    if restricted is not None:
        return restricted
    if not text:
        return ChatRefused(ErrorCode.EMPTY)
    if not is_moderator(user=author, room=room, membership=membership):
        if room.subscribers_only and not may_chat_in_subscribers_only(membership=membership):
            return ChatRefused(ErrorCode.SUBSCRIBERS_ONLY)
        if room.emote_only and not is_only_emotes(text, emotes):
            return ChatRefused(ErrorCode.EMOTE_ONLY)
    if len(text) > MESSAGE_MAX_LENGTH:
        return ChatRefused(
            ErrorCode.TOO_LONG,
            f"Messages are at most {MESSAGE_MAX_LENGTH} characters; yours has {len(text)}.",
        )
    return None


def remembered_refusal(
    *,
    room: Room,
    author,
    text: str,
    membership: Membership | None,
    remembered: dict[str, Any],
    waited: float,
    terms_version: int,
) -> ChatRefused | None:
    """Slow mode and unique chat (not for moderators), the rate limit (``waited``: how
    long the sender should have waited), the duplicate rule and the blocked terms."""
    last = last_sent_decode(remembered[last_sent_key(room.id, author.id)])
    if not is_moderator(user=author, room=room, membership=membership):
        vip = membership is not None and membership.is_vip
        if room.slow_mode_seconds and not vip and last is not None:
            wait = room.slow_mode_seconds - (time.time() - last[0])
            if wait > 0:
                return ChatRefused(
                    ErrorCode.SLOW_MODE,
                    f"This room is in slow mode: one message every {room.slow_mode_seconds} s.",
                    retry_after=wait,
                )
        if (
            room.unique_chat
            and len(text) > UNIQUE_CHAT_MIN_LENGTH
            and remembered[unique_key(room.id, text)] is not None
        ):
            return ChatRefused(ErrorCode.UNIQUE_CHAT)
    if waited > 0:
        limit, window = settings.CHAT_RATE_LIMITS[
            rate_role(user=author, room=room, membership=membership)
        ]
        return ChatRefused(
            ErrorCode.RATE_LIMITED,
            f"You are sending messages too quickly: at most {limit} every {window} seconds.",
            retry_after=waited,
        )
    if last is not None and last[1] == text:
        retry_after = DUPLICATE_WINDOW_SECONDS - (time.time() - last[0])
        if retry_after > 0:
            return ChatRefused(
                ErrorCode.DUPLICATE,
                f"Your message is identical to the one you sent less than "
                f"{DUPLICATE_WINDOW_SECONDS} seconds ago.",
                retry_after=retry_after,
            )
    if gate().blocked(text=text, room_id=room.id, version=terms_version):
        return ChatRefused(ErrorCode.BLOCKED_TERM)
    return None


def remembered_ttl(room: Room) -> int:
    """How long what the rules remember of a send must be kept."""
    return max(DUPLICATE_WINDOW_SECONDS, room.slow_mode_seconds)
