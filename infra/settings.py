"""Every setting the platform reads, from environment variables with local defaults.

Each component's address can point at an external service (a managed Kafka, a
Confluent Schema Registry, ...) by setting the variable; the defaults match the
local stack that `shop stack up` starts.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

PLACEHOLDER_SECRETS = {"shop", "changethis", "dev-secret-change-me"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env", extra="ignore")

    environment: str = Field("local", description="local, ci or production")
    stack_dir: Path = PROJECT_ROOT / ".stack"

    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_controller_port: int = 9093
    kafka_heap: str = "512m"
    kafka_partitions: int = 6
    # Prepended to every project topic name: an isolated set of topics on a shared cluster.
    topic_prefix: str = ""

    opensearch_url: str = "http://127.0.0.1:9200"
    opensearch_transport_port: int = 9300
    opensearch_heap: str = "512m"

    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "shop"
    postgres_password: SecretStr = SecretStr("shop")
    postgres_db: str = "shop"

    redis_url: str = "redis://127.0.0.1:6379/0"

    schema_registry_url: str = "http://127.0.0.1:8081"

    command_api_port: int = 8000
    query_api_port: int = 8001
    streams_metrics_port: int = 6066

    jwt_secret: SecretStr = SecretStr("dev-secret-change-me")

    @property
    def postgres_dsn(self) -> str:
        password = self.postgres_password.get_secret_value()
        return (
            f"postgresql://{self.postgres_user}:{password}"
            f"@{self.postgres_host}:{self.postgres_port}/{self.postgres_db}"
        )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets_in_production(self) -> "Settings":
        # Local and CI run on well-known defaults; production must not.
        if self.environment == "production":
            for name in ("postgres_password", "jwt_secret"):
                if getattr(self, name).get_secret_value() in PLACEHOLDER_SECRETS:
                    raise ValueError(f"SHOP_{name.upper()} must be set in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
