"""Which badges a chatter wears in a room (pure: no Django imports)."""

from typing import Protocol

# Tier-1 subscriber badge versions by months subscribed (the demo ships these);
# tiers 2 and 3 use Twitch's 2000 and 3000 versions.
SUBSCRIBER_MONTH_STEPS = (0, 3, 6, 12)

Badge = tuple[str, str]  # set, version


class _User(Protocol):
    id: int
    is_staff: bool
    is_verified_bot: bool
    is_turbo: bool


class _Membership(Protocol):
    is_moderator: bool
    is_vip: bool
    subscriber_tier: int
    subscriber_months: int


def subscriber_version(tier: int, months: int) -> str:
    if tier >= 2:
        return str(tier * 1000)
    return str(max(step for step in SUBSCRIBER_MONTH_STEPS if step <= max(months, 0)))


def badges_for(*, user: _User, membership: _Membership | None, owner_id: int) -> list[Badge]:
    """Badges in Twitch's order: role first, then subscriber, then global flags."""
    badges: list[Badge] = []
    if user.id == owner_id:
        badges.append(("broadcaster", "1"))
    elif membership is not None and membership.is_moderator:
        badges.append(("moderator", "1"))
    elif membership is not None and membership.is_vip:
        badges.append(("vip", "1"))
    if user.is_staff:
        badges.append(("staff", "1"))
    if membership is not None and membership.subscriber_tier > 0:
        badges.append(
            (
                "subscriber",
                subscriber_version(membership.subscriber_tier, membership.subscriber_months),
            )
        )
    if user.is_verified_bot:
        badges.append(("verified-bot", "1"))
    if user.is_turbo:
        badges.append(("turbo", "1"))
    return badges
