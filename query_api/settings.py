"""Settings of the query API (env `SHOP_QUERY_*`); its port is infra's `query_api_port`."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class QueryApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_QUERY_", env_file=".env", extra="ignore")

    # Read-your-writes: how long a request carrying a consistency token waits for the
    # projection to reach it before answering anyway, marked stale.
    consistency_wait_seconds: float = Field(3.0, ge=0)
    consistency_poll_seconds: float = Field(0.02, gt=0)
    postgres_pool_size: int = 10


@lru_cache
def get_query_settings() -> QueryApiSettings:
    return QueryApiSettings()
