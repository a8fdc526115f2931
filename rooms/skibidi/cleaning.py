"""Checks on what the LLM said, before it may replace the instant text (pure: no Django).

Small models ramble: they add a second line, prefix "Assistant:", wrap the
answer in quotes, repeat the prompt or loop on one phrase. ``clean_output``
repairs what can be repaired; ``check_output`` refuses what cannot.
"""

import re
from collections.abc import Callable, Collection

from rooms.skibidi.instant import emote_like
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


MEANING_MIN = 0.52  # cosine of the original's and the rewrite's sentence embeddings

_WORDS = re.compile(r"[\w']+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
# Words whose loss or whose opposite's arrival turns a message into another one: a direction,
# a yes or a no, a negation. Each group's words are interchangeable ("nope" for "no"); a
# rewrite may not drop the group the original has, nor bring in its opposite.
_POLES = {
    "yes": {"yes", "yeah", "yep", "yup", "yea", "aye", "yass", "yas", "yesss"},
    "no": {"no", "nope", "nah", "nay", "never", "not", "disagree", "false", "wrong",
           "don't", "dont", "doesn't", "isn't", "can't", "cannot", "won't", "didn't", "shouldn't",
           "aren't", "wasn't", "ain't", "nor", "nothing", "nobody", "neither", "n't"},
    "left": {"left"},
    "right": {"right"},
    "up": {"up", "upstairs", "above", "top"},
    "down": {"down", "downstairs", "below", "bottom", "under"},
    "north": {"north"}, "south": {"south"}, "east": {"east"}, "west": {"west"},
    "before": {"before"}, "after": {"after"},
    "win": {"win", "won", "winning", "victory", "w"},
    "lose": {"lose", "lost", "losing", "defeat", "l"},
    "open": {"open", "opened"}, "close": {"close", "closed", "shut"},
}  # fmt: skip
_OPPOSITE = {"yes": "no", "no": "yes", "left": "right", "right": "left", "up": "down",
             "down": "up", "north": "south", "south": "north", "east": "west", "west": "east",
             "before": "after", "after": "before", "win": "lose", "lose": "win",
             "open": "close", "close": "open"}  # fmt: skip
# "right" as in "that's right" and "left" as in "3 lives left" are not directions; the
# direction groups only count where the original uses them as one.
_DIRECTED = re.compile(r"\b(?:go|turn|to the|on the|at the|keep|head|move|look|stay|path|side|"
                       r"door|way|route|corner|dodge|jump|climb|run|walk)\s+(?:\w+\s+)?"
                       r"(left|right|up|down|north|south|east|west)\b|\b(left|right) "
                       r"(?:side|path|door|way|one|route|corner|lane)\b", re.I)  # fmt: skip
# What a small model says when it answers, refuses or apologises instead of rewriting.
_ANSWER_OPENERS = re.compile(
    r"^(?:sure[,!]|of course[,!]|certainly|here(?:'s| is)|i'm sorry|sorry[,!]|i apologi[sz]e|"
    r"as an ai|i can(?:'t|not) |i am not able|i'm not able|i don't know|the answer|"
    r"you can |you should try|it depends|great question|good question)",
    re.I,
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


def _poles(text: str, words: set[str]) -> set[str]:
    """Which of the meaning-bearing groups a text has."""
    found = {pole for pole, group in _POLES.items() if pole in ("yes", "no") and words & group}
    if "n't" in text.lower() or "not " in text.lower():
        found.add("no")
    for match in _DIRECTED.finditer(text):
        found.add((match.group(1) or match.group(2)).lower())
    for pole in ("before", "after", "win", "lose", "open", "close"):
        if words & _POLES[pole]:
            found.add(pole)
    return found


def _without(text: str, markers: Collection[str]) -> str:
    """``text`` without the style's marker words and phrases."""
    for marker in sorted(markers, key=len, reverse=True):
        if marker.strip():
            text = re.sub(rf"(?i)(?<!\w){re.escape(marker.strip())}(?!\w)", " ", text)
    return text


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def check_output(
    text: str,
    *,
    original: str,
    keep: set[str],
    markers: Collection[str] = (),
    emotes: Collection[str] = (),
    examples: Collection[tuple[str, str]] = (),
    prompt: str = "",
    similarity: Callable[[str, str], float] | None = None,
) -> str | None:
    """Why ``text`` may not replace the instant rendering of ``original``, or None if it may.

    ``keep`` are words that must survive the rewrite, in their order: the original's emote
    codes and @mentions. ``markers`` are the style's tell-tale words: a rewrite with none of
    them is not in the style (the instant text, which is, stands). ``emotes`` are the codes
    the sender may use: one the original did not have is invented (it would show as an image
    they never sent). ``examples`` and ``prompt`` are what the model was shown: a rewrite that
    copies them leaked. ``similarity`` compares meanings (``rooms.skibidi.meaning``).
    """
    if not text:
        return "empty"
    lowered, original_lowered = text.lower(), original.lower()
    if any(echo in lowered and echo not in original_lowered for echo in _PROMPT_ECHOES):
        return "prompt echo"
    words, original_words = _words(text), _words(original)
    if prompt and _ngrams(words, 4) & (_ngrams(_words(prompt), 4) - _ngrams(original_words, 4)):
        return "prompt echo"
    if _ANSWER_OPENERS.match(text) and not _ANSWER_OPENERS.match(original):
        return "answered"
    tokens = text.split(" ")
    missing = {word for word in keep if word not in tokens}
    if missing:
        return "lost " + ", ".join(sorted(missing))
    kept_order = [t for t in original.split(" ") if t in keep]
    if [t for t in tokens if t in keep and t in kept_order] != kept_order:
        return "reordered emotes or mentions"
    invented = {w for w in tokens if w.startswith("@") and w.rstrip(".,!?:;") not in keep}
    if invented:
        return "invented " + ", ".join(sorted(invented))  # would ping a stranger
    invented = {t for t in tokens if (t in emotes or emote_like(t)) and t not in keep}
    if invented:
        return "invented " + ", ".join(sorted(invented))  # an emote the sender never sent
    lost_numbers = set(_NUMBER.findall(original)) - set(_NUMBER.findall(text))
    if lost_numbers:
        return "lost " + ", ".join(sorted(lost_numbers))
    plain = _without(text, markers)  # "no cap" is the style talking, not a "no"
    had, has = _poles(original, set(original_words)), _poles(plain, set(_words(plain)))
    flipped = sorted(pole for pole in had if _OPPOSITE[pole] in has and _OPPOSITE[pole] not in had)
    if flipped:
        return "flipped " + ", ".join(flipped)
    dropped = sorted(had - has - {"yes"})  # "I agree" for "yes I agree" says the same
    if dropped:
        return "dropped " + ", ".join(dropped)
    if len(text) > 2.5 * len(original) + 60:
        return "too long"
    if _leaked(words, original_words, examples):
        return "copied an example"
    if not _overlaps(text, original):
        return "meaning lost"
    if markers and not has_marker(text, markers):
        return "not in style"
    if similarity is not None and similarity(original, text) < MEANING_MIN:
        return "meaning drifted"
    return None


def _leaked(
    words: list[str], original_words: list[str], examples: Collection[tuple[str, str]]
) -> bool:
    """Whether the rewrite copies an example instead of the message: it says two of an
    example message's own words that the message does not ("I'm going to bed now" turning
    up under "what level are you?"). The style's words, which examples share, are no sign."""
    said = {w.strip(".,!?;:'\"()") for w in words}
    own = _content_words(" ".join(original_words), shortest=3)
    for example_original, _example_rewrite in examples:
        borrowed = (_content_words(example_original, shortest=3) - own) & said
        if len(borrowed) >= 2:
            return True
    return False


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


def _content_words(text: str, shortest: int = 4) -> set[str]:
    words = {w.strip(".,!?;:'\"()").lower() for w in text.split(" ")}
    return {w for w in words if len(w) >= shortest and w not in _STOPWORDS}


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
