"""Everything under /api/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from chatsite.users import api as users_api
from emotes import api as emotes_api
from rooms import api as rooms_api

urlpatterns = [
    path("auth/register/", users_api.RegisterView.as_view(), name="api-register"),
    path("auth/token/", users_api.TokenView.as_view(), name="api-token"),
    path("me/", users_api.MeView.as_view(), name="api-me"),
    path("rooms/", rooms_api.RoomListView.as_view(), name="api-rooms"),
    path("rooms/<slug:slug>/", rooms_api.RoomDetailView.as_view(), name="api-room"),
    path("rooms/<slug:slug>/messages/", rooms_api.MessagesView.as_view(), name="api-messages"),
    path("emotes/", emotes_api.EmoteListView.as_view(), name="api-emotes"),
    path("badges/", emotes_api.BadgeListView.as_view(), name="api-badges"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
