"""The mod dashboard page: a shell; the live data comes over ``/ws/mod/<slug>/``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from emotes.selectors import badge_catalog, emote_catalog
from moderation.automod import CATEGORIES, LEVELS
from moderation.models import AuditEntry
from rooms.models import AUTOMOD_LEVELS
from rooms.permissions import is_broadcaster
from rooms.selectors import room_get, user_moderates


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    room = room_get(slug=slug)
    if not user_moderates(room=room, user=request.user):
        raise PermissionDenied("Only this room's moderators can open its dashboard.")
    return render(
        request,
        "moderation/dashboard.html",
        {
            "room": room,
            "automod_levels": AUTOMOD_LEVELS,
            "audit_actions": AuditEntry.Action.choices,
            "audit_sources": AuditEntry.Source.choices,
            "dashboard_config": {
                "room": room.slug,
                "socket": f"/ws/mod/{room.slug}/",
                "api": f"/api/rooms/{room.slug}/",
                "me": request.user.username,
                "broadcaster": room.owner.username,
                "isBroadcaster": is_broadcaster(user=request.user, room=room),
                "emotes": emote_catalog(room_id=room.id),
                "badges": badge_catalog(),
                "automodCategories": CATEGORIES,
                "automodLevels": {str(k): v for k, v in LEVELS.items()},
            },
        },
    )
