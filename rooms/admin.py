from django.contrib import admin

from rooms.models import Membership, Message, Room, Style


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
