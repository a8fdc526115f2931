"""Blocked terms: a room's own (its moderators) and the global ones (staff)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from chatsite.errors import ChatRefused, ErrorCode
from chatsite.redis import redis_client
from moderation.actions.audit import Action, audit_write, require_moderator, require_staff
from moderation.models import BlockedTerm
from moderation.selectors import blocked_terms_cache_clear, blocked_terms_version_key
from moderation.terms import Term
from rooms.models import Room


def blocked_terms_changed() -> None:
    """Tell every process to rebuild its compiled terms (after the commit)."""
    redis_client().incr(blocked_terms_version_key())
    blocked_terms_cache_clear()  # this process at once; the others on their next send


@transaction.atomic
def blocked_term_add(*, pattern: str, room: Room | None = None, actor=None,
                     source: str) -> BlockedTerm:  # fmt: skip
    """Block ``pattern`` in ``room`` (everywhere when None: staff only); every process
    sees it at once. A room's term is audited in its room."""
    if room is None:
        require_staff(actor=actor, what="block terms everywhere")
    else:
        require_moderator(room=room, actor=actor, what="change the blocked terms")
    pattern = " ".join(pattern.split())
    if Term.parse(pattern) is None:
        raise ChatRefused(ErrorCode.INVALID_TERM)
    existing = BlockedTerm.objects.filter(pattern=pattern, room=room).first()
    if existing is not None:
        return existing  # blocking a blocked term changes nothing
    term = BlockedTerm(pattern=pattern, room=room, created_by=actor)
    try:
        term.full_clean()
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise ChatRefused(ErrorCode.INVALID_TERM, " ".join(messages)) from error
    term.save()
    transaction.on_commit(blocked_terms_changed)
    if room is not None:
        audit_write(room=room, actor=actor, action=Action.TERM_ADD, reason=term.pattern,
                    source=source)  # fmt: skip
    return term


@transaction.atomic
def blocked_term_remove(*, term: BlockedTerm, actor, source: str) -> None:
    """Unblock a term (a room's: its moderators; a global one: staff)."""
    if term.room is None:
        require_staff(actor=actor, what="change global terms")
    else:
        require_moderator(room=term.room, actor=actor, what="change the blocked terms")
    room, pattern = term.room, term.pattern
    term.delete()
    transaction.on_commit(blocked_terms_changed)
    if room is not None:
        audit_write(room=room, actor=actor, action=Action.TERM_REMOVE, reason=pattern,
                    source=source)  # fmt: skip


def room_term_add(*, room: Room, actor, pattern: str, source: str) -> BlockedTerm:
    """A moderator blocks a term in their room."""
    return blocked_term_add(pattern=pattern, room=room, actor=actor, source=source)


def room_term_remove(*, room: Room, actor, term_id: int, source: str) -> None:
    """A moderator unblocks one of their room's terms."""
    require_moderator(room=room, actor=actor, what="change the blocked terms")
    term = BlockedTerm.objects.filter(room=room, pk=term_id).first()
    if term is None:
        raise ChatRefused(ErrorCode.TERM_NOT_FOUND)
    blocked_term_remove(term=term, actor=actor, source=source)
