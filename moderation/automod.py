"""AutoMod's judgement of a chat line: category scores, then allow, hold or block.

Pure apart from the classifier, which is alt-profanity-check's scikit-learn
model (its weights ship inside the wheel; nothing is downloaded). Scores are
in [0, 1]; a room's level picks the thresholds in ``LEVELS``, the one table
``docs/moderation.md`` documents.
"""

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

ALLOW, HOLD, BLOCK = "allow", "hold", "block"
CATEGORIES = ("profanity", "caps", "repetition", "links", "flood")

# level -> category -> (hold at, block at); None never acts. Level 0 is off.
LEVELS: dict[int, dict[str, tuple[float | None, float | None]]] = {
    1: {"profanity": (0.90, None), "caps": (None, None), "repetition": (None, None),
        "links": (None, None), "flood": (0.95, None)},
    2: {"profanity": (0.75, 0.97), "caps": (None, None), "repetition": (0.90, None),
        "links": (None, None), "flood": (0.85, None)},
    3: {"profanity": (0.55, 0.92), "caps": (0.90, None), "repetition": (0.75, None),
        "links": (0.90, None), "flood": (0.70, None)},
    4: {"profanity": (0.35, 0.85), "caps": (0.80, None), "repetition": (0.60, None),
        "links": (0.60, None), "flood": (0.55, None)},
}  # fmt: skip

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|gg|ru|xyz|tk|ly|me|tv|co)\b(?:/\S*)?",
    re.IGNORECASE,
)
_RUN = re.compile(r"(.)\1{5,}")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Verdict:
    decision: str  # allow, hold or block
    category: str  # the category that decided, "" when allowed
    scores: dict[str, float]

    @property
    def reason(self) -> str:
        if self.decision == ALLOW:
            return ""
        return f"{self.category} {self.scores[self.category]:.2f}"


@functools.cache
def _classifier():
    """The profanity model, loaded once per process (about 0.3 s)."""
    from profanity_check import profanity_check

    return profanity_check.vectorizer, profanity_check.model


def warm_up() -> None:
    _classifier()


def profanity_scores(texts: Sequence[str]) -> list[float]:
    """The classifier's probability that each text is offensive, in one batched call."""
    if not texts:
        return []
    vectorizer, model = _classifier()
    return [float(p[1]) for p in model.predict_proba(vectorizer.transform(list(texts)))]


def _fold(text: str) -> str:
    """Accents and full-width forms folded, so the classifier sees plain letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def caps_score(text: str) -> float:
    """Share of capital letters, counted only when there are enough letters to shout."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 10:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


def repetition_score(text: str) -> float:
    """How much of a long message repeats its own words ("follow me follow me ...")."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < 6:
        return 0.0
    return 1 - len(set(words)) / len(words)


def links_score(text: str) -> float:
    """Links: one is suspicious at the strictest level, several are spam."""
    count = len(_URL.findall(text))
    return {0: 0.0, 1: 0.7}.get(count, 0.95)


def flood_score(text: str) -> float:
    """Character floods: long runs of one character, or mostly symbols."""
    if len(text) < 12:
        return 0.0
    runs = sum(len(m.group(0)) for m in _RUN.finditer(text))
    symbols = sum(1 for c in text if not (c.isalnum() or c.isspace()))
    return min(1.0, max(runs / len(text) * 1.2, symbols / len(text)))


def judge_many(texts: Sequence[str], *, level: int) -> list[Verdict]:
    """One verdict per text at the room's ``level``; the classifier runs once for all."""
    profanity = profanity_scores([_fold(t) for t in texts]) if level > 0 else [0.0] * len(texts)
    verdicts = []
    for text, prof in zip(texts, profanity, strict=True):
        scores = {
            "profanity": round(prof, 3),
            "caps": round(caps_score(text), 3),
            "repetition": round(repetition_score(text), 3),
            "links": round(links_score(text), 3),
            "flood": round(flood_score(text), 3),
        }
        verdicts.append(decide(scores, level=level))
    return verdicts


def judge(text: str, *, level: int) -> Verdict:
    return judge_many([text], level=level)[0]


def decide(scores: dict[str, float], *, level: int) -> Verdict:
    """Block if any category reaches its block threshold, else hold if any reaches hold."""
    if level <= 0:
        return Verdict(ALLOW, "", scores)
    thresholds = LEVELS[min(level, 4)]
    for decision, index in ((BLOCK, 1), (HOLD, 0)):
        over = [
            (scores[c], c)
            for c in CATEGORIES
            if thresholds[c][index] is not None and scores[c] >= thresholds[c][index]
        ]
        if over:
            return Verdict(decision, max(over)[1], scores)
    return Verdict(ALLOW, "", scores)


@dataclass(frozen=True)
class LevelQuality:
    level: int
    flagged: int  # held or blocked
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def evaluate(sample: Sequence[tuple[str, bool]]) -> dict[int, LevelQuality]:
    """Precision and recall of "held or blocked" against the labels, for each level."""
    texts = [text for text, _ in sample]
    quality = {}
    for level in range(5):
        caught = [v.decision != ALLOW for v in judge_many(texts, level=level)]
        pairs = list(zip(caught, (label for _, label in sample), strict=True))
        quality[level] = LevelQuality(
            level=level,
            flagged=sum(c for c, _ in pairs),
            true_positives=sum(c and label for c, label in pairs),
            false_positives=sum(c and not label for c, label in pairs),
            false_negatives=sum(label and not c for c, label in pairs),
        )
    return quality
