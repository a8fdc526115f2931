"""Blocked-term matching (pure: no Django).

A term is a word or phrase; ``*`` at its start or end matches any beginning or
ending of a word (``*fish`` blocks "catfish", ``spam*`` blocks "spammer").
Matching is case-insensitive and sees through the usual disguises, as AutoMod does
(``moderation.normalize``): accents, look-alike letters from other scripts, digits and
symbols standing in for letters, masked letters, words spelled out letter by letter, and
letters stretched by repetition ("baaad" matches "bad").
"""

from collections.abc import Iterable
from dataclasses import dataclass

from moderation.normalize import squeeze, tokens

TERM_PATTERN = r"^\*?[^\s*](?:[^*]{0,58}[^\s*])?\*?$"


def words(text: str) -> list[str]:
    """The words of ``text`` as the matcher sees them: through the disguises that
    ``moderation.normalize`` undoes, each stretch squeezed ("baaad" -> "bad")."""
    return [squeeze(word) for word in tokens(text)]


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool  # "*" at the start: the first word may have anything before it
    suffix: bool  # "*" at the end: the last word may have anything after it
    source: str

    @classmethod
    def parse(cls, pattern: str) -> "Term | None":
        stripped = pattern.strip()
        parsed = tuple(words(stripped.strip("*")))
        if not parsed:
            return None
        return cls(parsed, stripped.startswith("*"), stripped.endswith("*"), stripped)

    def found_in(self, text_words: list[str]) -> bool:
        n = len(self.words)
        for start in range(len(text_words) - n + 1):
            window = text_words[start : start + n]
            if n > 2 and window[1:-1] != list(self.words[1:-1]):
                continue
            first, last = window[0], window[-1]
            if n == 1:
                if self._match_single(first):
                    return True
                continue
            first_ok = first.endswith(self.words[0]) if self.prefix else first == self.words[0]
            last_ok = last.startswith(self.words[-1]) if self.suffix else last == self.words[-1]
            if first_ok and last_ok:
                return True
        return False

    def _match_single(self, word: str) -> bool:
        term = self.words[0]
        if self.prefix and self.suffix:
            return term in word
        if self.prefix:
            return word.endswith(term)
        if self.suffix:
            return word.startswith(term)
        return word == term


def compile_terms(patterns: Iterable[str]) -> list[Term]:
    return [term for term in map(Term.parse, patterns) if term is not None]


def first_blocked(text: str, terms: list[Term]) -> str | None:
    """The first term found in ``text`` (its pattern), or None."""
    if not terms:
        return None
    text_words = words(text)
    for term in terms:
        if term.found_in(text_words):
            return term.source
    return None
