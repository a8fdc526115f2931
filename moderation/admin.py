from django.contrib import admin

from moderation.models import AuditEntry, BlockedTerm, RoomBan, ShadowBan
from moderation.services import blocked_terms_changed


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ("pattern", "room", "created_by", "created_at")
    list_filter = (("room", admin.EmptyFieldListFilter), "room")
    search_fields = ("pattern", "room__slug")
    autocomplete_fields = ("room",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        blocked_terms_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        blocked_terms_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        blocked_terms_changed()


@admin.register(RoomBan)
class RoomBanAdmin(admin.ModelAdmin):
    """Bans and running timeouts; lift one by deleting it (moderators use commands)."""

    list_display = ("user", "room", "expires_at", "moderator", "reason", "created_at")
    list_filter = (("expires_at", admin.EmptyFieldListFilter), "room")
    list_select_related = ("user", "room", "moderator")
    search_fields = ("user__username", "room__slug", "reason")
    readonly_fields = ("room", "user", "moderator", "reason", "created_at", "expires_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, here as everywhere."""

    list_display = ("created_at", "room", "action", "actor", "target", "duration_seconds",
                    "source", "reason")  # fmt: skip
    list_filter = ("action", "source", "room")
    list_select_related = ("room", "actor", "target")
    search_fields = ("actor__username", "target__username", "reason")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShadowBan)
class ShadowBanAdmin(admin.ModelAdmin):
    """Shadow bans; lift one by deleting it (moderators use the dashboard or the API)."""

    list_display = ("user", "room", "moderator", "reason", "created_at")
    list_filter = ("room",)
    list_select_related = ("user", "room", "moderator")
    search_fields = ("user__username", "room__slug", "reason")
    readonly_fields = ("room", "user", "moderator", "reason", "created_at")

    def has_add_permission(self, request) -> bool:
        return False
