"""`shop schemas check` is a CI gate: it fails on a change the registry would refuse."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import orjson
import pytest

from schemas.catalogue import AVRO_DIR

pytestmark = pytest.mark.stack


def shop(registry_url: str, prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infra.cli", "schemas", *args], capture_output=True, text=True,
        timeout=120, check=False,
        env={**os.environ, "COLUMNS": "200", "SHOP_SCHEMA_REGISTRY_URL": registry_url,
             "SHOP_TOPIC_PREFIX": prefix})


def evolved_copy(tmp_path: Path, field: dict[str, object]) -> Path:
    """The project's schemas with one field added to ProductCreated."""
    target = tmp_path / "avro"
    shutil.copytree(AVRO_DIR, target)
    path = target / "catalog" / "events" / "ProductCreated.avsc"
    schema = orjson.loads(path.read_bytes())
    schema["fields"].append(field)
    path.write_bytes(orjson.dumps(schema))
    return target


@pytest.fixture
def registered(registry_process: tuple[str, str]) -> tuple[str, str]:
    url, prefix = registry_process[0], f"gate.{uuid.uuid4().hex[:8]}."
    result = shop(url, prefix, "register")
    assert result.returncode == 0, result.stdout + result.stderr
    return url, prefix


def test_the_registered_schemas_pass_the_check(registered: tuple[str, str]) -> None:
    result = shop(*registered, "check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "INCOMPATIBLE" not in result.stdout


def test_a_new_field_without_a_default_fails_the_check(
    registered: tuple[str, str], tmp_path: Path
) -> None:
    avro = evolved_copy(tmp_path, {"name": "currency", "type": "string"})

    result = shop(*registered, "check", "--avro-dir", str(avro))

    assert result.returncode == 1
    assert "INCOMPATIBLE" in result.stdout and "ProductCreated" in result.stdout


def test_a_new_field_with_a_default_passes_the_check(
    registered: tuple[str, str], tmp_path: Path
) -> None:
    avro = evolved_copy(tmp_path, {"name": "currency", "type": "string", "default": "EUR"})

    result = shop(*registered, "check", "--avro-dir", str(avro))

    assert result.returncode == 0, result.stdout
