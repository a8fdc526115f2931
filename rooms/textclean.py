"""Unicode clean-up of chat text (pure: no Django).

What chatters type arrives with whatever their keyboard, a copy-paste or a
troll put in it. Before any rule looks at it the text is made safe to show:

- NFC normalisation, so that one visible character is one code point where
  Unicode allows it;
- control characters removed (line breaks and tabs become spaces);
- format characters removed: bidi overrides and isolates, zero-width spaces
  and joiners, the BOM, soft hyphens;
- runs of combining marks capped (no "Zalgo" text towering over the chat);
- runs of whitespace collapsed to one space, and the ends trimmed.

Lengths are counted in code points after clean-up, as Twitch does.
"""

import unicodedata

MAX_COMBINING_RUN = 3
_SPACE_LIKE = {"\t", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}


def clean_text(text: str) -> str:
    """The displayable form of ``text`` (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    combining_run = 0
    for char in text:
        if char in _SPACE_LIKE:
            char = " "
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs"):
            continue
        if category in ("Mn", "Me"):
            if not out or out[-1] == " " or combining_run >= MAX_COMBINING_RUN:
                continue
            combining_run += 1
        else:
            combining_run = 0
        if category == "Zs" or char == " ":
            if not out or out[-1] == " ":
                continue
            char = " "
        out.append(char)
    return "".join(out).strip()
