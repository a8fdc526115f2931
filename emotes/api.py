"""REST endpoints for emotes and badges."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from emotes.models import Badge, Emote
from emotes.selectors import badge_list, emote_list_for_room


@extend_schema_field(
    {
        "type": "object",
        "description": "Image URLs by size.",
        "properties": {size: {"type": "string", "format": "uri"} for size in ("1x", "2x", "4x")},
    }
)
class _ImagesField(serializers.Field):
    def to_representation(self, obj) -> dict:
        request = self.context.get("request")
        urls = {}
        for size in ("1x", "2x", "4x"):
            field = getattr(obj, f"image_{size}") or obj.image
            urls[size] = request.build_absolute_uri(field.url) if request else field.url
        return urls


class EmoteSerializer(serializers.ModelSerializer):
    id = serializers.CharField()
    scope = serializers.CharField()
    room = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    images = _ImagesField(source="*")

    class Meta:
        model = Emote
        fields = ["id", "code", "scope", "room", "tier_required", "images"]


class BadgeSerializer(serializers.ModelSerializer):
    set = serializers.CharField(source="set_name")
    images = _ImagesField(source="*")

    class Meta:
        model = Badge
        fields = ["set", "version", "title", "description", "images"]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "room", str, description="A room's slug: its emotes as well as the global ones."
        )
    ]
)
class EmoteListView(ListAPIView):
    """Global emotes, or every emote usable in one room."""

    serializer_class = EmoteSerializer
    pagination_class = None

    def get_queryset(self):
        slug = self.request.query_params.get("room")
        if slug:
            return emote_list_for_room(room_id=_room_id(slug)).select_related("room")
        return Emote.objects.filter(room=None)


def _room_id(slug: str) -> int:
    """The id of the room with ``slug`` (404 if none), read through the emotes' own
    relation: this app does not depend on ``rooms``."""
    rooms = Emote._meta.get_field("room").related_model.objects
    return get_object_or_404(rooms.values_list("id", flat=True), slug=slug)


class BadgeListView(ListAPIView):
    serializer_class = BadgeSerializer
    pagination_class = None

    def get_queryset(self):
        return badge_list()
