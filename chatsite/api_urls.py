"""Everything under /api/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from chatsite.users import api as users_api
from emotes import api as emotes_api
from moderation import api as mod_api
from rooms import api as rooms_api

urlpatterns = [
    path("auth/register/", users_api.RegisterView.as_view(), name="api-register"),
    path("auth/token/", users_api.TokenView.as_view(), name="api-token"),
    path("auth/token/rotate/", users_api.TokenRotateView.as_view(), name="api-token-rotate"),
    path("me/", users_api.MeView.as_view(), name="api-me"),
    path("rooms/", rooms_api.RoomListView.as_view(), name="api-rooms"),
    path("rooms/<slug:slug>/", rooms_api.RoomDetailView.as_view(), name="api-room"),
    path("rooms/<slug:slug>/messages/", rooms_api.MessagesView.as_view(), name="api-messages"),
    path(
        "rooms/<slug:slug>/chatters/<str:login>/",
        rooms_api.ChatterCardView.as_view(),
        name="api-chatter",
    ),
    path("rooms/<slug:slug>/modes/", mod_api.ModesView.as_view(), name="api-modes"),
    path("rooms/<slug:slug>/bans/", mod_api.BanListView.as_view(), name="api-bans"),
    path("rooms/<slug:slug>/bans/<str:login>/", mod_api.BanDetailView.as_view(), name="api-ban"),
    path(
        "rooms/<slug:slug>/shadow-bans/<str:login>/",
        mod_api.ShadowBanView.as_view(),
        name="api-shadow-ban",
    ),
    path(
        "rooms/<slug:slug>/messages/<str:message_id>/",
        mod_api.MessageDeleteView.as_view(),
        name="api-message",
    ),
    path("rooms/<slug:slug>/clear/", mod_api.ClearView.as_view(), name="api-clear"),
    path("rooms/<slug:slug>/held/", mod_api.HeldListView.as_view(), name="api-held"),
    path("rooms/<slug:slug>/rewrites/", mod_api.RewritesView.as_view(), name="api-rewrites"),
    path(
        "rooms/<slug:slug>/held/<str:message_id>/allow/",
        mod_api.HeldDecisionView.as_view(decision="allow"),
        name="api-held-allow",
    ),
    path(
        "rooms/<slug:slug>/held/<str:message_id>/deny/",
        mod_api.HeldDecisionView.as_view(decision="deny"),
        name="api-held-deny",
    ),
    path("rooms/<slug:slug>/blocked-terms/", mod_api.BlockedTermsView.as_view(), name="api-terms"),
    path(
        "rooms/<slug:slug>/blocked-terms/<int:term_id>/",
        mod_api.BlockedTermDetailView.as_view(),
        name="api-term",
    ),
    path("rooms/<slug:slug>/audit/", mod_api.AuditView.as_view(), name="api-audit"),
    path(
        "rooms/<slug:slug>/moderators/<str:login>/",
        mod_api.RoleView.as_view(role="mod"),
        name="api-moderator",
    ),
    path(
        "rooms/<slug:slug>/vips/<str:login>/", mod_api.RoleView.as_view(role="vip"), name="api-vip"
    ),
    path(
        "rooms/<slug:slug>/users/<str:login>/", mod_api.UserCardView.as_view(), name="api-user-card"
    ),
    path("emotes/", emotes_api.EmoteListView.as_view(), name="api-emotes"),
    path("badges/", emotes_api.BadgeListView.as_view(), name="api-badges"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
