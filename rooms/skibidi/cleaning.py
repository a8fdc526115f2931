"""Checks on what the LLM said, before it may replace the instant text (pure: no Django).

Small models ramble: they add a second line, prefix "Assistant:", wrap the
answer in quotes, repeat the prompt or loop on one phrase. ``clean_output``
repairs what can be repaired; ``check_output`` refuses what cannot.
"""

import re

from rooms.textclean import clean_text

MAX_LENGTH = 500
_ROLE_PREFIX = re.compile(
    r"^\s*(?:assistant|rewrite|rewritten|output|answer|response|bard|bestie|chat)\s*[:\-\u2013]\s*",
    re.I,
)
_SPECIAL_TOKEN = re.compile(r"<\|[^|>]{1,40}\|>|</?s>|\[/?INST\]")
_QUOTES = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb"  # straight, curly and angle quotes
_PROMPT_ECHOES = (
    "rewrite the chat message",
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


def check_output(text: str, *, original: str, keep: set[str]) -> str | None:
    """Why ``text`` may not replace the instant rendering of ``original``, or None if it may.

    ``keep`` are words that must survive the rewrite: the original's emote codes
    and @mentions.
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
    if len(text) > max(4 * len(original) + 120, 200):
        return "too long"
    return None
