"""Measuring skibidification quality (used by ``manage.py skibidi_eval``; no Django).

Every line is rewritten by the instant rules and by the LLM path exactly as the worker runs
it (``rooms.skibidi.attempt``: prompt, backend, cleaning, every check). A rewrite is
**good** when it is on-style (one of the style's markers), keeps the original's emote codes
and @mentions, and keeps its meaning: the cosine of the two texts' all-MiniLM-L6-v2
embeddings is at least 0.5. What the project **accepts** is what passes its own checks;
what is **shown** is the accepted rewrite, or the instant text when the LLM's is refused.

Budgets (per style, held-out lines): at least 70% of messages get an accepted LLM
rewrite; at least 85% of what is shown is good; of what the checks accept, at least 90% is
good.
"""

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rooms.skibidi.attempt import keep_words, llm_attempt
from rooms.skibidi.cleaning import has_marker
from rooms.skibidi.evalset import DEMO_EMOTES, Line
from rooms.skibidi.instant import render_instant, validate_rules
from rooms.skibidi.llm import Backend, StylePrompt

GOOD_MEANING = 0.5


@dataclass
class Sample:
    line: Line
    output: str  # the LLM's cleaned line, or the instant text
    accepted: bool
    refused: str | None
    seconds: float
    good: bool = False
    similarity: float = 0.0
    shown_good: bool = False  # what was shown for this line was good


@dataclass
class Row:
    style: str
    engine: str
    samples: list[Sample] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        n = len(self.samples)
        accepted = [s for s in self.samples if s.accepted]
        latencies = sorted(s.seconds for s in self.samples)
        return {
            "lines": n,
            "accepted": len(accepted) / n,
            "accepted_good": sum(s.good for s in accepted) / len(accepted) if accepted else 0.0,
            "good": sum(s.good for s in self.samples) / n,
            "shown_good": sum(s.shown_good for s in self.samples) / n,
            "meaning": statistics.fmean(s.similarity for s in self.samples),
            "latency_mean": statistics.fmean(latencies),
            "latency_p95": latencies[min(n - 1, int(n * 0.95))],
        }

    def refusals(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sample in self.samples:
            if sample.refused:
                reason = sample.refused.split(" ")[0]
                counts[reason] = counts.get(reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))


def style_prompt(style: dict) -> StylePrompt:
    return StylePrompt(
        system=style["llm_system_prompt"],
        examples=[tuple(pair) for pair in style["llm_examples"]],
        temperature=style.get("llm_temperature", 0.7),
        max_tokens=style.get("llm_max_tokens", 96),
    )


def evaluate(
    styles: Sequence[dict],
    lines: Sequence[Line],
    *,
    backend: Backend | None,
    similarity: Callable[[str, str], float],
    runs: int = 1,
) -> list[Row]:
    """One row for each style's instant rules, and one per style for the LLM (``runs``
    passes over the lines, when the backend samples)."""
    rows = []
    for style in styles:
        rules = validate_rules(style["instant_rules"])
        instant = Row(style["name"], "instant")
        for seed, line in enumerate(lines):
            output = render_instant(line.text, rules, seed=seed, emotes=DEMO_EMOTES)
            instant.samples.append(Sample(line, output, True, None, 0.0))
        _judge(instant, style, similarity, fallback=None)
        rows.append(instant)
        if backend is None:
            continue
        llm = Row(style["name"], f"llm:{backend.name}")
        for _ in range(runs):
            for line in lines:
                attempt = llm_attempt(backend, style_prompt(style), line.text,
                                      emotes=DEMO_EMOTES, markers=style["markers"],
                                      similarity=similarity)  # fmt: skip
                llm.samples.append(Sample(line, attempt.text, attempt.refused is None,
                                          attempt.refused, attempt.seconds))  # fmt: skip
        _judge(llm, style, similarity, fallback=instant.samples * runs)
        rows.append(llm)
    return rows


def _judge(
    row: Row, style: dict, similarity: Callable[[str, str], float], fallback: list | None
) -> None:
    """Mark each sample good or not, and whether what was shown for it was good."""
    for n, sample in enumerate(row.samples):
        sample.similarity = similarity(sample.line.text, sample.output) if sample.output else 0.0
        sample.good = _good(sample, style)
        if fallback is None or sample.accepted:
            sample.shown_good = sample.good
        else:
            sample.shown_good = fallback[n].good


def _good(sample: Sample, style: dict) -> bool:
    tokens = sample.output.split(" ")
    kept = all(word in tokens for word in keep_words(sample.line.text, DEMO_EMOTES))
    return (
        bool(sample.output)
        and kept
        and has_marker(sample.output, style["markers"])
        and sample.similarity >= GOOD_MEANING
    )


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| style | engine | lines | accepted | accepted that are good | all outputs good "
        "| shown good | meaning | latency mean | latency p95 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        s = row.summary()
        lines.append(
            f"| {row.style} | {row.engine} | {s['lines']} | {s['accepted']:.0%} "
            f"| {s['accepted_good']:.0%} | {s['good']:.0%} | {s['shown_good']:.0%} "
            f"| {s['meaning']:.2f} | {_duration(s['latency_mean'])} "
            f"| {_duration(s['latency_p95'])} |"
        )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"
