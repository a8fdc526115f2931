"""Cost of AutoMod per message: judged alone, and in the batches its task drains.

python bench/automod.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.automod import judge, judge_many, warm_up
from moderation.evalset import SAMPLE

TEXTS = [text for text, _ in SAMPLE]
ROUNDS = 3

warm_up()
started = time.perf_counter()
for _ in range(ROUNDS):
    for text in TEXTS:
        judge(text, level=2)
alone = (time.perf_counter() - started) / (ROUNDS * len(TEXTS))

batch = TEXTS[:32]
started = time.perf_counter()
for _ in range(ROUNDS * 10):
    judge_many(batch, level=2)
batched = (time.perf_counter() - started) / (ROUNDS * 10 * len(batch))
print(f"AutoMod: {alone * 1e6:.0f} µs per message alone (budget 1,000 µs), "
      f"{batched * 1e6:.0f} µs per message in batches of {len(batch)} (budget 100 µs)")  # fmt: skip
