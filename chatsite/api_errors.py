"""One error shape for the whole REST API: ``{"code", "message"}`` (with ``retry_after``
and a ``Retry-After`` header when waiting helps, ``fields`` for invalid input), whatever
refused the request: a chat rule, the input, the credentials or the throttle. The codes
are ``chatsite.errors.ErrorCode``'s, the same the WebSocket protocol sends."""

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from chatsite.errors import ChatRefused, ErrorCode
from chatsite.outages import describe, is_outage, unavailable

logger = logging.getLogger(__name__)

_CODES = [  # the first class that matches wins
    (exceptions.ValidationError, ErrorCode.INVALID_REQUEST),
    (exceptions.ParseError, ErrorCode.INVALID_REQUEST),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
]


class ErrorSerializer(serializers.Serializer):
    """What every refused request answers (for the API schema)."""

    code = serializers.ChoiceField(choices=[code.value for code in ErrorCode])
    message = serializers.CharField()
    retry_after = serializers.FloatField(required=False)
    fields = serializers.DictField(required=False, help_text="Invalid input, by field.")


def error_response(refused: ChatRefused, *, fields: dict | None = None) -> Response:
    body = refused.as_dict()
    if fields:
        body["fields"] = fields
    response = Response(body, status=refused.status)
    if refused.retry_after is not None:
        response["Retry-After"] = str(max(1, math.ceil(refused.retry_after)))
    return response


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every refusal in the one shape; None (a 500) for bugs."""
    if isinstance(exc, ChatRefused):
        return error_response(exc)
    if is_outage(exc):
        logger.warning("%s %s: %s", context["request"].method, context["request"].path,
                       describe(exc))  # fmt: skip
        return error_response(unavailable())
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    code = next((code for kind, code in _CODES if isinstance(exc, kind)), None)
    if code is None:
        code = ErrorCode.INVALID_REQUEST if exc.status_code < 500 else ErrorCode.UNAVAILABLE
    if isinstance(exc, exceptions.ValidationError):
        fields = {}
        if isinstance(exc.detail, dict):  # each field's problems as a list, however raised
            fields = {k: v if isinstance(v, list | dict) else [v] for k, v in exc.detail.items()}
        message = _first_message(exc.detail)
        return error_response(ChatRefused(code, message), fields=fields)
    wait = getattr(exc, "wait", None)
    response = error_response(ChatRefused(code, str(exc.detail), retry_after=wait))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        header = context["view"].get_authenticate_header(context["request"])
        if header:
            response["WWW-Authenticate"] = header
    return response


def _first_message(detail) -> str:
    """The first problem in a DRF validation error, as one sentence ("limit: ...")."""
    if isinstance(detail, dict):
        for field, problems in detail.items():
            prefix = "" if field == "non_field_errors" else f"{field}: "
            return prefix + _first_message(problems)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail) or ErrorCode.INVALID_REQUEST.message


# What any operation may answer besides its own successes, and why: every one of them in
# the error shape above (``Error`` in the schema).
NO_NUL = "^[^\\u0000]*$"  # a string without NUL characters (JSON Schema's regex syntax)

_ANY_OPERATION = {
    "401": "No credentials, or a wrong or expired token.",
    "429": "Throttled (`retry_after`).",
    "503": "PostgreSQL or Redis is unreachable (`retry_after`): try again shortly.",
}
_WITH_INPUT = {"400": "Invalid input (`fields` says which)."}
_WITH_BODY = {"415": "A body that is not JSON."}
_UNSAFE = {"403": "Not allowed (a role this room does not give you, or a missing CSRF token)."}
_WITH_PATH = {"404": "No such room, user or resource."}


def add_error_responses(result: dict, generator, request, public: bool) -> dict:
    """drf-spectacular's postprocessing hook: every operation documents every answer it
    can give (the conformance suite checks), all in the one error shape."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            extra = dict(_ANY_OPERATION)
            if operation.get("parameters") or operation.get("requestBody"):
                extra.update(_WITH_INPUT)
            if operation.get("requestBody"):
                extra.update(_WITH_BODY)
            if method != "get" or ("/rooms/{slug}/" in path and path.count("/") > 4):
                extra.update(_UNSAFE)
            if "{" in path or operation.get("parameters"):
                extra.update(_WITH_PATH)  # (a query's room, too)
            responses = operation.setdefault("responses", {})
            for status_code, description in extra.items():
                responses.setdefault(status_code, {"description": description, "content": error})
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request"):
            for field in schema.get("properties", {}).values():
                if (
                    field.get("type") == "string"
                    and "pattern" not in field
                    and "format" not in field
                ):
                    field["pattern"] = NO_NUL  # refused with 400, as DRF does
    modes = schemas.get("PatchedModesRequest")
    if modes is not None:
        modes["minProperties"] = 1  # a change of nothing is refused
    for operations in result.get("paths", {}).values():
        patch = operations.get("patch")
        if patch is not None and "requestBody" in patch:
            patch["requestBody"]["required"] = True
    return result
