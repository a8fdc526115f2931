"""Parsing the chat commands moderators type (pure: no Django).

``/timeout user 600 reason``, ``/ban user reason``, ``/slow 30``, ``/emoteonly``…
One parser for every interface that takes what a chatter types (the browser, REST).
"""

import re
from dataclasses import dataclass

DEFAULT_TIMEOUT = 600
DEFAULT_SLOW = 30
_DURATION = re.compile(r"^(\d{1,7})([smhdw]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_LOGIN = re.compile(r"^@?([A-Za-z0-9_]{3,25})$")

# name -> (needs a target user, takes a duration)
COMMANDS = {
    "timeout": (True, True),
    "untimeout": (True, False),
    "ban": (True, False),
    "unban": (True, False),
    "delete": (False, False),
    "clear": (False, False),
    "slow": (False, True),
    "slowoff": (False, False),
    "emoteonly": (False, False),
    "emoteonlyoff": (False, False),
    "subscribers": (False, False),
    "subscribersoff": (False, False),
    "uniquechat": (False, False),
    "uniquechatoff": (False, False),
    "mod": (True, False),
    "unmod": (True, False),
    "vip": (True, False),
    "unvip": (True, False),
    # Everyone's.
    "help": (False, False),
    "mods": (False, False),
    "vips": (False, False),
}
EVERYONES = ("help", "mods", "vips")  # the rest are the room's moderators' (some its owner's)
HELP = {
    "timeout": "/timeout <user> [duration] [reason]",
    "untimeout": "/untimeout <user>",
    "ban": "/ban <user> [reason]",
    "unban": "/unban <user>",
    "delete": "/delete <message id>",
    "clear": "/clear",
    "slow": "/slow [seconds], /slowoff",
    "emoteonly": "/emoteonly, /emoteonlyoff",
    "subscribers": "/subscribers, /subscribersoff",
    "uniquechat": "/uniquechat, /uniquechatoff",
    "mod": "/mod <user>, /unmod <user> (the broadcaster)",
    "vip": "/vip <user>, /unvip <user> (the broadcaster)",
}

# Other names Twitch has for a command (tmi.js's ``client.r9kbeta()`` sends /r9kbeta).
ALIASES = {"r9kbeta": "uniquechat", "r9kbetaoff": "uniquechatoff"}


class CommandError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Command:
    name: str
    target: str | None = None  # a lowercase login
    seconds: int | None = None
    reason: str = ""
    message_id: str | None = None


def is_command(text: str) -> bool:
    return text.startswith("/")


def parse_duration(raw: str) -> int:
    match = _DURATION.match(raw.lower())
    if not match:
        raise CommandError(
            "invalid_duration", f"'{raw[:20]}' is not a duration (say 600, 10m, 2h, 1d or 1w)."
        )
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_command(text: str) -> Command:
    """The command in ``text`` (which starts with "/"); raises ``CommandError``."""
    parts = text[1:].split()
    if not parts:
        raise CommandError("unknown_command", "Type a command after the slash, such as /ban.")
    name, args = parts[0].lower(), parts[1:]
    name = ALIASES.get(name, name)
    if name not in COMMANDS:
        raise CommandError("unknown_command", f"Unknown command /{name[:25]}.")
    needs_target, takes_duration = COMMANDS[name]
    target = seconds = message_id = None
    if needs_target:
        if not args or not (login := _LOGIN.match(args[0])):
            raise CommandError("missing_user", f"Usage: /{name} <user>" + (
                " [duration] [reason]" if takes_duration else " [reason]"))  # fmt: skip
        target, args = login.group(1).lower(), args[1:]
    if takes_duration:
        seconds = DEFAULT_TIMEOUT if name == "timeout" else DEFAULT_SLOW
        if args and _DURATION.match(args[0].lower()):
            seconds, args = parse_duration(args[0]), args[1:]
    if name == "delete":
        if not args:
            raise CommandError("missing_message", "Usage: /delete <message id>")
        message_id, args = args[0], args[1:]
    return Command(name, target, seconds, " ".join(args)[:500], message_id)
