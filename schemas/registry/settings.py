"""The registry server's settings, from SHOP_REGISTRY_* environment variables."""

from functools import lru_cache
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.settings import get_settings
from infra.topics import SCHEMAS_TOPIC
from schemas.registry.compatibility import DEFAULT_LEVEL, LEVELS


class RegistrySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_REGISTRY_", env_file=".env", extra="ignore")

    # Where the platform's Kafka is (SHOP_KAFKA_BOOTSTRAP) unless set for the registry alone.
    kafka_bootstrap: str = Field(default_factory=lambda: get_settings().kafka_bootstrap)
    topic: str = SCHEMAS_TOPIC
    host: str = "127.0.0.1"
    # The port clients are told to use (SHOP_SCHEMA_REGISTRY_URL), 8081 unless it says otherwise.
    port: int = Field(default_factory=lambda: urlsplit(get_settings().schema_registry_url).port
                      or 8081)
    # Shared by every instance on one topic: it is what makes their writes take turns.
    transactional_id: str | None = None
    default_compatibility: str = DEFAULT_LEVEL
    timeout_s: float = Field(10.0, gt=0, description="Kafka reads and writes, per request")
    create_topic: bool = Field(True, description="create the topic (compacted) if missing")
    log_level: str = "info"

    @field_validator("default_compatibility")
    @classmethod
    def _known_level(cls, level: str) -> str:
        if level.upper() not in LEVELS:
            raise ValueError(f"must be one of {', '.join(LEVELS)}")
        return level.upper()


@lru_cache
def get_registry_settings() -> RegistrySettings:
    return RegistrySettings()
