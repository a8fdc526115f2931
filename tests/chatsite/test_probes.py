"""/healthz, /readyz and /metrics: what an orchestrator and Prometheus are told."""

import json
import re
import time
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator
from prometheus_client.metrics import MetricWrapperBase

from chatsite import lifecycle, metrics
from chatsite.asgi import application
from chatsite.celery import WORKERS_KEY
from chatsite.redis import redis_client

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def get(path: str, *, host: bytes = b"10.1.2.3:8000", method: str = "GET"):
    """The answer to an HTTP request, as the probes see it: (status, headers, body)."""
    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(b"host", host)], "http_version": "1.1", "scheme": "http",
             "server": ("10.1.2.3", 8000), "client": ("10.9.9.9", 5000),
             "root_path": ""}  # fmt: skip
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(10)
    body = await communicator.receive_output(10)
    return start["status"], dict(start["headers"]), body["body"]


@pytest.fixture
def worker_alive():
    redis_client().hset(WORKERS_KEY, "automod@test", str(time.time()))
    yield
    redis_client().hdel(WORKERS_KEY, "automod@test")


@pytest.fixture
def stopping():
    lifecycle.mark_stopping()
    yield
    lifecycle._state["stopping"] = False


async def test_healthz_answers_whatever_the_host_and_checks_nothing():
    status, headers, body = await get("/healthz", host=b"pod-ip-not-allowed")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert headers[b"cache-control"] == b"no-store"


async def test_readyz_is_ready_with_the_database_redis_and_a_worker(worker_alive):
    status, _, body = await get("/readyz")
    report = json.loads(body)
    assert status == 200, report
    assert report["status"] == "ready"
    assert set(report["checks"]) == {"database", "redis", "worker"}


async def test_readyz_names_a_missing_worker():
    redis_client().delete(WORKERS_KEY)
    status, _, body = await get("/readyz")
    report = json.loads(body)
    assert status == 503
    assert report["failed"] == ["worker"]
    assert "no Celery worker" in report["checks"]["worker"]


async def test_a_stale_heartbeat_is_no_worker():
    redis_client().hset(WORKERS_KEY, "gone@host", str(time.time() - 600))
    status, _, body = await get("/readyz")
    assert status == 503
    assert "no Celery worker heartbeat for" in json.loads(body)["checks"]["worker"]


async def test_a_stopping_process_is_not_ready_but_still_healthy(worker_alive, stopping):
    status, _, body = await get("/readyz")
    report = json.loads(body)
    assert status == 503
    assert report["failed"] == ["process"]
    assert (await get("/healthz"))[0] == 200


async def test_probes_take_only_get():
    status, _, body = await get("/readyz", method="POST")
    assert status == 405
    assert json.loads(body)["code"] == "method_not_allowed"


async def test_metrics_are_in_prometheus_text_format(worker_alive):
    status, headers, body = await get("/metrics")
    assert status == 200
    assert headers[b"content-type"].startswith(b"text/plain")
    text = body.decode()
    names = [
        "twitchy_messages_stored_total",
        "twitchy_celery_queue_depth",
        "twitchy_workers_alive",
        "twitchy_viewers",
        "twitchy_automod_waiting",
    ]
    for name in names:
        assert f"# TYPE {name.removesuffix('_total')}" in text, name


async def test_the_grafana_dashboard_charts_only_metrics_that_exist():
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    names = {reader[0] for reader in metrics._readers} | {
        value._name for value in vars(metrics).values() if isinstance(value, MetricWrapperBase)
    }
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            for name in re.findall(r"twitchy_[a-z_]+", target["expr"]):
                base = re.sub(r"_(bucket|total|count|sum)$", "", name)
                assert base in names, (panel["title"], name)
