"""REST endpoints for moderators: thin over the moderation actions and selectors.

Every action is the same one a chat command or the dashboard calls, with the same
permission check and audit record (source ``api``, or ``dashboard`` when the dashboard
page sends ``X-Source: dashboard``). A refusal is the same ``{"code", "message"}`` body
as everywhere else (``chatsite.api_errors``), 403 when the caller may not act.
"""

from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chatsite.api_errors import ErrorSerializer
from chatsite.api_fields import StrictBooleanField, StrictCharField, StrictIntegerField
from chatsite.clients import request_source
from chatsite.errors import ChatRefused, ErrorCode
from chatsite.params import search_text, whole_number
from chatsite.users.models import User
from moderation.actions import automod, bans, messages, terms
from moderation.actions import rooms as room_actions
from moderation.actions.bans import TIMEOUT_MAX
from moderation.models import AuditEntry, RoomBan, ShadowBan
from moderation.selectors import (
    audit_list,
    audit_payload,
    blocked_terms_list,
    held_payloads,
    held_queue,
    user_card,
)
from rooms.actions.rooms import ROOM_MODE_FIELDS
from rooms.events import room_state_frame
from rooms.selectors import room_get, user_moderates
from rooms.skibidi.tasks import skibidi_stats

_REFUSALS = {status: ErrorSerializer for status in (400, 401, 403, 404, 409, 429)}
Done = inline_serializer("Done", {"notice": serializers.CharField()})


def _source(request: Request) -> str:
    return request_source(request.headers)


def _user(login: str) -> User:
    return get_object_or_404(User, username=login.lower().lstrip("@"))


class ModeratorView(APIView):
    """A room-scoped endpoint: refusals become responses; reads need a moderator."""

    permission_classes = [IsAuthenticated]

    def moderated_room(self, request: Request, slug: str):
        room = room_get(slug=slug)
        if not user_moderates(room=room, user=request.user):
            raise ChatRefused(ErrorCode.NOT_ALLOWED, "Only this room's moderators can see that.")
        return room


class ModesSerializer(serializers.Serializer):
    slow_mode_seconds = StrictIntegerField(required=False, min_value=0, max_value=7200)
    emote_only = StrictBooleanField(required=False)
    subscribers_only = StrictBooleanField(required=False)
    unique_chat = StrictBooleanField(required=False)
    pre_moderation = StrictBooleanField(required=False)
    automod_level = StrictIntegerField(required=False, min_value=0, max_value=4)


class ModesView(ModeratorView):
    @extend_schema(request=ModesSerializer, responses={200: ModesSerializer, **_REFUSALS})
    def patch(self, request: Request, slug: str) -> Response:
        """Change any of the room's modes and its AutoMod level."""
        room = room_get(slug=slug)
        body = ModesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not body.validated_data:
            fields = ", ".join(ROOM_MODE_FIELDS)
            raise serializers.ValidationError(f"Give at least one of {fields}.")
        room_actions.room_modes_set(room=room, actor=request.user, modes=body.validated_data,
                             source=_source(request))  # fmt: skip
        return Response(room_state_frame(room))


class BanSerializer(serializers.Serializer):
    user = StrictCharField(
        max_length=25,
        help_text="The login of the user.",
        validators=[RegexValidator(r"^[A-Za-z0-9_]+$", "A login: letters, digits, underscores.")],
    )
    duration = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=TIMEOUT_MAX,
        help_text="Seconds: a timeout. Leave out for a ban.",
    )
    reason = StrictCharField(required=False, allow_blank=True, max_length=500)


class BanListView(ModeratorView):
    @extend_schema(
        responses=inline_serializer(
            "Restriction",
            {
                "user": serializers.CharField(),
                "moderator": serializers.CharField(allow_null=True),
                "reason": serializers.CharField(),
                "expires_at": serializers.DateTimeField(allow_null=True),
                "shadow": serializers.BooleanField(),
            },
            many=True,
        )
    )
    def get(self, request: Request, slug: str) -> Response:
        """Who is banned, timed out or shadow-banned in the room now."""
        room = self.moderated_room(request, slug)
        now, rows = timezone.now(), []
        for ban in RoomBan.objects.filter(room=room).select_related("user", "moderator"):
            if ban.expires_at is None or ban.expires_at > now:
                rows.append(_restriction(ban, shadow=False))
        for ban in ShadowBan.objects.filter(room=room).select_related("user", "moderator"):
            rows.append(_restriction(ban, shadow=True))
        return Response(rows)

    @extend_schema(request=BanSerializer, responses={201: Done, **_REFUSALS})
    def post(self, request: Request, slug: str) -> Response:
        """Time out (with a duration) or ban a user; their recent messages leave every screen."""
        room = room_get(slug=slug)
        body = BanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target, reason = _user(body.validated_data["user"]), body.validated_data.get("reason", "")
        seconds = body.validated_data.get("duration")
        if seconds:
            bans.user_timeout(room=room, actor=request.user, target=target, seconds=seconds,
                                  reason=reason, source=_source(request))  # fmt: skip
            return Response({"notice": f"{target.chat_name} is timed out for {seconds} s."}, 201)
        bans.user_ban(room=room, actor=request.user, target=target, reason=reason,
                          source=_source(request))  # fmt: skip
        return Response({"notice": f"{target.chat_name} is banned."}, 201)


def _restriction(ban, *, shadow: bool) -> dict:
    return {
        "user": ban.user.username,
        "moderator": ban.moderator.username if ban.moderator else None,
        "reason": ban.reason,
        "expires_at": None if shadow else ban.expires_at,
        "shadow": shadow,
    }


class BanDetailView(ModeratorView):
    @extend_schema(responses={200: Done, **_REFUSALS})
    def delete(self, request: Request, slug: str, login: str) -> Response:
        """Lift a user's ban or timeout."""
        room, target = room_get(slug=slug), _user(login)
        lifted = bans.user_unban(room=room, actor=request.user, target=target,
                                     source=_source(request))  # fmt: skip
        if not lifted:
            raise ChatRefused(
                ErrorCode.NOT_RESTRICTED, f"{target.chat_name} is not banned or timed out."
            )
        return Response({"notice": f"{target.chat_name} may chat again."})


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, max_length=500)


class ShadowBanView(ModeratorView):
    @extend_schema(
        request=ReasonSerializer,
        responses={200: Done, **_REFUSALS},
    )
    def put(self, request: Request, slug: str, login: str) -> Response:
        """Shadow-ban: the user keeps chatting, but only they (and moderators) see it."""
        room, target = room_get(slug=slug), _user(login)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        bans.shadow_ban(room=room, actor=request.user, target=target, reason=reason,
                            source=_source(request))  # fmt: skip
        return Response({"notice": f"{target.chat_name} is shadow-banned."})

    @extend_schema(responses={200: Done, **_REFUSALS})
    def delete(self, request: Request, slug: str, login: str) -> Response:
        room, target = room_get(slug=slug), _user(login)
        if not bans.shadow_unban(room=room, actor=request.user, target=target,
                                     source=_source(request)):  # fmt: skip
            raise ChatRefused(ErrorCode.NOT_RESTRICTED, f"{target.chat_name} is not shadow-banned.")
        return Response({"notice": f"{target.chat_name} is no longer shadow-banned."})


class MessageDeleteView(ModeratorView):
    @extend_schema(responses={200: Done, **_REFUSALS})
    def delete(self, request: Request, slug: str, message_id: str) -> Response:
        """Take one message off every screen."""
        messages.message_delete(room=room_get(slug=slug), actor=request.user,
                                message_id=message_id, source=_source(request))  # fmt: skip
        return Response({"notice": "Message deleted."})


class ClearView(ModeratorView):
    @extend_schema(request=None, responses={200: Done, **_REFUSALS})
    def post(self, request: Request, slug: str) -> Response:
        """Clear the chat for everyone."""
        messages.chat_clear(room=room_get(slug=slug), actor=request.user, source=_source(request))
        return Response({"notice": "Chat cleared."})


class HeldListView(ModeratorView):
    @extend_schema(responses={200: inline_serializer("HeldItem", {}, many=True), **_REFUSALS})
    def get(self, request: Request, slug: str) -> Response:
        """Messages waiting for review, oldest first, with AutoMod's reason and scores."""
        room = self.moderated_room(request, slug)
        return Response(held_payloads(room=room, messages=held_queue(room=room)))


class RewritesSerializer(serializers.Serializer):
    rewritten = serializers.IntegerField(help_text="Shown as the LLM rewrote them.")
    kept = serializers.IntegerField(help_text="The checks refused the rewrite: instant text.")
    skipped = serializers.IntegerField(help_text="Too late to matter (LLM_MAX_AGE): skipped.")
    failed = serializers.IntegerField(help_text="The LLM backend failed or was cooling down.")


class RewritesView(ModeratorView):
    @extend_schema(responses={200: RewritesSerializer, **_REFUSALS})
    def get(self, request: Request, slug: str) -> Response:
        """How the room's LLM rewrites went (over the last week of chat)."""
        room = self.moderated_room(request, slug)
        return Response(skibidi_stats(room_id=room.id))


class HeldDecisionView(ModeratorView):
    decision = ""

    @extend_schema(request=None, responses={200: Done, **_REFUSALS})
    def post(self, request: Request, slug: str, message_id: str) -> Response:
        """Allow (shown in place to everyone) or deny (removed for good) a held message."""
        act = automod.held_allow if self.decision == "allow" else automod.held_deny
        act(room=room_get(slug=slug), actor=request.user, message_id=message_id,
            source=_source(request))  # fmt: skip
        return Response({"notice": "Allowed." if self.decision == "allow" else "Denied."})


class NewTermSerializer(serializers.Serializer):
    # "At least one letter or digit", of any script, is checked by the term's own rules
    # (code invalid_term): OpenAPI's regular expressions have no Unicode classes.
    pattern = StrictCharField(
        max_length=60,
        help_text='A word or phrase with at least one letter or digit ("*" at a word\'s start '
        "or end is a wildcard).",
    )


class BlockedTermsView(ModeratorView):
    @extend_schema(responses={200: inline_serializer("Term", {}, many=True), **_REFUSALS})
    def get(self, request: Request, slug: str) -> Response:
        """The room's blocked terms and the global ones."""
        return Response(blocked_terms_list(room=self.moderated_room(request, slug)))

    @extend_schema(
        request=NewTermSerializer,
        responses={201: inline_serializer("Term", {}), **_REFUSALS},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Block a word or phrase in this room ("*" at a word's start or end is a wildcard)."""
        body = NewTermSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        term = terms.room_term_add(room=room_get(slug=slug), actor=request.user,
                                   pattern=body.validated_data["pattern"],
                                   source=_source(request))  # fmt: skip
        return Response({"id": term.id, "pattern": term.pattern, "global": False}, status=201)


class BlockedTermDetailView(ModeratorView):
    @extend_schema(responses={200: Done, **_REFUSALS})
    def delete(self, request: Request, slug: str, term_id: int) -> Response:
        terms.room_term_remove(room=room_get(slug=slug), actor=request.user, term_id=term_id,
                                  source=_source(request))  # fmt: skip
        return Response({"notice": "Term removed."})


class AuditView(ModeratorView):
    @extend_schema(
        parameters=[
            OpenApiParameter("action", str, enum=AuditEntry.Action.values),
            OpenApiParameter("actor", str, description='A login, or "automod".'),
            OpenApiParameter("target", str, description="A login."),
            OpenApiParameter("source", str, enum=AuditEntry.Source.values),
            OpenApiParameter(
                "before",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="Entries older than this entry id.",
            ),
        ],
        responses={200: inline_serializer("AuditEntry", {}, many=True), **_REFUSALS},
    )
    def get(self, request: Request, slug: str) -> Response:
        """The room's audit log, newest first (100 at a time)."""
        room = self.moderated_room(request, slug)
        params = request.query_params
        action, source = params.get("action"), params.get("source")
        if action is not None and action not in AuditEntry.Action.values:
            raise serializers.ValidationError({"action": f"One of {AuditEntry.Action.values}."})
        if source is not None and source not in AuditEntry.Source.values:
            raise serializers.ValidationError({"source": f"One of {AuditEntry.Source.values}."})
        before = params.get("before")
        if before is not None and whole_number(before) is None:
            raise serializers.ValidationError({"before": "An entry id."})
        entries = audit_list(room=room, action=action or "",
                             actor=search_text(params.get("actor", ""), 25),
                             target=search_text(params.get("target", ""), 26), source=source or "",
                             before_id=int(before) if before else None, limit=100)  # fmt: skip
        return Response([audit_payload(entry) for entry in entries])


class RoleView(ModeratorView):
    role = ""

    @extend_schema(request=None, responses={200: Done, **_REFUSALS})
    def put(self, request: Request, slug: str, login: str) -> Response:
        """The broadcaster makes a user a moderator (or VIP)."""
        return self._set(request, slug, login, granted=True)

    @extend_schema(responses={200: Done, **_REFUSALS})
    def delete(self, request: Request, slug: str, login: str) -> Response:
        return self._set(request, slug, login, granted=False)

    def _set(self, request: Request, slug: str, login: str, *, granted: bool) -> Response:
        target = _user(login)
        room_actions.role_set(room=room_get(slug=slug), actor=request.user, target=target,
                          role=self.role, granted=granted, source=_source(request))  # fmt: skip
        verb = "is now" if granted else "is no longer"
        title = {"mod": "a moderator", "vip": "a VIP"}[self.role]
        return Response({"notice": f"{target.chat_name} {verb} {title}."})


class UserCardView(ModeratorView):
    @extend_schema(responses={200: inline_serializer("UserCard", {}), **_REFUSALS})
    def get(self, request: Request, slug: str, login: str) -> Response:
        """A chatter's card: roles, account age, standing, recent messages, past actions."""
        room = self.moderated_room(request, slug)
        return Response(user_card(room=room, user=_user(login)))
