"""REST endpoints for accounts: register, obtain a token, who am I."""

from django.contrib.auth import authenticate
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chatsite.api_fields import StrictCharField
from chatsite.clients import client_address
from chatsite.errors import ChatRefused, ErrorCode
from chatsite.users.forms import RegistrationForm
from chatsite.users.selectors import token_expires_at
from chatsite.users.services import (
    login_attempt_give_back,
    login_attempt_take,
    token_issue,
    token_revoke,
    token_rotate,
    user_register,
)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    login = serializers.CharField(source="username")
    display_name = serializers.CharField(source="chat_name")
    color = serializers.CharField(source="effective_color")
    is_verified_bot = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer):
    username = StrictCharField(
        min_length=3,
        max_length=25,
        help_text="3-25 letters, digits, underscores.",
        validators=[RegexValidator(r"^[A-Za-z0-9_]+$", "Letters, digits and underscores.")],
    )
    password = StrictCharField(
        write_only=True, min_length=8, help_text="At least 8 characters, not a common one."
    )
    email = serializers.EmailField(required=False, allow_blank=True)


class CredentialsSerializer(serializers.Serializer):
    username = StrictCharField()
    password = StrictCharField(write_only=True)


TokenResponse = inline_serializer(
    "TokenResponse",
    {
        "token": serializers.CharField(),
        "expires_at": serializers.DateTimeField(help_text="When the token stops working."),
        "user": UserSerializer(),
    },
)


def token_answer(token, *, status_code: int = status.HTTP_200_OK) -> Response:
    body = {
        "token": token.key,
        "expires_at": token_expires_at(token).isoformat().replace("+00:00", "Z"),
        "user": UserSerializer(token.user).data,
    }
    return Response(body, status=status_code)


class RegisterView(APIView):
    """Create an account and get its API token. The same rules as the sign-up page."""

    permission_classes = [AllowAny]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: TokenResponse})
    def post(self, request: Request) -> Response:
        RegisterSerializer(data=request.data).is_valid(raise_exception=True)  # the shape
        data = request.data
        form = RegistrationForm(
            {
                "username": data.get("username", ""),
                "email": data.get("email", ""),
                "password1": data.get("password", ""),
                "password2": data.get("password", ""),
            }
        )
        if not form.is_valid():
            errors = {
                ("password" if k.startswith("password") else k): v for k, v in form.errors.items()
            }
            raise serializers.ValidationError(errors)
        user = user_register(
            login=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        return token_answer(token_issue(user=user), status_code=status.HTTP_201_CREATED)


class TokenView(APIView):
    """``POST``: exchange a username and password for the account's API token (a new one
    once it has expired). ``DELETE``: revoke the token (its IRC connections end)."""

    throttle_scope = "login"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=CredentialsSerializer, responses={200: TokenResponse})
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        address = client_address(request.META)
        if not login_attempt_take(address=address):
            raise ChatRefused(ErrorCode.LOGIN_THROTTLED)
        user = authenticate(
            request,
            username=credentials.validated_data["username"].strip().lower(),
            password=credentials.validated_data["password"],
        )
        if user is None:
            raise ChatRefused(ErrorCode.INVALID_CREDENTIALS)
        login_attempt_give_back(address=address)
        return token_answer(token_issue(user=user))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateView(APIView):
    """A new API token for the authenticated account; the old one stops working at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TokenResponse})
    def post(self, request: Request) -> Response:
        return token_answer(token_rotate(user=request.user))


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
