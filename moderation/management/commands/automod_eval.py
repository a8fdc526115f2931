import time

from django.core.management.base import BaseCommand

from moderation import automod
from moderation.automod.quality import evaluate, flagged_by_kind
from moderation.evalset import CLEAN_KINDS, HELD_OUT, TOXIC_KINDS, TUNE, lines
from moderation.normalize import tokens


class Command(BaseCommand):
    help = (
        "Measure AutoMod on the labelled lines (moderation/evaldata/): precision, recall and "
        "F1 of holding or blocking at each level, what it catches of each kind, and its cost; "
        "prints markdown. Reports the held-out part unless told otherwise."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--part", choices=[HELD_OUT, TUNE, "all"], default=HELD_OUT)
        parser.add_argument("--mistakes", type=int, metavar="LEVEL",
                            help="also list the lines judged wrongly at LEVEL")  # fmt: skip

    def handle(self, *args, part: str, mistakes: int | None, **options) -> None:
        automod.warm_up()
        chosen = [line for line in lines() if part in ("all", line.part)]
        sample = [(line.text, line.toxic) for line in chosen]
        toxic = sum(label for _, label in sample)
        self.stdout.write(
            f"AutoMod on the {part} part: {len(sample)} lines, {toxic} that should be kept off "
            "screen.\n\n| level | held or blocked | right | wrongly held | missed | precision "
            "| recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|"
        )
        for level, q in evaluate(sample).items():
            self.stdout.write(
                f"| {level} | {q.flagged} | {q.true_positives} | {q.false_positives} | "
                f"{q.false_negatives} | {q.precision:.2f} | {q.recall:.2f} | {q.f1:.2f} |"
            )
        by_level = {level: flagged_by_kind(chosen, level=level) for level in range(1, 5)}
        self.stdout.write("\nHeld or blocked, by kind of line (toxic kinds first):\n\n"
                          "| kind | lines | level 1 | level 2 | level 3 | level 4 |\n"
                          "|---|---:|---:|---:|---:|---:|")  # fmt: skip
        for kind in TOXIC_KINDS + CLEAN_KINDS:
            if kind not in by_level[1]:
                continue
            total = by_level[1][kind][1]
            cells = " | ".join(f"{by_level[level][kind][0] / total:.0%}" for level in range(1, 5))
            self.stdout.write(f"| {kind} | {total} | {cells} |")
        self._cost(sample)
        if mistakes is not None:
            verdicts = automod.judge_many([t for t, _ in sample], level=mistakes)
            self.stdout.write(f"\nMistakes at level {mistakes}:")
            for line, verdict in zip(chosen, verdicts, strict=True):
                if (verdict.decision != automod.ALLOW) != line.toxic:
                    what = verdict.reason or "missed"
                    self.stdout.write(f"  [{line.kind}] {line.text!r}: {what}")

    def _cost(self, sample) -> None:
        texts = [text for text, _ in sample]
        tokens.cache_clear()  # every line read afresh, as a new message is
        started = time.perf_counter()
        for start in range(0, len(texts), 32):
            automod.judge_many(texts[start : start + 32], level=3)
        batched = (time.perf_counter() - started) / len(texts)
        tokens.cache_clear()
        started = time.perf_counter()
        for text in texts:
            automod.judge(text, level=3)
        single = (time.perf_counter() - started) / len(texts)
        self.stdout.write(
            f"\nCost per message: {single * 1e6:.0f} µs alone, {batched * 1e6:.0f} µs in "
            f"batches of 32 ({1 / batched:,.0f} messages/s per worker process)."
        )
