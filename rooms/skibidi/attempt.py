"""One LLM rewrite, exactly as the worker makes it and as ``skibidi_eval`` measures it: the
prompt, the backend's completion, the cleaning and every check (pure: no Django)."""

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from rooms.skibidi.cleaning import check_output, clean_output
from rooms.skibidi.instant import emote_like
from rooms.skibidi.llm import Backend, LLMError, StylePrompt, chat_messages
from rooms.textclean import emoji_only


@dataclass(frozen=True)
class Attempt:
    raw: str  # what the model said ("" when the backend failed)
    text: str  # the cleaned line
    refused: str | None  # why it may not be shown, None when it may
    seconds: float
    error: str = ""  # the backend's failure, if it failed


def _protected(word: str, emotes: Collection[str]) -> bool:
    """An emote code (the room's, or a word typed like one: ``instant.emote_like``), an
    @mention or emoji (🏳️‍🌈, which a small model drops or breaks apart): a rewrite keeps it
    as typed."""
    return (
        word in emotes
        or (word.startswith("@") and len(word) > 1)
        or emote_like(word)
        or emoji_only(word)
    )


def keep_words(text: str, emotes: Collection[str]) -> set[str]:
    """The words a rewrite must keep: the original's emote codes (the room's, and words typed
    like one), @mentions and emoji."""
    return {word for word in text.split(" ") if _protected(word, emotes)}


def split_protected(text: str, emotes: Collection[str]) -> tuple[str, str, str]:
    """The emote codes, @mentions and emoji at the start and at the end of a message, and
    what is between them. A small model mangles codes ("PogHYPE", "sadge cry") and names,
    and drops emoji; the ones at the edges, which are most of them, it never sees: they go
    back around its rewrite."""
    words = text.split(" ")
    start = 0
    while start < len(words) and _protected(words[start], emotes):
        start += 1
    end = len(words)
    while end > start and _protected(words[end - 1], emotes):
        end -= 1
    return " ".join(words[:start]), " ".join(words[start:end]), " ".join(words[end:])


def _around(said: str, head: str, tail: str) -> str:
    """The rewrite with the message's opening and closing codes and names back around it
    (once: a model that was shown them anyway may have kept them)."""
    if not said:
        return ""
    if head and said.startswith(head):
        said = said[len(head) :].lstrip()
    if tail and said.endswith(tail):
        said = said[: -len(tail)].rstrip()
    return " ".join(part for part in (head, said, tail) if part)


def lighter(text: str) -> list[str]:
    """``text``, then the same with less decoration: small models pile style words and emoji
    on the end ("that was insane bestie, iconic ✨💖"), which can bury a short message. The
    trailing emoji go first, then a short last clause after a comma."""
    versions = [text]
    bare = text.rstrip()
    while bare and not (bare[-1].isalnum() or bare[-1] in "?!.'\""):
        bare = bare[:-1].rstrip()
    if bare and bare != text:
        versions.append(bare)
    head, comma, last = bare.rpartition(", ")
    if comma and head and len(last.split(" ")) <= 4 and len(head.split(" ")) >= 2:
        versions.append(head)
    return versions


def llm_attempt(
    backend: Backend,
    prompt: StylePrompt,
    original: str,
    *,
    emotes: Collection[str],
    markers: Collection[str],
    similarity: Callable[[str, str], float] | None,
    refused_by: Callable[[str], str | None] | None = None,
    tries: int = 2,
) -> Attempt:
    """Ask ``backend`` to restyle ``original`` and check what it said, up to ``tries``
    times while it says something the checks refuse. ``refused_by`` adds a check of the
    caller's (the room's blocked terms); ``LLMError`` is not raised but reported in
    ``error``."""
    started = time.perf_counter()
    head, core, tail = split_protected(original, emotes)
    if not core.strip():
        return Attempt("", "", "nothing to restyle", 0.0)
    keep = keep_words(original, emotes)
    raw = text = ""
    refused: str | None = "empty"
    # A rewrite is about as long as the message: no room to ramble (the rambling costs most).
    max_tokens = min(prompt.max_tokens, 16 + 2 * len(core.split()))
    for _ in range(max(1, tries)):
        try:
            raw = backend.complete(
                chat_messages(prompt, core), temperature=prompt.temperature, max_tokens=max_tokens
            )
        except LLMError as error:
            return Attempt("", "", "backend failed", time.perf_counter() - started, str(error))
        said = _around(clean_output(raw), head, tail)
        for text in lighter(said) if said else [said]:
            refused = check_output(
                text,
                original=original,
                keep=keep,
                markers=markers,
                emotes=emotes,
                examples=prompt.examples,
                prompt=prompt.system,
                similarity=similarity,
            )
            if refused is None and refused_by is not None:
                refused = refused_by(text)
            if refused is None:
                return Attempt(raw, text, None, time.perf_counter() - started)
        text = said
    return Attempt(raw, text, refused, time.perf_counter() - started)
