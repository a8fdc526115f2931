"""IRC lines with IRCv3 message tags: parsing and serialising (pure: no Django).

    @badges=moderator/1;color=#FF4500 :talker!talker@talker.tmi.twitch.tv PRIVMSG #room :hi

A line is its tags (an ordered mapping; a tag sent without a value has the value ""),
an optional prefix (the source), the command and its parameters, the last of which may
hold spaces. ``parse`` accepts what clients send, however sloppy (extra spaces, a bare
LF, a lone escape) and raises ``LineError`` for nothing else; ``serialize`` refuses what
cannot be sent unambiguously, so that ``parse(serialize(line)) == line``.
"""

import re
from dataclasses import dataclass, field

MAX_LINE = 16_384  # characters a client may send in one line, tags included


class LineError(ValueError):
    """Not an IRC line (empty, or a tag or command that cannot be)."""


_ESCAPES = {";": "\\:", " ": "\\s", "\\": "\\\\", "\r": "\\r", "\n": "\\n"}
_UNESCAPES = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}
_TAG_KEY = re.compile(r"^\+?(?:[A-Za-z0-9.-]+/)?[A-Za-z0-9-]+$")
_COMMAND = re.compile(r"^(?:[A-Za-z]+|[0-9]{3})$")


@dataclass(frozen=True)
class Line:
    command: str
    params: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict, compare=True, hash=False)
    prefix: str | None = None

    @property
    def text(self) -> str:
        """The last parameter (a message's text), or ""."""
        return self.params[-1] if self.params else ""


def escape_value(value: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in value)


def unescape_value(raw: str) -> str:
    out, chars = [], iter(raw)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, None)
        if following is None:
            break  # a lone backslash at the end is dropped
        out.append(_UNESCAPES.get(following, following))
    return "".join(out)


def parse(raw: str) -> Line:
    """One line as a client sent it (without or with its CR LF)."""
    line = raw.rstrip("\r\n")
    if "\r" in line or "\n" in line or "\0" in line:
        raise LineError("a line holds no CR, LF or NUL")
    tags: dict[str, str] = {}
    rest = line.lstrip(" ")
    if rest.startswith("@"):
        raw_tags, _, rest = rest[1:].partition(" ")
        for item in raw_tags.split(";"):
            if not item:
                continue
            key, _, value = item.partition("=")
            if not _TAG_KEY.match(key):
                raise LineError(f"not a tag key: {key[:40]!r}")
            tags[key] = unescape_value(value)
        rest = rest.lstrip(" ")
    prefix = None
    if rest.startswith(":"):
        prefix, _, rest = rest[1:].partition(" ")
        if not prefix:
            raise LineError("an empty prefix")
        rest = rest.lstrip(" ")
    head, colon, trailing = rest.partition(" :")
    if rest.startswith(":"):  # a trailing parameter with no command before it
        raise LineError("no command")
    words = [word for word in head.split(" ") if word]  # only spaces separate (not \x1f)
    if not words:
        raise LineError("no command")
    command, params = words[0], words[1:]
    if not _COMMAND.match(command):
        raise LineError(f"not a command: {command[:40]!r}")
    if colon:
        params.append(trailing)
    return Line(command.upper(), tuple(params), tags, prefix)


def serialize(line: Line) -> str:
    """``line`` as sent, without its CR LF."""
    parts = []
    if line.tags:
        items = []
        for key, value in line.tags.items():
            if not _TAG_KEY.match(key):
                raise LineError(f"not a tag key: {key!r}")
            if "\0" in value:
                raise LineError("a tag value holds no NUL")
            items.append(f"{key}={escape_value(value)}")
        parts.append("@" + ";".join(items))
    if line.prefix is not None:
        if not line.prefix or " " in line.prefix or _breaks(line.prefix):
            raise LineError(f"not a prefix: {line.prefix!r}")
        parts.append(":" + line.prefix)
    if not _COMMAND.match(line.command) or line.command != line.command.upper():
        raise LineError(f"not a command: {line.command!r}")
    parts.append(line.command)
    *middle, last = line.params or ("",)
    for param in middle:
        if not param or " " in param or param.startswith(":") or _breaks(param):
            raise LineError(f"only the last parameter may be empty or hold spaces: {param!r}")
        parts.append(param)
    if line.params:
        if _breaks(last):
            raise LineError("a parameter holds no CR, LF or NUL")
        parts.append(":" + last if (not last or " " in last or last.startswith(":")) else last)
    return " ".join(parts)


def _breaks(text: str) -> bool:
    return "\r" in text or "\n" in text or "\0" in text
