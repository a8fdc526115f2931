"""Group commit: writes that arrive together share one batch (pure: no Django).

Callers hand a request to ``GroupCommit.submit`` (threads: REST, tasks) or
``queue`` (the event loop: WebSocket consumers) and wait for its own result. A few
committer threads take whatever has queued, up to ``max_batch``, and make one call of
``store_batch`` with it. There is no timer: a lone write goes at once to an idle
committer; under load the batches grow by themselves to whatever arrived while the
committers were busy, and with several committers one batch's round trips overlap the
next one's work. Every caller returns only once its own request is done (stored or
refused), so "stored before acknowledged" holds.
"""

import asyncio
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

_STOP = object()
logger = logging.getLogger(__name__)


class Pending:
    """One request waiting for its batch; ``store_batch`` sets ``result`` or ``error``
    (and may ``finish`` it before the batch's remaining work)."""

    __slots__ = ("done", "error", "request", "result")

    def __init__(self, request: Any, done: Callable[["Pending"], None] = lambda _: None) -> None:
        self.request = request
        self.result: Any = None
        self.error: BaseException | None = None
        # Called with this pending by the committer once result or error is set. It is
        # given the pending rather than closing over it: no reference cycle per request,
        # which only the garbage collector's pauses would free.
        self.done = done

    def finish(self) -> None:
        """Hand the caller its result or error (once; the committer does it after
        ``store_batch`` for any that ``store_batch`` did not finish itself)."""
        done, self.done = self.done, None
        if done is not None:
            done(self)

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    def __init__(
        self,
        store_batch: Callable[[list[Pending]], None],
        *,
        committers: int = 2,
        max_batch: int = 500,
        before_batch: Callable[[], None] = lambda: None,
        on_stop: Callable[[], None] = lambda: None,
        name: str = "group-commit",
    ) -> None:
        """``before_batch`` and ``on_stop`` run on the committer threads (to look after
        their database connections)."""
        self._store_batch = store_batch
        self._committers, self._max_batch, self._name = committers, max_batch, name
        self._before_batch, self._on_stop = before_batch, on_stop
        self._cond = threading.Condition()
        self._queue: deque[Any] = deque()
        self._threads: list[threading.Thread] = []
        self._pid = 0

    def submit(self, request: Any) -> Any:
        """Queue ``request`` and wait, in this thread, for its result."""
        stored = threading.Event()
        item = Pending(request, lambda _: stored.set())
        self._put(item)
        stored.wait()
        return item.outcome()

    def queue(self, request: Any) -> asyncio.Future:
        """From the event loop: queue ``request`` now and return the future of its result.
        Requests queued one after another are handed to the committers in that order."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def settle(item: Pending) -> None:
            if future.cancelled():  # the caller went away; its request was still handled
                return
            if item.error is not None:
                future.set_exception(item.error)
            else:
                future.set_result(item.result)

        self._put(Pending(request, lambda item: loop.call_soon_threadsafe(settle, item)))
        return future

    def stop(self) -> None:
        """Let the committers finish what is queued, then end (they run ``on_stop``)."""
        with self._cond:
            threads, self._threads = self._threads, []
            self._queue.extend([_STOP] * len(threads))
            self._cond.notify_all()
        for thread in threads:
            thread.join(10)

    def _put(self, item: Pending) -> None:
        with self._cond:
            if self._pid != os.getpid():  # first use, or a forked child: its own committers
                self._pid, self._threads = os.getpid(), []
                self._queue.clear()
            if not self._threads:
                for number in range(self._committers):
                    thread = threading.Thread(
                        target=self._commit, name=f"{self._name}-{number}", daemon=True
                    )
                    thread.start()
                    self._threads.append(thread)
            self._queue.append(item)
            self._cond.notify()

    def _commit(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                if self._queue[0] is _STOP:
                    self._queue.popleft()
                    break
                batch: list[Pending] = []
                while self._queue and len(batch) < self._max_batch and self._queue[0] is not _STOP:
                    batch.append(self._queue.popleft())
            try:
                self._before_batch()
                self._store_batch(batch)
            except BaseException as error:
                logger.exception("A batch of %d requests failed", len(batch))
                for pending in batch:
                    if pending.result is None and pending.error is None:
                        pending.error = error
            finally:
                for pending in batch:
                    pending.finish()
        self._on_stop()
