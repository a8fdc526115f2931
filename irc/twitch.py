"""Twitch's IRC dialect: our frames (``docs/protocol.md``) as the lines Twitch sends, and
our error codes as Twitch's ``msg-id`` notices (pure: no Django).

Every line comes from ``tmi.twitch.tv`` or from ``<login>!<login>@<login>.tmi.twitch.tv``,
as Twitch's do, so that client libraries parse them as they parse Twitch's.
"""

from datetime import datetime
from typing import Any

from irc.lines import Line

SERVER = "tmi.twitch.tv"

# Our refusal codes as Twitch's NOTICE msg-ids (the ones its clients know and show).
MSG_IDS = {
    "rate_limited": "msg_ratelimit",
    "duplicate": "msg_duplicate",
    "slow_mode": "msg_slowmode",
    "timed_out": "msg_timedout",
    "banned": "msg_banned",
    "emote_only": "msg_emoteonly",
    "subscribers_only": "msg_subsonly",
    "unique_chat": "msg_r9k",
    "blocked_term": "msg_rejected",
    "hold": "msg_rejected",  # AutoMod held the message for review
    "block": "msg_rejected",  # AutoMod blocked it
    "not_allowed": "no_permission",
    "unknown_command": "unrecognized_cmd",
    "invalid_duration": "bad_timeout_duration",
    "user_not_found": "invalid_user",
    "too_long": "msg_rejected",
    "empty": "msg_rejected",
    "unavailable": "msg_rejected",
    "not_logged_in": "msg_requires_verified_phone_number",
}


# What we tell one user (``notice`` frames' codes) as Twitch's msg-ids.
NOTICE_IDS = {
    "hold": "msg_rejected",
    "block": "msg_rejected_mandatory",
    "timeout": "msg_timedout",
    "ban": "msg_banned",
    "allow": "automod_message_approved",
    "deny": "automod_message_denied",
    "mod": "mod_success",
    "unmod": "unmod_success",
    "vip": "vip_success",
    "unvip": "unvip_success",
}


# A chat command's confirmation as the msg-id Twitch sent for it (client libraries resolve
# their moderation calls on these: tmi.js's ``client.timeout()`` waits for timeout_success).
COMMAND_IDS = {
    "delete": "delete_message_success",
    "slow": "slow_on",
    "slowoff": "slow_off",
    "emoteonly": "emote_only_on",
    "emoteonlyoff": "emote_only_off",
    "subscribers": "subs_on",
    "subscribersoff": "subs_off",
    "uniquechat": "r9k_on",
    "uniquechatoff": "r9k_off",
    "r9kbeta": "r9k_on",
    "r9kbetaoff": "r9k_off",
}


def command_id(name: str) -> str:
    """The msg-id of a successful ``/name`` command."""
    return COMMAND_IDS.get(name, f"{name}_success")


def notice_id(code: str) -> str:
    return NOTICE_IDS.get(code, "notice")


def channel(slug: str) -> str:
    return "#" + slug


def user_prefix(login: str) -> str:
    return f"{login}!{login}@{login}.{SERVER}"


def msg_id(code: str) -> str:
    return MSG_IDS.get(code, "msg_rejected")


def _ms(iso: str) -> str:
    """An ISO 8601 UTC time as Twitch's ``tmi-sent-ts`` (milliseconds since the epoch)."""
    return str(round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000))


def emotes_tag(emotes: list[list]) -> str:
    """``[[id, first, last], ...]`` as ``id:first-last,first-last/id2:first-last``."""
    by_id: dict[str, list[str]] = {}
    for emote_id, first, last in emotes:
        by_id.setdefault(str(emote_id), []).append(f"{first}-{last}")
    return "/".join(f"{emote_id}:{','.join(spans)}" for emote_id, spans in by_id.items())


def author_tags(author: dict[str, Any] | None) -> dict[str, str]:
    """The tags that describe a chatter, from a message's ``author`` (badges, roles)."""
    if author is None:
        return {"badge-info": "", "badges": "", "color": "", "display-name": "", "mod": "0",
                "subscriber": "0", "turbo": "0", "user-id": "", "user-type": ""}  # fmt: skip
    badges = dict(author["badges"])
    tags = {
        "badge-info": (
            f"subscriber/{author['subscriber_months']}" if "subscriber_months" in author else ""
        ),
        "badges": ",".join(f"{name}/{version}" for name, version in author["badges"]),
        "color": author["color"] or "",
        "display-name": author["display_name"],
        "mod": "1" if "moderator" in badges else "0",
        "subscriber": "1" if "subscriber" in badges else "0",
        "turbo": "1" if "turbo" in badges else "0",
        "user-id": str(author["id"]),
        "user-type": "mod" if "moderator" in badges else "",
    }
    if "vip" in badges:
        tags["vip"] = "1"
    return tags


def privmsg(message: dict[str, Any], *, slug: str, room_id: int) -> Line:
    """A message as Twitch sends it, its displayed (skibidified) text."""
    author = message["author"]
    login = author["login"] if author else "deleted_user"
    tags = {
        **author_tags(author),
        "emotes": emotes_tag(message["emotes"]),
        "first-msg": "1" if message.get("first") else "0",
        "id": message["id"],
        "room-id": str(room_id),
        "tmi-sent-ts": _ms(message["sent_at"]),
    }
    reply = message.get("reply")
    if reply:  # Twitch's reply tags: the message it answers
        tags.update({
            "reply-parent-display-name": reply["display_name"],
            "reply-parent-msg-body": reply["text"],
            "reply-parent-msg-id": reply["id"],
            "reply-parent-user-id": str(reply["user_id"] or ""),
            "reply-parent-user-login": reply["login"],
        })  # fmt: skip
    text = message["text"]
    if message.get("action"):  # /me: CTCP ACTION, as Twitch sends it
        text = f"\x01ACTION {text}\x01"
    return Line("PRIVMSG", (channel(slug), text), tags, user_prefix(login))


def clearmsg(*, slug: str, room_id: int, login: str, message_id: str, text: str = "") -> Line:
    tags = {"login": login, "room-id": str(room_id), "target-msg-id": message_id}
    return Line("CLEARMSG", (channel(slug), text), tags, SERVER)


def clearchat(*, slug: str, room_id: int, login: str | None = None, user_id: int | None = None,
              duration: int | None = None) -> Line:  # fmt: skip
    """A timeout (with ``duration``), a ban (without), or the whole chat (no ``login``)."""
    tags = {"room-id": str(room_id)}
    if login is None:
        return Line("CLEARCHAT", (channel(slug),), tags, SERVER)
    if duration:
        tags["ban-duration"] = str(duration)
    tags["target-user-id"] = str(user_id)
    return Line("CLEARCHAT", (channel(slug), login), tags, SERVER)


ROOMSTATE_TAGS = {  # our room_state fields -> Twitch's ROOMSTATE tags
    "emote_only": "emote-only",
    "unique_chat": "r9k",
    "slow_mode_seconds": "slow",
    "subscribers_only": "subs-only",
}


def roomstate(state: dict[str, Any], *, room_id: int, only: set[str] | None = None) -> Line:
    """The room's modes; ``only``: just the modes that changed (a partial ROOMSTATE)."""
    tags = {}
    if only is None:
        tags["followers-only"] = "-1"  # this server has no followers-only mode
    for field, tag in ROOMSTATE_TAGS.items():
        if only is None or field in only:
            value = state[field]
            tags[tag] = str(int(value)) if isinstance(value, bool) else str(value)
    tags["room-id"] = str(room_id)
    return Line("ROOMSTATE", (channel(state["room"]),), tags, SERVER)


def notice(text: str, *, code: str, slug: str | None = None) -> Line:
    """A notice (a refusal, a command's answer) with Twitch's ``msg-id``."""
    target = channel(slug) if slug else "*"
    return Line("NOTICE", (target, text), {"msg-id": code}, SERVER)


def userstate(author: dict[str, Any], *, slug: str, message_id: str | None = None) -> Line:
    """What the sender is in the room (after joining, and after each message sent)."""
    tags = {key: value for key, value in author_tags(author).items() if key != "user-id"}
    tags["emote-sets"] = "0"
    if message_id:
        tags["id"] = message_id
    return Line("USERSTATE", (channel(slug),), tags, SERVER)


def globaluserstate(author: dict[str, Any]) -> Line:
    tags = {key: value for key, value in author_tags(author).items()
            if key not in ("mod", "subscriber")}  # fmt: skip
    tags["emote-sets"] = "0"
    return Line("GLOBALUSERSTATE", (), tags, SERVER)


def welcome(nick: str) -> list[Line]:
    """The lines a client waits for after logging in (``376`` ends them)."""
    texts = [("001", "Welcome, GLHF!"), ("002", f"Your host is {SERVER}"),
             ("003", "This server is rather new"), ("004", "-"), ("375", "-"),
             ("372", "You are in a maze of twisty passages, all alike."), ("376", ">")]  # fmt: skip
    return [Line(number, (nick, text), {}, SERVER) for number, text in texts]


def names(nick: str, slug: str, logins: list[str]) -> list[Line]:
    """The NAMES reply on joining (``353`` with the chatters, ``366`` to end it)."""
    lines = [Line("353", (nick, "=", channel(slug), " ".join(logins)), {}, f"{nick}.{SERVER}")]
    lines.append(Line("366", (nick, channel(slug), "End of /NAMES list"), {}, f"{nick}.{SERVER}"))
    return lines


def reconnect() -> Line:
    """This server is going away: connect again (to another, or to it once it is back)."""
    return Line("RECONNECT", (), {}, SERVER)
