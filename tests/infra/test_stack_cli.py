"""The stack's command line against the running stack."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.settings import Settings
from infra.topics import project_topics

pytestmark = pytest.mark.stack


def shop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infra.cli", *args],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def test_status_shows_every_component_healthy() -> None:
    result = shop("stack", "status")

    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("postgres", "redis", "kafka", "opensearch"):
        line = next(line for line in result.stdout.splitlines() if name in line)
        assert "healthy" in line


def test_a_second_stack_on_the_same_ports_is_refused_with_a_clear_message(
    tmp_path: Path, settings: Settings
) -> None:
    result = shop("stack", "up", env={"SHOP_STACK_DIR": str(tmp_path / "other-stack")})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    kafka_port = settings.kafka_bootstrap.rsplit(":", 1)[1]
    assert f"port {kafka_port}" in result.stderr and "in use by another process" in result.stderr
    # It failed before installing anything into the second stack folder.
    assert not (tmp_path / "other-stack" / "kafka").exists()


def test_up_is_idempotent_on_a_running_stack() -> None:
    result = shop("stack", "up")

    assert result.returncode == 0, result.stderr
    assert result.stdout.count("already running") == 4


def test_the_project_topics_exist_with_their_partitions(settings: Settings) -> None:
    from confluent_kafka.admin import AdminClient

    topics = AdminClient({"bootstrap.servers": settings.kafka_bootstrap}).list_topics(timeout=10).topics
    for spec in project_topics(settings.kafka_partitions):
        assert spec.name in topics
        assert len(topics[spec.name].partitions) == spec.partitions
