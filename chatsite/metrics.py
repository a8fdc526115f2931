"""What the product counts for Prometheus (``/metrics``, docs/operations.md).

prometheus-client's multiprocess mode: every process (each web worker, each Celery
process) writes its own values into files under ``PROMETHEUS_MULTIPROC_DIR`` (set by the
settings before anything imports the client), and ``/metrics`` of any web process sums
them all, so one scrape of a host tells the whole host. Updates are cheap (a write into
a memory-mapped file) and happen per message or per batch, never per recipient.
Gauges of what is open now (connections) count live processes only.
"""

import bisect
import contextlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from kombu.exceptions import ChannelError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from chatsite.celery import HEARTBEAT_MAX_AGE, WORKERS_KEY
from chatsite.celery import app as celery_app
from chatsite.redis import redis_client

logger = logging.getLogger(__name__)

CONNECTIONS = Gauge(
    "twitchy_connections",
    "Open client connections, by protocol (websocket: the browser protocol; irc).",
    ["protocol"],
    multiprocess_mode="livesum",
)
MESSAGES_RECEIVED = Counter(
    "twitchy_messages_received_total", "Chat messages received from clients, before any rule."
)
MESSAGES_STORED = Counter(
    "twitchy_messages_stored_total", "Chat messages stored in PostgreSQL and acknowledged."
)
MESSAGES_DELIVERED = Counter(
    "twitchy_messages_delivered_total",
    "Chat messages written to open connections (one per message and connection).",
)
REFUSALS = Counter("twitchy_refusals_total", "Sends and actions refused, by error code.", ["code"])
SEND_SECONDS = Histogram(
    "twitchy_send_seconds",
    "From a send's arrival to its answer (the ack, or the refusal).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
FANOUT_BATCH = Histogram(
    "twitchy_fanout_batch_messages",
    "Frames written together to a room's connections in one tick.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
AUTOMOD_VERDICTS = Counter(
    "twitchy_automod_verdicts_total",
    "AutoMod's verdicts, by room level and action (allow, hold, block).",
    ["level", "action"],
)
LLM_SECONDS = Histogram(
    "twitchy_llm_seconds",
    "Time the LLM took for one rewrite.",
    buckets=(0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10),
)
LLM_FAILURES = Counter("twitchy_llm_failures_total", "LLM calls that failed or timed out.")
REWRITES = Counter(
    "twitchy_rewrites_total",
    "What became of each message queued for an LLM rewrite.",
    ["outcome"],
)


def observe_many(histogram: Histogram, values: list[float]) -> None:
    """``histogram.observe`` for each of ``values``, with one write per bucket touched
    (a batch of 200 sends: a handful of writes, not 600)."""
    if not values:
        return
    bounds = histogram._upper_bounds
    counts = [0] * len(bounds)
    for value in values:
        counts[bisect.bisect_left(bounds, value)] += 1
    for bucket, count in zip(histogram._buckets, counts, strict=True):
        if count:
            bucket.inc(count)
    histogram._sum.inc(sum(values))


def connection_opened(protocol: str) -> None:
    CONNECTIONS.labels(protocol).inc()


def connection_closed(protocol: str) -> None:
    CONNECTIONS.labels(protocol).dec()


def forget_dead_processes(directory: str) -> None:
    """Drop the live gauges of processes that are gone (a killed worker never says so)."""
    for path in Path(directory).glob("gauge_live*_*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(int(pid), directory)
        except PermissionError:
            pass


_readers: list[tuple[str, str, tuple[str, ...], object]] = []


def read_at_scrape(name: str, documentation: str, labels: tuple[str, ...] = ()):
    """Register a gauge read at scrape time rather than counted (a queue's depth, the
    viewers in Redis): the decorated function returns its value, or a dict of values by
    label values. The apps register theirs when Django starts."""

    def register(function):
        _readers.append((name, documentation, labels, function))
        return function

    return register


class StateCollector:
    """The gauges registered with ``read_at_scrape``, read at each scrape."""

    def collect(self):
        for name, documentation, labels, read in _readers:
            try:
                value = read()
            except Exception as error:  # a scrape during an outage still answers the rest
                logger.warning("metric %s could not be read: %s", name, error)
                continue
            if labels:
                family = GaugeMetricFamily(name, documentation, labels=list(labels))
                for key, number in value.items():
                    family.add_metric(list(key) if isinstance(key, tuple) else [key], number)
            else:
                family = GaugeMetricFamily(name, documentation, value=value)
            yield family


def _queues() -> list[str]:
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    return sorted({"celery", *routed})


@read_at_scrape("twitchy_celery_queue_depth", "Tasks waiting in each Celery queue.", ("queue",))
def _queue_depths() -> dict[str, int]:
    depths = {}
    with celery_app.connection_for_read(connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)
        channel = conn.channel()
        for name in _queues():
            try:
                depths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:  # not declared yet: nothing was ever queued there
                depths[name] = 0
                channel = conn.channel()  # an AMQP broker closed the channel
    return depths


@read_at_scrape("twitchy_workers_alive", "Celery workers whose heartbeat is fresh.")
def _workers_alive() -> int:
    now = time.time()
    beats = redis_client().hvals(WORKERS_KEY)
    return sum(now - float(at) <= HEARTBEAT_MAX_AGE for at in beats)


def exposition() -> tuple[bytes, str]:
    """The whole host's metrics in Prometheus' text format, and their content type."""
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        with contextlib.suppress(OSError):
            forget_dead_processes(directory)
        multiprocess.MultiProcessCollector(registry, path=directory)
    registry.register(StateCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
