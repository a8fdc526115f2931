from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from chatsite.admin.acting import ADMIN, ActionAdmin
from emotes.imaging import ImageRejected, open_source
from emotes.models import Badge, Emote
from emotes.services import badge_renditions_build, emote_renditions_build
from moderation.actions.emotes import emote_delete, emote_save


def _preview(image_field) -> str:
    if not image_field:
        return "—"
    return format_html('<img src="{}" alt="" style="height:28px">', image_field.url)


class SourceImageForm(forms.ModelForm):
    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and "image" in self.changed_data:
            try:
                open_source(image.read())
            except ImageRejected as error:
                raise forms.ValidationError(str(error)) from error
            finally:
                image.seek(0)
        return image


class RenditionsAdmin(admin.ModelAdmin):
    """Rebuilds the 1x/2x/4x renditions whenever the source image changes."""

    form = SourceImageForm
    build = None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data or not obj.image_1x:
            type(self).build(obj)

    @admin.display(description="preview")
    def preview(self, obj) -> str:
        return _preview(obj.image_2x or obj.image)

    @admin.action(description="Rebuild 1x/2x/4x renditions")
    def rebuild_renditions(self, request, queryset):
        for obj in queryset:
            type(self).build(obj)
        messages.success(request, f"Rebuilt renditions of {queryset.count()} images.")

    actions = ["rebuild_renditions"]


class ScopeFilter(admin.SimpleListFilter):
    title = "scope"
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("global", "Global"), ("room", "Room")]

    def queryset(self, request, queryset):
        if self.value() == "global":
            return queryset.filter(room=None)
        if self.value() == "room":
            return queryset.exclude(room=None)
        return queryset


@admin.register(Emote)
class EmoteAdmin(RenditionsAdmin, ActionAdmin):
    """Room emotes are audited in their room (``moderation.actions.emotes``)."""

    build = staticmethod(lambda emote: emote_renditions_build(emote=emote))
    list_display = ("preview", "code", "room", "tier_required", "created_at")
    list_display_links = ("preview", "code")
    list_filter = (ScopeFilter, "tier_required", "room")
    search_fields = ("code", "room__slug", "room__title")
    list_select_related = ("room",)
    readonly_fields = ("preview", "created_at")
    autocomplete_fields = ("room",)

    def save_model(self, request, obj, form, change):
        with self.acting(request):
            emote_save(emote=obj, actor=request.user, image_changed="image" in form.changed_data,
                       source=ADMIN)  # fmt: skip

    def delete_model(self, request, obj):
        with self.acting(request):
            emote_delete(emote=obj, actor=request.user, source=ADMIN)


@admin.register(Badge)
class BadgeAdmin(RenditionsAdmin):
    build = staticmethod(lambda badge: badge_renditions_build(badge=badge))
    list_display = ("preview", "set_name", "version", "title")
    list_display_links = ("preview", "set_name", "version")
    list_filter = ("set_name",)
    search_fields = ("set_name", "title")
    readonly_fields = ("preview",)
