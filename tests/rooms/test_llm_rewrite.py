"""The LLM rewrite service against a real OpenAI-compatible server on loopback."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rooms.actions.messages import message_send
from rooms.models import Message
from rooms.skibidi.breaker import breaker_is_open
from rooms.skibidi.llm import OpenAIBackend
from rooms.skibidi.rewrite import message_llm_rewrite
from tests.factories import EmoteFactory, RoomFactory, StyleFactory
from tests.llm_server import FakeOpenAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm():
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def backend(llm):
    return OpenAIBackend(base_url=llm.base_url, model="test-model", timeout=0.5)


@pytest.fixture
def sent(user):
    style = StyleFactory(
        llm_system_prompt="Talk like a bard.",
        llm_examples=[["hi", "hail"]],
        llm_temperature=0.3,
        llm_max_tokens=50,
    )
    room = RoomFactory(style=style)
    EmoteFactory(code="PogHype")
    return message_send(room=room, author=user, text="hello @friend PogHype").message


def test_the_rewrite_replaces_the_text_and_is_broadcast_after_commit(
    sent, backend, llm, django_capture_on_commit_callbacks
):
    llm.reply = "Hark! Well met and hello,"
    with django_capture_on_commit_callbacks() as callbacks:
        assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "rewritten"
    updated = Message.objects.get(pk=sent.pk)
    # The model was asked about "hello" alone: the name and the emote code at the end go
    # back around its line untouched, where a small model would have mangled them.
    assert updated.display_text == "Hark! Well met and hello, @friend PogHype"
    assert updated.engine == "llm:test-model"
    assert updated.original_text == "hello @friend PogHype"
    assert updated.emotes[0][1:] == [
        len("Hark! Well met and hello, @friend "),
        len("Hark! Well met and hello, @friend ") + 6,
    ]
    assert len(callbacks) == 1
    body = llm.requests[0]["body"]
    assert body["messages"][0] == {"role": "system", "content": "Talk like a bard."}
    assert body["messages"][-1] == {"role": "user", "content": "Message: hello"}
    assert body["temperature"] == 0.3


def test_rewriting_twice_changes_nothing_more(sent, backend, llm):
    llm.reply = "Hark, hello there"
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "rewritten"
    llm.reply = "Something else"
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == ""
    assert Message.objects.get(pk=sent.pk).display_text == "Hark, hello there @friend PogHype"
    assert len(llm.requests) == 1


@pytest.mark.parametrize(
    "reply",
    ["", "Rewrite the chat message: hi", "Hark, thy castle burneth", "I'm sorry, I cannot do that"],
)
def test_an_output_that_fails_the_checks_keeps_the_instant_text(sent, backend, llm, reply):
    llm.reply = reply
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "kept"
    message = Message.objects.get(pk=sent.pk)
    assert message.engine == "instant"
    assert message.display_text == sent.display_text


def test_a_message_too_old_to_matter_is_not_rewritten(sent, backend, llm, settings):
    Message.objects.filter(pk=sent.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.LLM_MAX_AGE + 1)
    )
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "skipped"
    assert llm.requests == []


def test_a_hidden_or_missing_message_is_left_alone(sent, backend, llm):
    Message.objects.filter(pk=sent.pk).update(state=Message.State.DELETED)
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == ""
    missing = "00000000-0000-0000-0000-000000000000"
    assert message_llm_rewrite(message_id=missing, backend=backend) == ""
    assert llm.requests == []


def test_failures_open_the_shared_breaker_which_then_spares_the_backend(
    sent, backend, llm, settings
):
    settings.LLM_BREAKER_FAILURES = 3
    llm.status = 500
    for _ in range(3):
        assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "failed"
    assert breaker_is_open()
    assert len(llm.requests) == 3
    llm.status = 200
    llm.reply = "Hark, hello there"
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "failed"
    assert len(llm.requests) == 3  # not called while open
    assert Message.objects.get(pk=sent.pk).engine == "instant"


def test_the_breaker_closes_again_after_its_cooldown(sent, backend, llm, settings):
    from django.core.cache import cache

    from rooms.skibidi.breaker import OPEN_KEY

    settings.LLM_BREAKER_FAILURES = 1
    llm.delay = 1.0  # slower than the backend's timeout
    message_llm_rewrite(message_id=str(sent.pk), backend=backend)
    assert breaker_is_open()
    cache.delete(OPEN_KEY)  # what the cooldown's expiry does
    llm.delay = 0
    llm.reply = "Hark, hello there"
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "rewritten"


def test_a_rewrite_with_a_blocked_term_keeps_the_instant_text(
    sent, backend, llm, django_capture_on_commit_callbacks
):
    from moderation.actions.terms import blocked_term_add

    with django_capture_on_commit_callbacks(execute=True):
        blocked_term_add(pattern="heck*", room=sent.room, actor=sent.room.owner, source="api")
    llm.reply = "Hark, hello there, what the heckin"
    assert message_llm_rewrite(message_id=str(sent.pk), backend=backend) == "kept"
    assert Message.objects.get(pk=sent.pk).engine == "instant"


def test_a_shadow_banned_chatters_rewrite_goes_where_their_message_went(
    user, backend, llm, committing
):
    """To the chatter, as if all were well, and to the moderators; not to everyone."""
    from moderation.actions.bans import shadow_ban
    from tests.published import Published

    room = RoomFactory()
    shadow_ban(room=room, actor=room.owner, target=user, source="api")
    shadowed = message_send(room=room, author=user, text="hello @friend").message
    assert shadowed.state == Message.State.SHADOWED
    watcher = Published(room.id)
    try:
        llm.reply = "Hark, hello there"
        with committing():
            assert message_llm_rewrite(message_id=str(shadowed.pk), backend=backend) == (
                "rewritten"
            )
        groups = watcher.by_group()
    finally:
        watcher.close()
    expected = {f"room.{room.id}.user.{user.id}", f"room.{room.id}.mods"}
    assert set(groups) == expected
    for frames in groups.values():
        assert [(f["type"], f["text"]) for f in frames] == [("update", "Hark, hello there @friend")]


def test_each_worker_process_shows_the_examples_from_its_own_place(monkeypatch):
    """The model leans on the last example: worker processes rotate them, each keeping its
    order (and so its evaluated prompt)."""
    from rooms.skibidi import rewrite

    style = StyleFactory.build(llm_examples=[["a", "A"], ["b", "B"], ["c", "C"]])
    orders = set()
    for turn in range(3):
        monkeypatch.setattr(rewrite, "_ROTATION", turn)
        orders.add(tuple(original for original, _ in rewrite.style_prompt(style).examples))
    assert orders == {("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")}
