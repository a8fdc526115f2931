"""Cost of AutoMod per message: judged alone, and in the batches its task drains.

python bench/automod.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.automod import judge, judge_many, warm_up
from moderation.evalset import lines
from moderation.normalize import tokens

TEXTS = [line.text for line in lines()]
ROUNDS = 3

warm_up()
judge_many(TEXTS, level=2)
alone = batched = 0.0
for _ in range(ROUNDS):  # each round reads the lines afresh, as new messages
    tokens.cache_clear()
    started = time.perf_counter()
    for text in TEXTS:
        judge(text, level=2)
    alone += (time.perf_counter() - started) / (ROUNDS * len(TEXTS))
    tokens.cache_clear()
    started = time.perf_counter()
    for start in range(0, len(TEXTS), 32):
        judge_many(TEXTS[start : start + 32], level=2)
    batched += (time.perf_counter() - started) / (ROUNDS * len(TEXTS))
batch = TEXTS[:32]
print(f"AutoMod: {alone * 1e6:.0f} µs per message alone (budget 1,000 µs), "
      f"{batched * 1e6:.0f} µs per message in batches of {len(batch)} (budget 100 µs)")  # fmt: skip
