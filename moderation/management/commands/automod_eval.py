import time

from django.core.management.base import BaseCommand

from moderation import automod
from moderation.evalset import SAMPLE


class Command(BaseCommand):
    help = (
        "Measure AutoMod on the labelled sample (moderation/evalset.py): precision and recall "
        "of holding or blocking at each level, and the classifier's cost; prints markdown."
    )

    def handle(self, *args, **options) -> None:
        automod.warm_up()
        texts = [text for text, _ in SAMPLE]
        started = time.perf_counter()
        for _ in range(10):
            automod.judge_many(texts, level=3)
        batched = (time.perf_counter() - started) / (10 * len(texts))
        started = time.perf_counter()
        for text in texts:
            automod.judge(text, level=3)
        single = (time.perf_counter() - started) / len(texts)

        wanted = sum(label for _, label in SAMPLE)
        self.stdout.write(
            f"{len(SAMPLE)} lines, {wanted} that should be kept off screen.\n\n"
            "| level | held or blocked | right | wrongly held | missed | precision | recall |\n"
            "|---|---|---|---|---|---|---|"
        )
        for level, q in automod.evaluate(SAMPLE).items():
            self.stdout.write(
                f"| {level} | {q.flagged} | {q.true_positives} | {q.false_positives} | "
                f"{q.false_negatives} | {q.precision:.2f} | {q.recall:.2f} |"
            )
        self.stdout.write(
            f"\nCost per message: {single * 1e6:.0f} µs one at a time, "
            f"{batched * 1e6:.0f} µs in a batch of {len(texts)} "
            f"({1 / batched:,.0f} messages/s per worker process)."
        )
