"""Who may moderate whom: small pure predicates."""

from rooms.models import Membership, Room
from rooms.permissions import is_moderator


def can_act_on(
    *,
    actor,
    actor_membership: Membership | None,
    target,
    target_membership: Membership | None,
    room: Room,
) -> bool:
    """A moderator may act on chatters; nobody acts on the broadcaster or on themselves;
    only the broadcaster and staff act on moderators."""
    if not is_moderator(user=actor, room=room, membership=actor_membership):
        return False
    if target.id == room.owner_id or target.id == actor.id:
        return False
    target_moderates = is_moderator(user=target, room=room, membership=target_membership)
    return not target_moderates or actor.id == room.owner_id or actor.is_staff
