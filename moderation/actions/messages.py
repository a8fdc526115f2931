"""Taking messages off every screen: one (``message_delete``) or all (``chat_clear``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from chatsite.errors import ChatRefused, ErrorCode
from moderation.actions.audit import (
    Action,
    audit_write,
    everyone_tell,
    require_moderator,
    require_power,
)
from rooms import events
from rooms.models import Message, Room


@transaction.atomic
def message_delete(*, room: Room, actor, message_id: str, source: str) -> None:
    """Take one message off every screen (moderators; not the broadcaster's or a fellow mod's)."""
    try:
        message = Message.objects.select_related("author").filter(room=room, pk=message_id).first()
    except ValidationError:  # not a UUID
        message = None
    if message is None:
        raise ChatRefused(ErrorCode.MESSAGE_NOT_FOUND)
    if message.author is not None and message.author_id != actor.id:
        require_power(room=room, actor=actor, target=message.author)
    else:
        require_moderator(room=room, actor=actor, what="delete messages")
    if message.state == Message.State.DELETED:
        return
    message.state = Message.State.DELETED
    message.save(update_fields=["state"])
    audit_write(room=room, actor=actor, target=message.author, action=Action.DELETE,
                source=source, reason=message.original_text, message=message)  # fmt: skip
    everyone_tell(room.id, events.delete_frame(message))


@transaction.atomic
def chat_clear(*, room: Room, actor, source: str) -> None:
    """Clear the chat for everyone: every message so far leaves every screen and the history."""
    require_moderator(room=room, actor=actor, what="clear the chat")
    Room.objects.filter(pk=room.pk).update(cleared_seq=F("last_seq"))
    room.refresh_from_db(fields=["last_seq", "cleared_seq"])
    audit_write(room=room, actor=actor, action=Action.CLEAR, source=source,
                reason=f"through #{room.cleared_seq}")  # fmt: skip
    everyone_tell(room.id, events.clear_chat_frame())
