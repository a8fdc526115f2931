from django.contrib import admin

from moderation.models import BlockedTerm
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
