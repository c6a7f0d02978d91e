"""The registry's settings follow the platform's unless set for the registry alone."""

from collections.abc import Iterator

import pytest

from infra.settings import get_settings
from schemas.registry.settings import RegistrySettings


@pytest.fixture(autouse=True)
def fresh_platform_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_come_from_the_platform_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_KAFKA_BOOTSTRAP", "kafka.example:9092")
    monkeypatch.setenv("SHOP_SCHEMA_REGISTRY_URL", "http://127.0.0.1:18081")
    settings = RegistrySettings()
    assert (settings.kafka_bootstrap, settings.port, settings.topic) == (
        "kafka.example:9092", 18081, "_schemas"
    )
    assert settings.default_compatibility == "BACKWARD_TRANSITIVE"


def test_registry_variables_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_KAFKA_BOOTSTRAP", "kafka.example:9092")
    monkeypatch.setenv("SHOP_REGISTRY_KAFKA_BOOTSTRAP", "other:9092")
    monkeypatch.setenv("SHOP_REGISTRY_PORT", "9000")
    monkeypatch.setenv("SHOP_REGISTRY_DEFAULT_COMPATIBILITY", "full")
    settings = RegistrySettings()
    assert (settings.kafka_bootstrap, settings.port, settings.default_compatibility) == (
        "other:9092", 9000, "FULL"
    )


def test_an_unknown_default_level_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_REGISTRY_DEFAULT_COMPATIBILITY", "SIDEWAYS")
    with pytest.raises(ValueError, match="BACKWARD_TRANSITIVE"):
        RegistrySettings()
