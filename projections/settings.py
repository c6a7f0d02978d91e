"""Settings of the projectors and rebuilds (env `SHOP_PROJECTIONS_*`), beside infra's."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.topics import events_topic


class ProjectionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_PROJECTIONS_", env_file=".env",
                                      extra="ignore")

    events_topic: str = events_topic("catalog")
    # Live projectors: a batch closes at batch_size records or after batch_within seconds.
    batch_size: int = 5000
    batch_within: float = 0.2
    consumer_group_prefix: str = "shop-projector"
    # A worker that died without leaving its group holds its partitions this long.
    consumer_session_timeout: float = 10.0
    metrics_port: int = 9102  # the n-th projector (0-based) serves /metrics on metrics_port + n
    postgres_pool_size: int = 4
    products_view: str = "products"
    search_alias: str = "products"
    rebuild_batch_size: int = 10000
    # Processes sharing a rebuild's partitions: decoding is CPU-bound Python.
    rebuild_workers: int = 2


@lru_cache
def get_projection_settings() -> ProjectionSettings:
    return ProjectionSettings()
