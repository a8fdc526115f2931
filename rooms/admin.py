from django.contrib import admin

from rooms.models import Membership, Message, Room, Style
from rooms.services import roles_changed, room_state_changed, style_changed


@admin.register(Style)
class StyleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "llm_temperature", "llm_max_tokens", "room_count")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "description")}),
        ("Instant engine", {"fields": ("instant_rules",)}),
        (
            "LLM rewrite",
            {
                "fields": (
                    "llm_system_prompt",
                    "llm_examples",
                    "markers",
                    "llm_temperature",
                    "llm_max_tokens",
                )
            },
        ),
    )

    @admin.display(description="rooms")
    def room_count(self, obj: Style) -> int:
        return obj.rooms.count()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            style_changed(style=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "is_moderator", "is_vip", "subscriber_tier", "subscriber_months")


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "style",
        "owner",
        "automod_level",
        "slow_mode_seconds",
        "emote_only",
        "subscribers_only",
        "unique_chat",
        "pre_moderation",
        "last_seq",
    )
    list_filter = (
        "style",
        "automod_level",
        "emote_only",
        "subscribers_only",
        "unique_chat",
        "pre_moderation",
    )
    list_select_related = ("style", "owner")
    search_fields = ("slug", "title", "description", "owner__username")
    autocomplete_fields = ("owner",)
    readonly_fields = ("last_seq", "created_at")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("slug", "title", "description", "style", "owner")}),
        (
            "Modes",
            {
                "fields": (
                    "automod_level",
                    "slow_mode_seconds",
                    "emote_only",
                    "subscribers_only",
                    "unique_chat",
                    "pre_moderation",
                )
            },
        ),
        ("Counters", {"fields": ("last_seq", "created_at")}),
    )

    def save_model(self, request, obj, form, change):
        """Open connections get the new modes, level and style at once."""
        super().save_model(request, obj, form, change)
        if change:
            room_state_changed(room=obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for membership in [*formset.new_objects, *(m for m, _ in formset.changed_objects)]:
            roles_changed(room=form.instance, user_id=membership.user_id)
        for membership in formset.deleted_objects:
            roles_changed(room=form.instance, user_id=membership.user_id)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "room",
        "is_moderator",
        "is_vip",
        "subscriber_tier",
        "subscriber_months",
    )
    list_filter = ("is_moderator", "is_vip", "subscriber_tier", "room")
    list_select_related = ("user", "room")
    search_fields = ("user__username", "room__slug", "room__title")
    autocomplete_fields = ("user", "room")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        roles_changed(room=obj.room, user_id=obj.user_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        roles_changed(room=obj.room, user_id=obj.user_id)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages are written by the chat pipeline; the admin reads them."""

    list_display = ("created_at", "room", "seq", "author", "display_text", "engine", "state")
    list_filter = ("state", "engine", "room")
    list_select_related = ("room", "author")
    search_fields = ("original_text", "display_text", "author__username")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = [f.name for f in Message._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
