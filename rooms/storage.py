"""How a batch of checked messages reaches the database (called by ``rooms.actions.messages``).

Per room, in id order (one lock order for every writer, so no deadlock), take the room's
next sequence numbers with one ``UPDATE ... RETURNING``: the row lock orders concurrent
writers, in any process. Then one insert of every row, whose seqs read what those updates
took. A failed insert gives the numbers back, so each room's sequence stays gap-free.

On PostgreSQL all of it is one simple query: one round trip, one implicit transaction (or
part of the caller's), the row locks held only while it runs, and the rows travel as one
JSON document that the server unpacks (``jsonb_to_recordset``) rather than as a dozen
parameters per row for the client to quote. Elsewhere (the embedded SQLite) the same
statements run one by one, with plain parameters, in a transaction.
"""

import json
import uuid
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from rooms.models import Message, Room

_BACK = "_back"  # how many seqs before the room's new last one a row takes


def messages_insert(groups: list[tuple[int, list[Message]]]) -> None:
    """Store each group's messages (room id, its messages in order; rooms in id order) with
    the room's next seqs, which are set on the messages."""
    updates = [
        (
            f"UPDATE {Room._meta.db_table} SET last_seq = last_seq + %s "  # noqa: S608
            "WHERE id = %s RETURNING last_seq",
            [len(messages), room_id],
        )
        for room_id, messages in groups
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            insert, values = _insert_from_json(groups)
            cursor.execute(
                "; ".join([*(sql for sql, _ in updates), insert]),
                [value for _, params in updates for value in params] + values,
            )
            lasts = []
            for _ in updates:
                lasts.append(cursor.fetchone()[0])
                cursor.nextset()
        else:
            with transaction.atomic():
                lasts = []
                for sql, params in updates:
                    cursor.execute(sql, params)
                    lasts.append(cursor.fetchone()[0])
                cursor.execute(*_insert_with_params(groups))
    for (_, messages), last in zip(groups, lasts, strict=True):
        for seq, message in enumerate(messages, start=last - len(messages) + 1):
            message.seq = seq


def _fields() -> list:
    return [field for field in Message._meta.concrete_fields if field.attname != "seq"]


def _seq_sql(room_id: str, back: str) -> str:
    return f"(SELECT last_seq FROM {Room._meta.db_table} WHERE id = {room_id}) - {back}"  # noqa: S608


def _columns(fields: list) -> str:
    quote = connection.ops.quote_name
    return ", ".join([*(quote(field.column) for field in fields), quote("seq")])


def _insert_from_json(groups: list[tuple[int, list[Message]]]) -> tuple[str, list[Any]]:
    fields = _fields()
    rows = []
    for _, messages in groups:
        for back, message in enumerate(reversed(messages)):
            row = {field.column: getattr(message, field.attname) for field in fields}
            row[_BACK] = back
            rows.append(row)
    record = ", ".join(
        [*(f"{field.column} {field.db_type(connection)}" for field in fields), f"{_BACK} integer"]
    )
    room = Message._meta.get_field("room").column
    picked = ", ".join(f"r.{field.column}" for field in fields)
    sql = (
        f"INSERT INTO {Message._meta.db_table} ({_columns(fields)}) "  # noqa: S608
        f"SELECT {picked}, {_seq_sql(f'r.{room}', f'r.{_BACK}')} "
        f"FROM jsonb_to_recordset(%s::jsonb) AS r({record})"
    )
    return sql, [json.dumps(rows, default=_plain, ensure_ascii=False, separators=(",", ":"))]


def _plain(value: object) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form for the insert")


def _insert_with_params(groups: list[tuple[int, list[Message]]]) -> tuple[str, list[Any]]:
    fields = _fields()
    rows, values = [], []
    for room_id, messages in groups:
        for back, message in enumerate(reversed(messages)):
            rows.append(f"({', '.join(['%s'] * len(fields))}, {_seq_sql('%s', '%s')})")
            values += [field.get_db_prep_save(getattr(message, field.attname), connection)
                       for field in fields]  # fmt: skip
            values += [room_id, back]
    sql = f"INSERT INTO {Message._meta.db_table} ({_columns(fields)}) VALUES {', '.join(rows)}"  # noqa: S608
    return sql, values
