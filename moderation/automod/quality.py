"""How good AutoMod is on a labelled sample: per level, and per kind of line (pure)."""

from collections.abc import Sequence
from dataclasses import dataclass

from moderation.automod import ALLOW, judge_many


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

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


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


def flagged_by_kind(lines: Sequence, *, level: int) -> dict[str, tuple[int, int]]:
    """For each kind of line: (how many were held or blocked, how many there are)."""
    verdicts = judge_many([line.text for line in lines], level=level)
    counts: dict[str, list[int]] = {}
    for line, verdict in zip(lines, verdicts, strict=True):
        count = counts.setdefault(line.kind, [0, 0])
        count[0] += verdict.decision != ALLOW
        count[1] += 1
    return {kind: (flagged, total) for kind, (flagged, total) in counts.items()}
