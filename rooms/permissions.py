"""Who may do what in a room: small pure predicates, shared by every interface and action.

Each takes what it needs (the user, the room, their membership of it, already read)
and reads nothing itself.
"""

from rooms.models import Membership, Room


def is_staff(*, user) -> bool:
    """Staff run the site: every room, the global blocked terms and emotes, the styles."""
    return user is not None and user.is_authenticated and user.is_staff


def is_broadcaster(*, user, room: Room) -> bool:
    """The room's owner, or staff (who may do anything the broadcaster may)."""
    if user is None or not user.is_authenticated:
        return False
    return user.id == room.owner_id or user.is_staff


def is_moderator(*, user, room: Room, membership: Membership | None) -> bool:
    """Broadcaster, the room's moderators and staff moderate a room."""
    return is_broadcaster(user=user, room=room) or (
        membership is not None and membership.is_moderator
    )


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
    return not target_moderates or is_broadcaster(user=actor, room=room)


def can_change_roles(*, actor, room: Room, target) -> bool:
    """Only the broadcaster (or staff) makes and unmakes moderators and VIPs, and the
    broadcaster's own role never changes."""
    return is_broadcaster(user=actor, room=room) and target.id != room.owner_id


def may_chat_in_subscribers_only(*, membership: Membership | None) -> bool:
    return membership is not None and (membership.subscriber_tier > 0 or membership.is_vip)


def emote_tier(*, user, room: Room, membership: Membership | None) -> int:
    """The subscriber tier whose emotes ``user`` may use in ``room`` (all for the broadcaster)."""
    if is_broadcaster(user=user, room=room):
        return 3
    return membership.subscriber_tier if membership is not None else 0


def rate_role(*, user, room: Room, membership: Membership | None) -> str:
    """Which of ``CHAT_RATE_LIMITS`` applies: moderators', verified bots' or everyone's."""
    if is_moderator(user=user, room=room, membership=membership):
        return "moderator"
    return "bot" if user.is_verified_bot else "regular"
