"""Cost of the instant engine per message, over the evaluation lines and every preset style.

python bench/instant.py
"""

import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rooms.skibidi.evalset import DEMO_EMOTES, lines
from rooms.skibidi.instant import render_instant, validate_rules
from rooms.skibidi.presets import STYLES

ROUNDS = 200

for style in STYLES:
    rules = validate_rules(style["instant_rules"])
    per_line = []
    for seed, line in enumerate(line.text for line in lines()):
        seconds = timeit.timeit(
            lambda line=line, seed=seed, rules=rules: render_instant(
                line, rules, seed=seed, emotes=DEMO_EMOTES
            ),
            number=ROUNDS,
        )
        per_line.append(seconds / ROUNDS)
    per_line.sort()
    print(
        f"{style['name']:<14} mean {statistics.fmean(per_line) * 1e6:5.1f} µs   "
        f"p99 {per_line[int(len(per_line) * 0.99)] * 1e6:5.1f} µs   "
        f"max {per_line[-1] * 1e6:5.1f} µs"
    )
