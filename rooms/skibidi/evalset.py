"""The chat lines skibidification is measured on (``manage.py skibidi_eval``; pure data).

``evaldata/lines.tsv`` holds one line a row, ``kind<TAB>text``, written for this project:
greetings, questions, hype and reactions, directions and yes-or-no answers (whose meaning a
careless rewrite flips), emotes and @mentions (which must survive, in order), numbers,
non-English lines, one-word lines, long lines, requests, stream talk. Emote codes are the
demo's. Each line falls in one of two fixed parts by a hash of its text: ``tune`` (look at
it, change prompts and checks for it) and ``held_out`` (only ever reported).
"""

import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "evaldata" / "lines.tsv"
TUNE, HELD_OUT = "tune", "held_out"
DEMO_EMOTES = frozenset(["PogHype", "OhioSkull", "SadgeCry", "SigmaShades", "BestieLove",
                         "GlowSmile", "NoCapFace"])  # fmt: skip


@dataclass(frozen=True)
class Line:
    text: str
    kind: str

    @property
    def part(self) -> str:
        return HELD_OUT if zlib.crc32(self.text.encode()) % 2 else TUNE


@cache
def lines() -> tuple[Line, ...]:
    read = []
    for number, row in enumerate(DATA.read_text().splitlines(), 1):
        kind, _, text = row.partition("\t")
        if not kind or not text:
            raise ValueError(f"{DATA.name} line {number}: expected kind<TAB>text")
        read.append(Line(text, kind))
    return tuple(read)


def part(name: str | None) -> list[Line]:
    """The lines of one part (``tune`` or ``held_out``), or every line."""
    return [line for line in lines() if name in (None, line.part)]
