"""Test-run environment, loaded by pytest before Django reads its settings.

- A throwaway ``SECRET_KEY`` (never used outside tests).
- Uploaded files and ``var/`` go to a temporary folder.
- With ``REDIS_URL`` unset, the embedded Redis runs on a private socket for the
  length of the run, so ``make test`` works on a machine with no Redis. CI sets
  ``REDIS_URL`` (and ``DATABASE_URL``) to the machine's real servers. Under
  pytest-xdist (``make test-fast``) each worker runs an embedded Redis of its own.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

if os.environ.get("TEST_SCRATCH"):  # kept after the run, to read the servers' logs
    _scratch = Path(os.environ["TEST_SCRATCH"])
else:
    _scratch = Path(tempfile.mkdtemp(prefix="twitchy-tests-"))
    atexit.register(shutil.rmtree, _scratch, ignore_errors=True)

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Close connections after each use: threads of in-process servers leave none open.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
# No LLM rewrites unless a test asks for them (and starts a worker).
os.environ.setdefault("LLM_BACKEND", "off")
os.environ["DEBUG"] = "false"
os.environ.setdefault("VAR_DIR", str(_scratch / "var"))
# Each test process counts in metrics of its own (pytest-xdist's workers inherit the
# environment: a shared directory would mix their counts).
_metrics = Path(tempfile.mkdtemp(prefix="twitchy-metrics-"))
atexit.register(shutil.rmtree, _metrics, ignore_errors=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics)
os.environ.setdefault("MEDIA_ROOT", str(_scratch / "media"))
(Path(os.environ["VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)

# The embedded Redis is the run's own: each pytest-xdist worker (``make test-fast``) starts
# one of its own too, since every test empties its Redis and watches its pub/sub channels.
_embedded = os.environ.get("TEST_EMBEDDED_REDIS_URL")
if not os.environ.get("REDIS_URL") or os.environ["REDIS_URL"] == _embedded:
    from chatsite.embedded import start_redis

    _socket = _scratch / "redis.sock"
    _redis = start_redis(_socket)

    def _stop_redis() -> None:
        _redis.terminate()
        _redis.wait(timeout=10)

    atexit.register(_stop_redis)
    os.environ["REDIS_URL"] = os.environ["TEST_EMBEDDED_REDIS_URL"] = f"unix://{_socket}"
