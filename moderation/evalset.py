"""The labelled chat lines AutoMod is measured on (``manage.py automod_eval``; pure data).

``evaldata/toxic.tsv`` and ``evaldata/clean.tsv`` hold one line a row, ``kind<TAB>text``,
written for this project. Toxic kinds are what a moderator wants kept off the screen;
clean kinds are what must get through, including the rough-sounding talk that naive
filters catch (gaming violence, people calling themselves names, praise with a swear in
it). Each line falls in one of two fixed parts by a hash of its text: ``tune`` (look at
it, change the rules for it) and ``held_out`` (only ever reported, never tuned on).
"""

import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "evaldata"
TOXIC_KINDS = ("insult", "obfuscated", "threat", "self_harm", "sexual", "hate", "spam")
CLEAN_KINDS = ("gaming_violence", "self_deprecation", "rude_praise", "hype", "question",
               "emote_spam", "ordinary")  # fmt: skip
TUNE, HELD_OUT = "tune", "held_out"


@dataclass(frozen=True)
class Line:
    text: str
    kind: str
    toxic: bool

    @property
    def part(self) -> str:
        return part_of(self.text)


def part_of(text: str) -> str:
    """The fixed part a line belongs to: half of the lines, by a hash of the text."""
    return HELD_OUT if zlib.crc32(text.encode()) % 2 else TUNE


@cache
def lines() -> tuple[Line, ...]:
    read = []
    for name, toxic, kinds in (("toxic", True, TOXIC_KINDS), ("clean", False, CLEAN_KINDS)):
        for number, row in enumerate((DATA / f"{name}.tsv").read_text().splitlines(), 1):
            kind, _, text = row.partition("\t")
            if kind not in kinds or not text:
                raise ValueError(f"evaldata/{name}.tsv line {number}: unknown kind or no text")
            read.append(Line(text, kind, toxic))
    return tuple(read)


def sample(part: str | None = None) -> list[tuple[str, bool]]:
    """(text, toxic) pairs of one part, or of every line."""
    return [(line.text, line.toxic) for line in lines() if part in (None, line.part)]
