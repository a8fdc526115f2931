import pytest

from rooms.skibidi.llm import (
    EmbeddedBackend,
    LLMError,
    OpenAIBackend,
    StylePrompt,
    backend_from_config,
    chat_messages,
    embedded_model_path,
)
from tests.llm_server import FakeOpenAI


@pytest.fixture
def server():
    fake = FakeOpenAI()
    yield fake
    fake.close()


def test_prompt_is_system_then_examples_then_the_message():
    style = StylePrompt(system="be a bard", examples=[("hi", "hail")])
    assert chat_messages(style, "yo") == [
        {"role": "system", "content": "be a bard"},
        {"role": "user", "content": "Message: hi"},
        {"role": "assistant", "content": "hail"},
        {"role": "user", "content": "Message: yo"},
    ]


def test_openai_backend_sends_a_chat_completion_and_reads_the_reply(server):
    server.reply = "Hark, well met!"
    backend = OpenAIBackend(base_url=server.base_url, model="llama3.2", api_key="sk-test")
    reply = backend.complete([{"role": "user", "content": "hi"}], temperature=0.5, max_tokens=40)
    assert reply == "Hark, well met!"
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["auth"] == "Bearer sk-test"
    assert sent["body"]["model"] == "llama3.2"
    assert sent["body"]["max_tokens"] == 40


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"status": 500}, "answered 500"),
        ({"garbage": True}, "other than JSON"),
        ({"delay": 2.0}, "unreachable"),
    ],
)
def test_openai_backend_failures_become_llm_errors(server, setup, message):
    for key, value in setup.items():
        setattr(server, key, value)
    backend = OpenAIBackend(base_url=server.base_url, model="m", timeout=0.5)
    with pytest.raises(LLMError, match=message):
        backend.complete([{"role": "user", "content": "hi"}], temperature=0.5, max_tokens=10)


def test_an_unreachable_server_is_an_llm_error():
    backend = OpenAIBackend(base_url="http://127.0.0.1:9/v1", model="m", timeout=1)
    with pytest.raises(LLMError, match="unreachable"):
        backend.complete([], temperature=0, max_tokens=1)


def test_backends_are_chosen_by_name():
    assert backend_from_config("off") is None
    assert isinstance(backend_from_config("embedded"), EmbeddedBackend)
    with pytest.raises(LLMError, match="LLM_BASE_URL"):
        backend_from_config("openai")
    with pytest.raises(LLMError, match="Unknown"):
        backend_from_config("gpt-9000")


def test_the_bundled_model_file_is_found_inside_its_package():
    path = embedded_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000
    assert "site-packages" in str(path)


def test_the_bundled_model_gives_accepted_rewrites_through_every_check():
    """The worker's path (``llm_attempt``) with the bundled model and the real meaning
    check: most presets' rewrites of an ordinary line pass, each one line, on-style."""
    from rooms.skibidi import meaning
    from rooms.skibidi.attempt import llm_attempt
    from rooms.skibidi.cleaning import has_marker
    from rooms.skibidi.evaluation import style_prompt
    from rooms.skibidi.presets import STYLES

    backend = EmbeddedBackend(threads=2, seed=1)
    accepted = 0
    for preset in STYLES:
        original = "hello everyone, this stream is great PogHype"
        attempt = llm_attempt(backend, style_prompt(preset), original, emotes={"PogHype"},
                              markers=preset["markers"], similarity=meaning.similarity)  # fmt: skip
        if attempt.refused is None:
            accepted += 1
            assert "\n" not in attempt.text
            assert attempt.text.endswith(" PogHype")  # the code, untouched, where it was
            assert has_marker(attempt.text, preset["markers"])
    assert accepted >= 2


def test_fresh_processes_do_not_all_sample_alike():
    """llama.cpp's "random" seed gave every new worker the same outputs: each backend
    without a seed of its own now draws one."""
    seeds = {EmbeddedBackend().seed for _ in range(5)}
    assert len(seeds) == 5
    assert EmbeddedBackend(seed=7).seed == 7
