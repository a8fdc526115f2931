"""Refusals of the chat services, shared by every interface (WebSocket, REST, IRC)."""


class ChatRefused(Exception):
    """A request the rules refuse: a stable ``code``, a human ``message``, maybe ``retry_after``."""

    def __init__(self, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.retry_after is not None:
            data["retry_after"] = round(self.retry_after, 1)
        return data


# Stable refusal codes (documented in docs/protocol.md).
NOT_LOGGED_IN = "not_logged_in"
EMPTY = "empty"
TOO_LONG = "too_long"
DUPLICATE = "duplicate"
UNAVAILABLE = "unavailable"
INVALID_NONCE = "invalid_nonce"
BLOCKED_TERM = "blocked_term"
SLOW_MODE = "slow_mode"
SUBSCRIBERS_ONLY = "subscribers_only"
EMOTE_ONLY = "emote_only"
UNIQUE_CHAT = "unique_chat"
RATE_LIMITED = "rate_limited"
BANNED = "banned"
TIMED_OUT = "timed_out"
NOT_ALLOWED = "not_allowed"
INVALID_DURATION = "invalid_duration"
