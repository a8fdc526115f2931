import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_setup(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="chatsite.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_refuses_to_start_without_secret_key_when_not_in_debug():
    result = run_setup()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_a_secret_key():
    result = run_setup(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_runs_without_a_secret_key():
    result = run_setup(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_log_format_that_does_not_exist_is_named():
    result = run_setup(SECRET_KEY="x" * 50, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT is 'plain' or 'json', not 'xml'" in result.stderr


def test_json_logs_are_one_object_per_line_on_stdout():
    logging_call = (
        "import django, logging; django.setup(); "
        "logging.getLogger('rooms').warning('a room %s', 'went quiet', "
        "extra={'room': 'lobby', 'message_id': 'm-1'})"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="chatsite.settings", SECRET_KEY="x" * 50, LOG_FORMAT="json")
    result = subprocess.run([sys.executable, "-c", logging_call], cwd=ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["level"] == "warning"
    assert record["logger"] == "rooms"
    assert record["message"] == "a room went quiet"
    assert record["room"] == "lobby"
    assert record["message_id"] == "m-1"
    assert record["time"].endswith("Z")
