"""Writes that change rooms and their memberships.

The message pipeline (``message_send``) and the moderation actions join this
module in the issues that build them.
"""

from django.db import transaction

from chatsite.users.models import User
from rooms.models import Membership, Room, Style


@transaction.atomic
def room_create(*, slug: str, title: str, style: Style, owner: User, description: str = "") -> Room:
    room = Room(slug=slug, title=title, style=style, owner=owner, description=description)
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def membership_set(
    *,
    room: Room,
    user: User,
    is_moderator: bool = False,
    is_vip: bool = False,
    subscriber_tier: int = 0,
    subscriber_months: int = 0,
) -> Membership:
    """Give ``user`` exactly these roles in ``room``."""
    membership, _ = Membership.objects.update_or_create(
        room=room,
        user=user,
        defaults={
            "is_moderator": is_moderator,
            "is_vip": is_vip,
            "subscriber_tier": subscriber_tier,
            "subscriber_months": subscriber_months,
        },
    )
    return membership
