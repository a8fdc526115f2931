"""Moderation's answers to the send path's questions (``rooms.gate``), installed when
Django starts (``moderation.apps``)."""

from collections.abc import Sequence

from moderation import commands, selectors, tasks
from moderation.actions.commands import command_execute
from moderation.terms import first_blocked
from rooms.gate import Pair, Sender
from rooms.models import Room


class ModerationGate:
    def senders_get(self, *, pairs: Sequence[Pair]) -> dict[tuple[int, int], Sender]:
        return selectors.senders_get(pairs=pairs)

    def senders_known(self, *, pairs: Sequence[Pair]) -> tuple[dict, dict]:
        return selectors.senders_known(pairs=pairs)

    def senders_confirm(
        self, *, pairs: Sequence[Pair], read_under: dict, versions: dict[int, int]
    ) -> dict[tuple[int, int], Sender]:
        return selectors.senders_confirm(pairs=pairs, read_under=read_under, versions=versions)

    def version_keys(self, *, room_ids: Sequence[int]) -> list[str]:
        return [
            selectors.blocked_terms_version_key(),
            *map(selectors.standing_version_key, room_ids),
        ]

    def blocked(self, *, text: str, room_id: int, version: int | None = None) -> bool:
        terms = selectors.blocked_terms_for(room_id=room_id, version=version)
        return first_blocked(text, terms) is not None

    def review(self, *, message_ids: list[str]) -> None:
        tasks.automod_enqueue(message_ids)

    def is_command(self, text: str) -> bool:
        return commands.is_command(text)

    def command_execute(self, *, room: Room, actor, text: str, source: str) -> str:
        return command_execute(room=room, actor=actor, text=text, source=source)
