"""A room's own emotes (its broadcaster, or staff) and the global ones (staff): stored by
``emotes.services``, audited in the room they belong to. Chatters can type a new emote
within ``emotes.selectors._CODES_TTL`` seconds; pages draw it once reloaded."""

from django.db import transaction

from chatsite.errors import ChatRefused, ErrorCode
from emotes import services
from emotes.models import Emote
from moderation.actions.audit import Action, audit_write, require_staff
from rooms.models import Room
from rooms.permissions import is_broadcaster


def _require_emote_power(*, actor, room_id: int | None) -> Room | None:
    if room_id is None:
        require_staff(actor=actor, what="change global emotes")
        return None
    room = Room.objects.get(pk=room_id)
    if not is_broadcaster(user=actor, room=room):
        raise ChatRefused(ErrorCode.NOT_ALLOWED, "Only the broadcaster can change room emotes.")
    return room


@transaction.atomic
def emote_save(*, emote: Emote, actor, image_changed: bool, source: str) -> Emote:
    """Add or change an emote (``emote`` as edited, not yet stored)."""
    before = Emote.objects.filter(pk=emote.pk).values_list("room_id", flat=True).first()
    adding = emote._state.adding
    if not adding:
        _require_emote_power(actor=actor, room_id=before)  # and of the room it leaves
    room = _require_emote_power(actor=actor, room_id=emote.room_id)
    services.emote_save(emote=emote, image_changed=image_changed)
    if room is not None:
        audit_write(room=room, actor=actor, action=Action.EMOTE_ADD if adding else
                    Action.EMOTE_CHANGE, reason=emote.code, source=source)  # fmt: skip
    return emote


@transaction.atomic
def emote_delete(*, emote: Emote, actor, source: str) -> None:
    room = _require_emote_power(actor=actor, room_id=emote.room_id)
    code = emote.code
    services.emote_delete(emote=emote)
    if room is not None:
        audit_write(room=room, actor=actor, action=Action.EMOTE_REMOVE, reason=code,
                    source=source)  # fmt: skip
