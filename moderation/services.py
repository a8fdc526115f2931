"""Writes of the moderation app."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from moderation.models import BlockedTerm
from moderation.selectors import VERSION_KEY, blocked_terms_cache_clear
from moderation.terms import Term


def blocked_terms_changed() -> None:
    """Tell every process to rebuild its compiled terms (admin edits call this too)."""
    cache.add(VERSION_KEY, 0, None)
    cache.incr(VERSION_KEY)
    blocked_terms_cache_clear()  # this process at once; the others within a second


@transaction.atomic
def blocked_term_add(*, pattern: str, room=None, actor=None) -> BlockedTerm:
    """Block ``pattern`` in ``room`` (everywhere when None); every process sees it at once."""
    pattern = " ".join(pattern.split())
    if Term.parse(pattern) is None:
        raise ValidationError({"pattern": "A term needs at least one letter."})
    term = BlockedTerm(pattern=pattern, room=room, created_by=actor)
    term.full_clean()
    term.save()
    transaction.on_commit(blocked_terms_changed)
    return term


@transaction.atomic
def blocked_term_remove(*, term: BlockedTerm) -> None:
    term.delete()
    transaction.on_commit(blocked_terms_changed)
