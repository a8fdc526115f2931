"""The instant engine: a room style's rule set applied to a message (pure: no Django).

Deterministic: the same text, rules and seed (the message id) give the same
result in every process, so every client of every process shows the same text. Emote codes,
@mentions and links are never altered. Cheap: a split, dictionary look-ups and
a seeded random choice or two.
"""

import random
import re
from collections.abc import Collection, Mapping
from typing import Any

MAX_LENGTH = 500
CASINGS = ("as_is", "lower", "upper", "sentence")
_TRAILING = ".,!?;:…\"')"


class RulesError(ValueError):
    """A rule set that the engine cannot use (raised by ``validate_rules``)."""


def validate_rules(rules: Any) -> dict[str, Any]:
    """Check a rule set's shape; return it with swap keys lower-cased."""
    if not isinstance(rules, dict):
        raise RulesError("The rule set must be a JSON object.")
    known = {"swaps", "openers", "closers", "emoji", "casing", "opener_chance", "closer_chance"}
    unknown = set(rules) - known
    if unknown:
        raise RulesError(f"Unknown rule keys: {', '.join(sorted(unknown))}.")
    swaps = rules.get("swaps", {})
    if not isinstance(swaps, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and " " not in k
        for k, v in swaps.items()
    ):
        raise RulesError('"swaps" maps single words to their replacements (strings).')
    for key in ("openers", "closers", "emoji"):
        value = rules.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RulesError(f'"{key}" is a list of non-empty strings.')
    if rules.get("casing", "as_is") not in CASINGS:
        raise RulesError(f'"casing" is one of {", ".join(CASINGS)}.')
    for key in ("opener_chance", "closer_chance"):
        chance = rules.get(key, 0.5)
        if not isinstance(chance, int | float) or not 0 <= chance <= 1:
            raise RulesError(f'"{key}" is a number from 0 to 1.')
    return {**rules, "swaps": {k.lower(): v for k, v in swaps.items()}}


# A word typed like an emote code ("PogChamp", "catJAM"): whether or not this room has it, it
# is what the sender typed as an emote, and no style changes it.
EMOTE_LIKE = re.compile(r"^(?:[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*)$")
# Twitch's best-known codes that the pattern above does not catch: chatters type them out
# of habit in every chat, and a style that lowercased "LUL" would break them.
TWITCH_CODES = frozenset({
    "Kappa", "LUL", "KEKW", "Pog", "PogU", "Kreygasm", "OMEGALUL", "SMOrc", "Sadge", "Jebaited",
    "4Head", "DansGame", "WutFace", "TriHard", "EZ", "LULW", "KEKL", "HYPERS", "POGGERS",
})  # fmt: skip


def emote_like(word: str) -> bool:
    """Whether ``word`` was typed as an emote code, known to the room or not."""
    # (No capital, no match: most words skip the pattern.)
    return word in TWITCH_CODES or (not word.islower() and bool(EMOTE_LIKE.match(word)))


def _protected(word: str, emotes: Collection[str]) -> bool:
    core = word.rstrip(_TRAILING)
    return (
        word in emotes
        or core in emotes
        or emote_like(core)
        or word.startswith("@")
        or word.startswith(("http://", "https://", "www."))
    )


def _match_case(original: str, replacement: str) -> str:
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _swap(word: str, swaps: Mapping[str, str]) -> str:
    core = word.rstrip(_TRAILING)
    tail = word[len(core) :]
    replacement = swaps.get(core.lower())
    if replacement is None:
        return word
    return _match_case(core, replacement) + tail


def _case(word: str, casing: str) -> str:
    if casing == "lower":
        return word.lower()
    if casing == "upper":
        return word.upper()
    return word


def render_instant(
    text: str,
    rules: Mapping[str, Any],
    *,
    seed: int,
    emotes: Collection[str] = (),
    action: bool = False,
) -> str:
    """``text`` in the style of ``rules``; ``emotes`` are codes to leave untouched. An
    ``action`` (``/me waves``) follows its author's name: no opener before it, no capital."""
    words = text.split(" ")
    rng = random.Random(seed)  # noqa: S311 - style, not security
    emoji = rules.get("emoji")
    if not words or all(_protected(word, emotes) for word in words if word):
        # Only emotes, mentions and links: nothing to restyle, but the room's emoji.
        styled = f"{text} {rng.choice(emoji)}" if emoji and text.strip() else text
        return styled if len(styled) <= MAX_LENGTH else text
    swaps = rules.get("swaps", {})
    casing = rules.get("casing", "as_is")
    body = [
        word if _protected(word, emotes) else _case(_swap(word, swaps), casing) for word in words
    ]
    if casing == "sentence" and not action and not _protected(body[0], emotes):
        body[0] = body[0][:1].upper() + body[0][1:]

    parts = []
    openers, closers = rules.get("openers"), rules.get("closers")
    if openers and rng.random() < rules.get("opener_chance", 0.5) and not action:
        parts.append(rng.choice(openers))
    parts.extend(body)
    if emoji:
        parts.append("".join(rng.choice(emoji) for _ in range(rng.randint(1, 2))))
    if closers and rng.random() < rules.get("closer_chance", 0.5):
        parts.append(rng.choice(closers))
    styled = " ".join(parts)
    if len(styled) > MAX_LENGTH:
        styled = " ".join(body)
    return styled if len(styled) <= MAX_LENGTH else text
