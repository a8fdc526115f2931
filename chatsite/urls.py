from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from rooms.views import home

handler400 = "chatsite.middleware.bad_request"
handler403 = "chatsite.middleware.permission_denied"
handler404 = "chatsite.middleware.not_found"
handler500 = "chatsite.middleware.server_error"

admin.site.site_header = "Twitchy Chat administration"
admin.site.site_title = "Twitchy Chat admin"

urlpatterns = [
    path("", home, name="home"),
    # Pages without an icon of their own (the admin): browsers ask for /favicon.ico.
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
    path("accounts/", include("chatsite.users.urls")),
    path("rooms/", include("rooms.urls")),
    path("mod/", include("moderation.urls")),
    path("api/", include("chatsite.api_urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
