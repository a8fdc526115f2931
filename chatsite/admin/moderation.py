"""Blocked terms, bans, shadow bans and the audit log."""

from django.contrib import admin

from chatsite.admin.acting import ADMIN, ActionAdmin
from moderation.actions.bans import shadow_unban, user_unban
from moderation.actions.terms import blocked_term_add, blocked_term_remove
from moderation.models import AuditEntry, BlockedTerm, RoomBan, ShadowBan


@admin.register(BlockedTerm)
class BlockedTermAdmin(ActionAdmin):
    """Add or delete terms (a changed term is a new one): every process sees it at once."""

    list_display = ("pattern", "room", "created_by", "created_at")
    list_filter = (("room", admin.EmptyFieldListFilter), "room")
    search_fields = ("pattern", "room__slug")
    autocomplete_fields = ("room",)
    readonly_fields = ("created_by", "created_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        with self.acting(request):
            term = blocked_term_add(pattern=obj.pattern, room=obj.room, actor=request.user,
                                    source=ADMIN)  # fmt: skip
            obj.pk, obj._state.adding = term.pk, False

    def delete_model(self, request, obj):
        with self.acting(request):
            blocked_term_remove(term=obj, actor=request.user, source=ADMIN)


@admin.register(RoomBan)
class RoomBanAdmin(ActionAdmin):
    """Bans and running timeouts; lift one by deleting it (moderators use commands)."""

    list_display = ("user", "room", "expires_at", "moderator", "reason", "created_at")
    list_filter = (("expires_at", admin.EmptyFieldListFilter), "room")
    list_select_related = ("user", "room", "moderator")
    search_fields = ("user__username", "room__slug", "reason")
    readonly_fields = ("room", "user", "moderator", "reason", "created_at", "expires_at")

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj):
        with self.acting(request):
            user_unban(room=obj.room, actor=request.user, target=obj.user, source=ADMIN)


@admin.register(ShadowBan)
class ShadowBanAdmin(ActionAdmin):
    """Shadow bans; lift one by deleting it (moderators use the dashboard or the API)."""

    list_display = ("user", "room", "moderator", "reason", "created_at")
    list_filter = ("room",)
    list_select_related = ("user", "room", "moderator")
    search_fields = ("user__username", "room__slug", "reason")
    readonly_fields = ("room", "user", "moderator", "reason", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj):
        with self.acting(request):
            shadow_unban(room=obj.room, actor=request.user, target=obj.user, source=ADMIN)


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
