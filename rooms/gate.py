"""What the chat asks moderation, without depending on it.

``rooms`` sits below ``moderation``: moderation calls rooms' actions, never the
reverse. Where the send path needs an answer only moderation has (is this sender
banned, timed out, shadow-banned? does this text hit a blocked term? is it a chat
command?), it asks the one ``Gate`` that the moderation app installs when Django
starts (``moderation.apps``). A process without one refuses to chat rather than
letting everything through.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from rooms.models import Membership, Room


@dataclass(frozen=True)
class Standing:
    """A user's restrictions in a room (an expired timeout is none)."""

    banned: bool = False
    timed_out_until: datetime | None = None
    shadow_banned: bool = False


# A sender as the send path sees them: their membership of the room and their standing.
Sender = tuple[Membership | None, Standing]
Pair = tuple[Room, Any]  # (room, user)


class Gate(Protocol):
    def senders_get(self, *, pairs: Sequence[Pair]) -> dict[tuple[int, int], Sender]:
        """The senders as they are now (one query), keyed by (room id, user id)."""

    def senders_known(self, *, pairs: Sequence[Pair]) -> tuple[dict, dict]:
        """The senders as this process last read them, and the version each was read
        under; the send path checks those against ``version_keys`` in its round trip."""

    def senders_confirm(
        self, *, pairs: Sequence[Pair], read_under: dict, versions: dict[int, int]
    ) -> dict[tuple[int, int], Sender]:
        """Those senders whose room's version moved since they were read, read again."""

    def version_keys(self, *, room_ids: Sequence[int]) -> list[str]:
        """Redis counters to read with each batch: the blocked terms' version, then each
        room's standing version, in that order."""

    def blocked(self, *, text: str, room_id: int, version: int | None = None) -> bool:
        """Whether ``text`` contains a term blocked in the room."""

    def review(self, *, message_ids: list[str]) -> None:
        """Queue AutoMod's review of just-stored messages (after the commit)."""

    def is_command(self, text: str) -> bool:
        """Whether what a chatter typed is a chat command rather than a message."""

    def command_execute(self, *, room: Room, actor, text: str, source: str) -> str:
        """Run a chat command; returns the confirmation to show whoever typed it."""


_installed: list[Gate] = []


def gate_install(gate: Gate) -> None:
    """Moderation's answers, for this process (its app's ``ready()``)."""
    _installed[:] = [gate]


def gate() -> Gate:
    if not _installed:
        raise RuntimeError("No moderation gate installed: is 'moderation' in INSTALLED_APPS?")
    return _installed[0]
