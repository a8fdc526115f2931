"""Rooms, their styles and memberships, and (read-only) their messages."""

from django.contrib import admin

from chatsite.admin.acting import ADMIN, ActionAdmin
from moderation.actions import rooms as actions
from rooms.actions.rooms import (
    ROOM_MODE_FIELDS,
    ROOM_SETTING_FIELDS,
    room_create,
    style_create,
)
from rooms.models import Membership, Message, Room, Style

ROLE_FIELDS = {"is_moderator": "mod", "is_vip": "vip"}
SUBSCRIPTION_FIELDS = ("subscriber_tier", "subscriber_months")


@admin.register(Style)
class StyleAdmin(ActionAdmin):
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
        """A changed style: its rooms reload it, and each room's audit log says so."""
        with self.acting(request):
            if not change:
                created = style_create(**{f: form.cleaned_data[f] for f in form.fields})
                obj.pk = created.pk
                return
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            actions.style_set(style=Style.objects.get(pk=obj.pk), actor=request.user,
                              changes=changes, source=ADMIN)  # fmt: skip


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "is_moderator", "is_vip", "subscriber_tier", "subscriber_months")


def membership_change(request, *, room: Room, user, values: dict, fields) -> None:
    """The actions behind an admin edit of ``user``'s membership of ``room``: a role
    granted or taken (as the broadcaster would), a subscription set."""
    current = Membership.objects.filter(room=room, user=user).first()
    for field, role in ROLE_FIELDS.items():
        was = bool(current and getattr(current, field))
        if field in fields and values[field] != was:
            actions.role_set(room=room, actor=request.user, target=user, role=role,
                             granted=values[field], source=ADMIN)  # fmt: skip
    if any(field in fields for field in SUBSCRIPTION_FIELDS):
        tier, months = values["subscriber_tier"], values["subscriber_months"]
        if current is None or (current.subscriber_tier, current.subscriber_months) != (
            tier,
            months,
        ):
            actions.subscription_set(room=room, actor=request.user, target=user, tier=tier,
                                     months=months, source=ADMIN)  # fmt: skip


def _values(form) -> dict:
    return {field: form.cleaned_data.get(field) for field in (*ROLE_FIELDS, *SUBSCRIPTION_FIELDS)}


@admin.register(Room)
class RoomAdmin(ActionAdmin):
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
        ("Modes", {"fields": ROOM_MODE_FIELDS}),
        ("Counters", {"fields": ("last_seq", "created_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        """A room's slug is its address (and its IRC channel): fixed once it exists."""
        return (*self.readonly_fields, "slug") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Modes and settings through moderation's actions: audited, and open
        connections get the new modes, level and style at once."""
        with self.acting(request):
            data = form.cleaned_data
            if not change:
                modes = {field: data[field] for field in ROOM_MODE_FIELDS}
                created = room_create(**{f: data[f] for f in ("slug", *ROOM_SETTING_FIELDS)},
                                      **modes)  # fmt: skip
                obj.pk, obj._state.adding = created.pk, False
                return
            room = Room.objects.select_related("owner").get(pk=obj.pk)
            modes = {f: data[f] for f in form.changed_data if f in ROOM_MODE_FIELDS}
            settings = {f: data[f] for f in form.changed_data if f in ROOM_SETTING_FIELDS}
            if settings:
                actions.room_settings_set(room=room, actor=request.user, settings=settings,
                                          source=ADMIN)  # fmt: skip
            if modes:
                actions.room_modes_set(room=room, actor=request.user, modes=modes, source=ADMIN)

    def save_formset(self, request, form, formset, change):
        room = Room.objects.get(pk=form.instance.pk)
        formset.save(commit=False)  # what changed, for the admin's history; stores nothing
        with self.acting(request):
            for inline in formset.forms:
                if not inline.has_changed() and not formset._should_delete_form(inline):
                    continue
                original = inline.instance if inline.instance.pk else None
                if formset._should_delete_form(inline):
                    if original is not None:
                        actions.membership_remove(room=room, actor=request.user,
                                                  target=original.user, source=ADMIN)  # fmt: skip
                    continue
                user = inline.cleaned_data["user"]
                if original is not None and original.user_id != user.id:
                    actions.membership_remove(room=room, actor=request.user,
                                              target=original.user, source=ADMIN)  # fmt: skip
                    fields = [*ROLE_FIELDS, *SUBSCRIPTION_FIELDS]
                else:
                    fields = inline.changed_data
                membership_change(request, room=room, user=user, values=_values(inline),
                                  fields=fields)  # fmt: skip


@admin.register(Membership)
class MembershipAdmin(ActionAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return ("user", "room") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        """Roles as the broadcaster gives them, subscriptions as staff set them: audited,
        and the user's open connections change at once."""
        with self.acting(request):
            room = Room.objects.get(pk=obj.room_id)
            fields = form.changed_data if change else [*ROLE_FIELDS, *SUBSCRIPTION_FIELDS]
            membership_change(request, room=room, user=obj.user, values=_values(form),
                              fields=fields)  # fmt: skip
            saved = Membership.objects.filter(room=room, user=obj.user).first()
            if saved is not None:
                obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        with self.acting(request):
            actions.membership_remove(room=obj.room, actor=request.user, target=obj.user,
                                      source=ADMIN)  # fmt: skip


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
