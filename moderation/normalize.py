"""Reading chat through its disguises (pure: no Django). Blocked terms and AutoMod both see
a message this way, so that a moderator's "fuck" catches what AutoMod's lexicon catches.

What is undone: case, accents and full-width forms; look-alike letters from other scripts;
digits and symbols standing in for letters inside a word ("b1tch", "a$$hole", "sh!t");
a masked letter ("f*ck", "c#nt"); letters spelled out one by one ("f u c k", "s.h.i.t",
"b_i_t_c_h"); and letters stretched by repetition ("fuuuuck", "biiiitch").

``tokens`` gives the words (lowercase ASCII letters and digits; digits stay digits in a word
without letters, so "1488" is still "1488"); ``plain`` the same words joined by spaces.
"""

import re
import unicodedata
from functools import lru_cache

# Look-alike letters from other scripts, folded to the Latin letter they imitate.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "к": "k", "м": "m", "т": "t",
        "в": "b", "н": "h", "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k",
        "τ": "t", "υ": "u", "χ": "x", "ε": "e", "ß": "ss",
    }
)  # fmt: skip
# Digits and symbols that stand in for a letter inside a word.
_LEET = str.maketrans("01345789@$!|€£", "oieastbgasiiel")
_MASKS = "*#%?"  # a hidden letter: "f*ck"
# Swear words as chat disguises them, and the words a masked letter most often hides.
SPELLINGS = {
    "phuck": "fuck", "fvck": "fuck", "fuk": "fuck", "fck": "fuck", "fcuk": "fuck",
    "phucking": "fucking", "fuking": "fucking", "fking": "fucking", "fkin": "fucking",
    "fcking": "fucking", "effing": "fucking", "fukin": "fucking", "fuckin": "fucking",
    "azz": "ass", "azzhole": "asshole", "biatch": "bitch", "beotch": "bitch", "sht": "shit",
    "shyt": "shit", "cnt": "cunt", "btch": "bitch", "dik": "dick", "fag": "fag",
}  # fmt: skip
MASKED = frozenset(
    [
        "fuck",
        "fucking",
        "fucker",
        "motherfucker",
        "shit",
        "shithead",
        "bitch",
        "cunt",
        "dick",
        "dickhead",
        "cock",
        "pussy",
        "asshole",
        "whore",
        "slut",
        "retard",
        "nigger",
        "nigga",
        "faggot",
        "bastard",
        "damn",
        "hell",
        "piss",
        "crap",
        "kill",
    ]
)
_RAW_TOKEN = re.compile(r"[\w@$!|€£*#%?']+")
_LETTER = re.compile(r"[a-z]")
_SPELLED = re.compile(r"(?<![\w*])(?:[^\W_][ ._\-]){2,}[^\W_](?![\w*])")  # "f u c k", "s.h.i.t"
_SEPARATORS = re.compile(r"[ ._\-]")
_STRETCH = re.compile(r"([a-z])\1{2,}")  # three or more of one letter


def fold(text: str) -> str:
    """Casefolded, accents and compatibility forms (full-width letters) undone, look-alike
    letters folded to Latin."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_CONFUSABLES)


def _spelled_joined(text: str) -> str:
    """Letters spelled out one by one joined into their word ("f u c k" -> "fuck",
    "f.u.c.k y.o.u" -> "fuck you"); a leading "a" or "i" spaced from the rest stays a word
    of its own ("ur a d u m b" -> "ur a dumb") unless the whole is a swear ("a s s")."""

    def joined(match: re.Match) -> str:
        run = match.group(0)
        if run[1] != " ":  # dots or dashes between letters, spaces between words
            return " ".join(_SEPARATORS.sub("", part) for part in run.split(" "))
        whole = _SEPARATORS.sub("", run)
        if run[0] in "ai" and len(run) > 7 and whole not in MASKED:
            return run[:2] + whole[1:]
        return whole

    return _SPELLED.sub(joined, text)


def _word(raw: str) -> str:
    """One word seen through leetspeak, masks and stretching ('' when nothing of it is a
    letter or a number)."""
    if raw.isalpha() and raw.isascii():  # the common case: a plain word
        return _unstretched(raw) if _STRETCH.search(raw) else SPELLINGS.get(raw, raw)
    raw = raw.strip("'!|").lstrip("@")  # "wow!!" is punctuation, "sh!t" a disguise
    if not _LETTER.search(raw):
        return raw if raw.isdigit() else ""
    word = raw.translate(_LEET).replace("'", "").strip(_MASKS)
    if any(mask in word for mask in _MASKS):
        word = _unmasked(word)
    return _unstretched(word) if _STRETCH.search(word) else SPELLINGS.get(word, word)


def _unstretched(word: str) -> str:
    """A stretched word shortened: "fuuuuck" -> "fuck", "assss" -> "ass", "biiiitch" ->
    "bitch" (a run becomes two letters, or one where that makes a swear)."""
    word = _STRETCH.sub(r"\1\1", word)
    single = re.sub(r"([a-z])\1", r"\1", word)
    if word not in MASKED and single in MASKED:
        word = single
    return SPELLINGS.get(word, word)


def _unmasked(word: str) -> str:
    """A masked word as the swear it hides ("f*ck" -> "fuck"), else without its masks."""
    pattern = re.compile("".join("[a-z]" if c in _MASKS else re.escape(c) for c in word))
    for entry in MASKED:
        if len(entry) == len(word) and pattern.fullmatch(entry):
            return entry
    return "".join(c for c in word if c not in _MASKS)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the moderation rules read them."""
    folded = _spelled_joined(fold(text))
    return tuple(word for word in map(_word, _RAW_TOKEN.findall(folded)) if word)


def plain(text: str) -> str:
    """``tokens`` joined by single spaces: the text the lexicons and the classifier read."""
    return " ".join(tokens(text))


def squeeze(word: str) -> str:
    """Every run of one letter collapsed ("baad" -> "bad"): how a term matches a stretch."""
    return re.sub(r"(.)\1+", r"\1", word)
