"""Checks on what the LLM said, before it may replace the instant text (pure: no Django).

Small models ramble: they add a second line, prefix "Assistant:", wrap the
answer in quotes, repeat the prompt or loop on one phrase. ``clean_output``
repairs what can be repaired; ``check_output`` refuses what cannot.
"""

import re
from collections.abc import Collection

from rooms.textclean import clean_text

MAX_LENGTH = 500
_ROLE_PREFIX = re.compile(
    r"^\s*(?:assistant|restyled?|rewrite|rewritten|output|answer|response|bard|bestie)"
    r"\s*[:\-\u2013]\s*",
    re.I,
)
_SPECIAL_TOKEN = re.compile(r"<\|[^|>]{1,40}\|>|</?s>|\[/?INST\]")
_QUOTES = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb"  # straight, curly and angle quotes
_PROMPT_ECHOES = (
    "rewrite the chat message",
    "restyle chat messages",
    "restyle:",
    "never answer",
    "keep the meaning",
    "one short line",
    "system prompt",
    "as an ai",
    "i cannot",
    "i can't",
    "language model",
)


def _cut_loops(words: list[str]) -> list[str]:
    """Cut a phrase of 1 to 4 words repeated more than twice in a row down to two."""
    for size in range(1, 5):
        out: list[str] = []
        for word in words:
            out.append(word)
            if (
                len(out) >= size * 3
                and out[-size:] == out[-2 * size : -size] == out[-3 * size : -2 * size]
            ):
                del out[-size:]
        words = out
    return words


def clean_output(raw: str) -> str:
    """One tidy line out of a raw completion ('' when nothing usable is left)."""
    text = _SPECIAL_TOKEN.sub(" ", raw)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    text = _ROLE_PREFIX.sub("", lines[0]).strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    text = clean_text(text)
    text = " ".join(_cut_loops(text.split(" ")))
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH].rsplit(" ", 1)[0]
    return text


def has_marker(text: str, markers: Collection[str]) -> bool:
    padded = f" {text.lower()} "
    return any(marker.lower() in padded for marker in markers)


def check_output(
    text: str, *, original: str, keep: set[str], markers: Collection[str] = ()
) -> str | None:
    """Why ``text`` may not replace the instant rendering of ``original``, or None if it may.

    ``keep`` are words that must survive the rewrite: the original's emote codes
    and @mentions. ``markers`` are the style's tell-tale words: a rewrite with
    none of them is not in the style (the instant text, which is, stands).
    """
    if not text:
        return "empty"
    lowered = text.lower()
    if any(echo in lowered for echo in _PROMPT_ECHOES):
        return "prompt echo"
    words = set(text.split(" "))
    missing = {word for word in keep if word not in words}
    if missing:
        return "lost " + ", ".join(sorted(missing))
    invented = {w for w in words if w.startswith("@") and w.rstrip(".,!?:;") not in keep}
    if invented:
        return "invented " + ", ".join(sorted(invented))  # would ping a stranger
    if len(text) > 2.5 * len(original) + 60:
        return "too long"
    if not _overlaps(text, original):
        return "meaning lost"
    if markers and not has_marker(text, markers):
        return "not in style"
    return None


_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "are",
        "was",
        "this",
        "that",
        "with",
        "have",
        "has",
        "what",
        "who",
        "how",
        "when",
        "why",
        "can",
        "just",
        "from",
        "they",
        "them",
        "then",
        "than",
        "there",
        "here",
        "its",
        "it's",
        "not",
        "but",
        "all",
        "any",
        "some",
        "get",
        "got",
        "very",
    ]
)


def _content_words(text: str) -> set[str]:
    words = {w.strip(".,!?;:'\"()").lower() for w in text.split(" ")}
    return {w for w in words if len(w) >= 4 and w not in _STOPWORDS}


def _overlaps(text: str, original: str) -> bool:
    """A rewrite keeps at least one content word of a message that has two or more.

    Cheap and crude, but it catches the small model's favourite failure: answering
    the message (or wandering off) instead of restyling it.
    """
    wanted = _content_words(original)
    if len(wanted) < 2:
        return True
    lowered = text.lower()
    return any(word in lowered for word in wanted)
