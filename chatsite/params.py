"""Reading numbers that clients send (query strings, frames): pure, shared by every interface.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses, and ``int`` accepts numbers
PostgreSQL's bigint cannot hold: either became a server error. Only ASCII digits, within a
bigint, are a whole number here.
"""

BIGINT_MAX = 2**63 - 1


def whole_number(raw: str) -> int | None:
    """``raw`` as a whole number (0 or more, at most ``BIGINT_MAX``), or None if it is not one."""
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= BIGINT_MAX else None


def search_text(raw: str, limit: int) -> str:
    """A text to search or filter by, at most ``limit`` characters: a NUL (which
    PostgreSQL refuses in text, a server error) separates words as a space does."""
    return raw[:limit].replace("\x00", " ")
