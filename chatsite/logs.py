"""Structured logs: with ``LOG_FORMAT=json`` each record is one JSON object on one line
(time, level, logger, message, and whichever of the connection, room, user and message
it concerns), for a log pipeline to index. What a record concerns comes from
``extra={...}`` on the call, or from the connection being served (``bind``: a consumer
binds its connection, room and user once, and every record logged while it serves that
connection carries them). Chat text is never logged at info level or above.
"""

import contextvars
import json
import logging
import time

FIELDS = ("connection_id", "room", "user_id", "message_id")

_bound: contextvars.ContextVar[dict | None] = contextvars.ContextVar("log_context", default=None)


def bind(**fields) -> None:
    """Add ``fields`` to every record logged from here on in this task (or thread)."""
    _bound.set({**(_bound.get() or {}), **{k: v for k, v in fields.items() if v is not None}})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in (_bound.get() or {}).items():
            data.setdefault(name, value)
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                data[name] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, default=str, ensure_ascii=False)
