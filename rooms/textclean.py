"""Unicode clean-up of chat text (pure: no Django).

What chatters type arrives with whatever their keyboard, a copy-paste or a
troll put in it. Before any rule looks at it the text is made safe to show:

- NFC normalisation, so that one visible character is one code point where
  Unicode allows it;
- control characters removed (line breaks and tabs become spaces);
- format characters removed: bidi overrides and isolates, zero-width spaces,
  the BOM, soft hyphens, and joiners, except where they make one emoji of several:
  a zero-width joiner between two emoji (🏳️‍🌈, 👨‍👩‍👧, at most ``MAX_JOINS`` in
  one), and the tag characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿); variation selectors and
  skin tones stay with the emoji they follow;
- runs of combining marks capped (no "Zalgo" text towering over the chat);
- runs of whitespace collapsed to one space, and the ends trimmed.

Lengths are counted in code points after clean-up, as Twitch does.
"""

import unicodedata

MAX_COMBINING_RUN = 3
MAX_JOINS = 4  # zero-width joiners in one emoji (a family of four has three)
MAX_TAGS = 8  # tag characters after a black flag (a subdivision flag has six)
_SPACE_LIKE = {"\t", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}
ZWJ = "\u200d"
BLACK_FLAG = "\U0001f3f4"
_TAGS = range(0xE0020, 0xE0080)  # tag characters (the last one, U+E007F, ends the run)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_VARIATION_SELECTORS = ("\ufe0e", "\ufe0f")


def _emoji(char: str) -> bool:
    """Whether ``char`` can be a part of an emoji that a joiner binds."""
    return unicodedata.category(char) == "So" or ord(char) in _SKIN_TONES


def emoji_only(word: str) -> bool:
    """Whether ``word`` is emoji and nothing else (🏳️‍🌈, 👍🏽, 🔥🔥): a picture as typed."""
    return any(_emoji(char) for char in word) and all(
        _emoji(char) or char == ZWJ or char in _VARIATION_SELECTORS or ord(char) in _TAGS
        for char in word
    )


def clean_text(text: str) -> str:
    """The displayable form of ``text`` (see the module docstring)."""
    if text.isascii() and text.isprintable():
        # Most chat: nothing to normalise or remove, only spaces to collapse (the loop
        # below gives the same, some 20 times slower, on the send path of every message).
        return " ".join(text.split())
    return _clean(text)


def _clean(text: str) -> str:
    """``clean_text`` for any text, character by character."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    combining_run = joins = tags = 0
    for index, char in enumerate(text):
        if char in _SPACE_LIKE:
            char = " "
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs"):
            if char == ZWJ and _joins(out, text, index) and joins < MAX_JOINS:
                joins += 1
                combining_run = 0
                out.append(char)
            elif ord(char) in _TAGS and _tagging(out, tags) and tags < MAX_TAGS:
                tags += 1
                out.append(char)
                if ord(char) == 0xE007F:
                    tags = MAX_TAGS  # the cancel tag ends the flag
            continue
        if category in ("Mn", "Me"):
            if not out or out[-1] == " " or combining_run >= MAX_COMBINING_RUN:
                continue
            combining_run += 1
        else:
            combining_run = 0
            if joins and out and out[-1] != ZWJ and ord(char) not in _SKIN_TONES:
                joins = 0  # a new character that no joiner binds: a new emoji
            if char == BLACK_FLAG or (tags and not _tag(out)):
                tags = 0
        if category == "Zs" or char == " ":
            if not out or out[-1] == " ":
                continue
            char = " "
        out.append(char)
    if out and (out[-1] == ZWJ or (_tag(out) and ord(out[-1]) != 0xE007F)):
        while out and (out[-1] == ZWJ or _tag(out)):  # a sequence cut short at the end
            out.pop()
    return "".join(out).strip()


def _joins(out: list[str], text: str, index: int) -> bool:
    """A joiner binds the emoji before it (its variation selector or skin tone
    included) to an emoji right after it."""
    if not out or index + 1 >= len(text):
        return False
    before = out[-1]
    if before in _VARIATION_SELECTORS and len(out) > 1:
        before = out[-2]
    return _emoji(before) and _emoji(text[index + 1])


def _tag(out: list[str]) -> bool:
    return bool(out) and ord(out[-1]) in _TAGS


def _tagging(out: list[str], tags: int) -> bool:
    """Tag characters follow a black flag, or the tags after it."""
    return bool(out) and (out[-1] == BLACK_FLAG or (_tag(out) and tags > 0))
