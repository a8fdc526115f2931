"""Who may do what in a room: small pure predicates shared by every interface."""

from rooms.models import Membership, Room


def is_moderator(*, user, room: Room, membership: Membership | None) -> bool:
    """Broadcaster, the room's moderators and staff moderate a room."""
    if user is None or not user.is_authenticated:
        return False
    return (
        user.id == room.owner_id
        or user.is_staff
        or (membership is not None and membership.is_moderator)
    )
