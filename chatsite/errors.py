"""Every error a client can be told, in one place: its stable code, the HTTP status the
REST API answers with, and the message it shows when the caller says nothing more
specific. The WebSocket protocol and the REST API send these codes (as must any other
interface);
``docs/protocol.md`` and ``docs/api.md`` list exactly them (a test compares).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    status: int
    message: str

    def __new__(cls, code: str, status: int, message: str) -> "ErrorCode":
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.message = message
        return member

    # Sending a message: its rules, in the order a chatter meets them.
    NOT_LOGGED_IN = "not_logged_in", 401, "Log in to chat."
    INVALID_NONCE = "invalid_nonce", 400, "A nonce is 1 to 64 letters, digits, '-' or '_'."
    BANNED = "banned", 403, "You are banned from chatting in this room."
    TIMED_OUT = "timed_out", 403, "You are timed out in this room."
    EMPTY = "empty", 400, "Type a message first."
    SUBSCRIBERS_ONLY = "subscribers_only", 403, "This room is in subscribers-only mode."
    EMOTE_ONLY = "emote_only", 400, "This room is in emote-only mode: send only emotes."
    TOO_LONG = "too_long", 400, "That message is too long."
    SLOW_MODE = "slow_mode", 429, "This room is in slow mode."
    UNIQUE_CHAT = (
        "unique_chat",
        400,
        ("This room is in unique-chat mode and that message was already posted."),
    )
    RATE_LIMITED = "rate_limited", 429, "You are sending messages too quickly."
    DUPLICATE = "duplicate", 429, "Your message is identical to the one you sent just before."
    BLOCKED_TERM = (
        "blocked_term",
        400,
        ("Your message was not sent: it contains a term this room does not allow."),
    )
    REPLY_NOT_FOUND = "reply_not_found", 404, "The message you reply to is not in this room."
    UNAVAILABLE = (
        "unavailable",
        503,
        ("Chat is having trouble storing messages; nothing was sent. Try again shortly."),
    )

    # Moderation: actions, commands, the held queue, blocked terms.
    NOT_ALLOWED = "not_allowed", 403, "You may not do that in this room."
    INVALID_DURATION = "invalid_duration", 400, "That is not a valid duration."
    UNKNOWN_MODE = "unknown_mode", 400, "That is not a room mode."
    INVALID_LEVEL = "invalid_level", 400, "The AutoMod level is 0 (off) to 4 (strictest)."
    UNKNOWN_COMMAND = "unknown_command", 400, "Unknown command."
    MISSING_USER = "missing_user", 400, "That command needs a user."
    MISSING_MESSAGE = "missing_message", 400, "Usage: /delete <message id>"
    NOT_AVAILABLE = "not_available", 400, "That command is not available yet."
    USER_NOT_FOUND = "user_not_found", 404, "No such user."
    MESSAGE_NOT_FOUND = "message_not_found", 404, "No such message in this room."
    NOT_HELD = "not_held", 409, "That message is not waiting for review."
    NOT_RESTRICTED = "not_restricted", 404, "That user is not restricted in this room."
    INVALID_TERM = "invalid_term", 400, "A term needs at least one letter."
    TERM_NOT_FOUND = "term_not_found", 404, "No such blocked term in this room."

    # The WebSocket connection itself.
    ROOM_NOT_FOUND = "room_not_found", 404, "No such room."
    NOT_JOINED = "not_joined", 400, "This connection is not in a room."
    INVALID_JSON = "invalid_json", 400, "That frame is not valid JSON."
    INVALID_FRAME = "invalid_frame", 400, 'A frame is a JSON object with a "type".'
    UNKNOWN_TYPE = "unknown_type", 400, "Unknown frame type."
    FRAME_TOO_LARGE = "frame_too_large", 400, "That frame is too large."
    BINARY_NOT_SUPPORTED = "binary_not_supported", 400, "Send JSON text frames."
    READ_ONLY = "read_only", 400, "This feed is read-only: act through /api/."
    TOO_MANY_CONNECTIONS = "too_many_connections", 429, "Too many open connections."

    # The REST API: the request itself, credentials and throttling.
    INVALID_REQUEST = "invalid_request", 400, "The request is not valid."
    NOT_AUTHENTICATED = "not_authenticated", 401, "Authentication credentials were not provided."
    INVALID_CREDENTIALS = "invalid_credentials", 400, "Wrong username or password."
    PERMISSION_DENIED = "permission_denied", 403, "You may not do that."
    NOT_FOUND = "not_found", 404, "Not found."
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "That method is not allowed here."
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415, "Send a JSON body."
    THROTTLED = "throttled", 429, "Too many requests; try again later."
    LOGIN_THROTTLED = "login_throttled", 429, "Too many failed logins; try later."
    SERVER_ERROR = "server_error", 500, "Something went wrong on our side."


class ChatRefused(Exception):
    """A request the rules refuse: a stable ``code``, a human ``message`` (the code's own
    unless a more specific one is given), maybe ``retry_after`` seconds."""

    def __init__(
        self, code: ErrorCode, message: str = "", *, retry_after: float | None = None
    ) -> None:
        self.code = ErrorCode(code)
        self.message = message or self.code.message
        self.retry_after = retry_after
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return self.code.status

    def as_dict(self) -> dict:
        data = {"code": str(self.code), "message": self.message}
        if self.retry_after is not None:
            data["retry_after"] = round(self.retry_after, 1)
        return data
