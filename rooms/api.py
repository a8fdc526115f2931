"""REST endpoints for rooms and messages: thin over the same selectors and actions; a
refusal is answered by ``chatsite.api_errors``."""

from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chatsite.api_errors import ErrorSerializer
from chatsite.api_fields import StrictCharField
from chatsite.clients import request_source
from chatsite.errors import ChatRefused, ErrorCode
from chatsite.params import search_text, whole_number
from chatsite.users.selectors import user_by_login
from rooms import presence
from rooms.actions.messages import CommandResult, chat_submit
from rooms.models import Message
from rooms.selectors import chatter_card, message_page, message_payloads, room_get, room_list

PAGE_MAX = 100


class RoomSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    style = serializers.CharField(source="style.name")
    broadcaster = serializers.CharField(source="owner.username")
    viewer_count = serializers.IntegerField()
    last_seq = serializers.IntegerField()
    slow_mode_seconds = serializers.IntegerField()
    emote_only = serializers.BooleanField()
    subscribers_only = serializers.BooleanField()
    unique_chat = serializers.BooleanField()
    pre_moderation = serializers.BooleanField()


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    login = serializers.CharField()
    display_name = serializers.CharField()
    color = serializers.CharField()
    badges = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class ReplyParentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.IntegerField(allow_null=True)
    login = serializers.CharField(allow_blank=True, help_text="Empty if its author is gone.")
    display_name = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text="What it said when it was answered.")


class MessageSerializer(serializers.Serializer):
    """The same message object as the WebSocket protocol's (docs/protocol.md)."""

    id = serializers.UUIDField()
    seq = serializers.IntegerField()
    author = AuthorSerializer(allow_null=True)
    text = serializers.CharField()
    emotes = serializers.ListField(child=serializers.ListField())
    engine = serializers.CharField()
    sent_at = serializers.DateTimeField()
    action = serializers.BooleanField(required=False, help_text="Present on a /me message.")
    reply = ReplyParentSerializer(required=False, help_text="Present on a reply.")
    first = serializers.BooleanField(
        required=False, help_text="Present on its author's first message in the room."
    )


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    older = serializers.URLField(allow_null=True, help_text="The page before this one.")
    newer = serializers.URLField(allow_null=True, help_text="The page after this one.")


class SendSerializer(serializers.Serializer):
    text = StrictCharField(
        trim_whitespace=False, allow_blank=True, max_length=4000,
        help_text="The message (at most 500 characters once cleaned up), or a chat command.",
    )  # fmt: skip
    reply_to = serializers.UUIDField(
        required=False, help_text="The id of the message this one answers."
    )
    nonce = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Makes a retry safe.",
        validators=[RegexValidator(r"^[A-Za-z0-9_-]*$", "Letters, digits, '-' or '_'.")],
    )


def _with_viewers(rooms):
    counts = presence.viewer_counts([room.id for room in rooms])
    for room in rooms:
        room.viewer_count = counts.get(room.id, 0)
    return rooms


class RoomListView(APIView):
    @extend_schema(responses=RoomSerializer(many=True))
    def get(self, request: Request) -> Response:
        rooms = _with_viewers(list(room_list()))
        return Response(RoomSerializer(rooms, many=True).data)


class RoomDetailView(APIView):
    @extend_schema(responses=RoomSerializer)
    def get(self, request: Request, slug: str) -> Response:
        (room,) = _with_viewers([room_get(slug=slug)])
        return Response(RoomSerializer(room).data)


class ChatterCardSerializer(serializers.Serializer):
    login = serializers.CharField()
    display_name = serializers.CharField()
    color = serializers.CharField()
    account_age_days = serializers.IntegerField()
    is_broadcaster = serializers.BooleanField()
    is_moderator = serializers.BooleanField()
    is_vip = serializers.BooleanField()
    subscriber_months = serializers.IntegerField()
    is_verified_bot = serializers.BooleanField()


class ChatterCardView(APIView):
    """A chatter's card in this room, as anyone may see it (moderators have more at
    ``users/<login>/``)."""

    @extend_schema(responses=ChatterCardSerializer)
    def get(self, request: Request, slug: str, login: str) -> Response:
        room = room_get(slug=slug)
        user = user_by_login(login=login)
        if user is None:
            raise ChatRefused(ErrorCode.USER_NOT_FOUND)
        return Response(ChatterCardSerializer(chatter_card(room=room, user=user)).data)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = whole_number(raw)
    if value is None:
        raise serializers.ValidationError({name: "A whole number, 0 or more."})
    return value


class MessagesView(APIView):
    """A room's messages: read them page by page (or search them), or send one."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "before",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="Messages before this sequence number.",
            ),
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="Messages after this sequence number.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
                description=f"Page size, 1 to {PAGE_MAX} (50).",
            ),
            OpenApiParameter("q", str, description="Keywords the messages must contain."),
        ],
        responses=MessagePageSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        room = room_get(slug=slug)
        before, after = _int_param(request, "before"), _int_param(request, "after")
        limit = _int_param(request, "limit")
        limit = 50 if limit is None else limit
        if before is not None and after is not None:
            raise serializers.ValidationError("Give 'before' or 'after', not both.")
        if not 1 <= limit <= PAGE_MAX:
            raise serializers.ValidationError({"limit": f"Between 1 and {PAGE_MAX}."})
        query = search_text(request.query_params.get("q", ""), 200)
        messages, more = message_page(
            room=room, before=before, after=after, limit=limit, query=query, viewer=request.user
        )

        def link(**cursor) -> str:
            params = request.query_params.copy()
            params.pop("before", None)
            params.pop("after", None)
            params.update({k: str(v) for k, v in cursor.items()})
            return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

        first, last = (messages[0].seq, messages[-1].seq) if messages else (None, None)
        paging_back = after is None
        older = link(before=first) if messages and (more if paging_back else True) else None
        newer = None
        if messages and ((not paging_back and more) or before is not None):
            newer = link(after=last)
        return Response(
            {
                "results": message_payloads(room=room, messages=messages),
                "older": older,
                "newer": newer,
            }
        )

    @extend_schema(
        request=SendSerializer,
        responses={
            201: OpenApiResponse(MessageSerializer, description="Stored and broadcast."),
            202: OpenApiResponse(
                MessageSerializer,
                description="Stored; shown once AutoMod allows it (a pre-moderated room).",
            ),
            200: OpenApiResponse(MessageSerializer, description="A retried nonce: the first."),
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
            503: ErrorSerializer,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        room = room_get(slug=slug)
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = chat_submit(
            room=room,
            author=request.user,
            text=body.validated_data["text"],
            nonce=body.validated_data.get("nonce", ""),
            # The mod dashboard's chat box sends its commands as the dashboard (the audit
            # log's source), as its buttons do.
            source=request_source(request.headers),
            reply_to=str(body.validated_data.get("reply_to") or ""),
        )
        if isinstance(result, CommandResult):
            return Response({"notice": result.notice})
        if not result.created:
            return Response(result.payload, status=200)
        # 202: stored, but shown only once AutoMod allows it (a pre-moderated room).
        pending = result.message.state == Message.State.PENDING
        return Response(result.payload, status=202 if pending else 201)
