"""Group commit: writes that arrive together share one transaction (pure: no Django).

Threads call ``GroupCommit.submit(item)``. The first becomes the leader and
stores everything queued so far in one call of ``store_batch``; whoever arrives
while it works waits, and the first of them leads the next batch. There is no
timer: a lone write goes at once, and under load the batches grow by themselves
to whatever arrived during the previous commit. Every caller returns only once
its own item is stored (or has failed), so "stored before acknowledged" holds.
"""

import threading
from collections.abc import Callable
from typing import Any


class Pending:
    """One write waiting for its batch."""

    __slots__ = ("error", "event", "leads", "request", "result")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.result: Any = None
        self.error: BaseException | None = None
        self.event = threading.Event()
        self.leads = False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    def __init__(self, store_batch: Callable[[list[Pending]], None]) -> None:
        """``store_batch`` sets ``result`` or ``error`` on each of the items it is given."""
        self._store_batch = store_batch
        self._lock = threading.Lock()
        self._queue: list[Pending] = []
        self._busy = False

    def submit(self, request: Any) -> Any:
        item = Pending(request)
        with self._lock:
            self._queue.append(item)
            lead = not self._busy
            self._busy = True
        if not lead:
            item.event.wait()
            if not item.leads:
                return item.outcome()
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._store_batch(batch)
        except BaseException as error:
            for pending in batch:
                if pending.result is None and pending.error is None:
                    pending.error = error
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].leads = True
                    self._queue[0].event.set()
                else:
                    self._busy = False
            for pending in batch:
                if pending is not item:
                    pending.event.set()
        return item.outcome()
