"""Finding emotes in chat text (pure: no Django).

An emote is a whole space-separated word that equals an emote code, exactly
(codes are case-sensitive). Positions are in code points, first and last
inclusive, as in the IRC ``emotes`` tag, so that every client slices the same
characters whatever its string encoding.
"""

from collections.abc import Mapping

EmotePosition = tuple[str, int, int]  # emote id, first code point, last code point


def find_emotes(text: str, codes: Mapping[str, str]) -> list[EmotePosition]:
    """Every emote in ``text``; ``codes`` maps an emote code to its id."""
    found: list[EmotePosition] = []
    position = 0
    for word in text.split(" "):
        if word and word in codes:
            found.append((codes[word], position, position + len(word) - 1))
        position += len(word) + 1
    return found


def is_only_emotes(text: str, codes: Mapping[str, str]) -> bool:
    """True when every word of ``text`` is an emote (for emote-only mode)."""
    words = [word for word in text.split(" ") if word]
    return bool(words) and all(word in codes for word in words)
