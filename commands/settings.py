"""Settings of the command side (processor and API), from SHOP_* environment variables."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ProcessorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_PROCESSOR_", extra="ignore")

    context: str = "catalog"
    # Stable per instance: a restarted instance fences its dead predecessor's open transaction.
    instance_id: str = "1"
    max_batch: int = 500
    # Events appended in a partition between snapshot markers: a restart replays at most this
    # many per partition, and every aggregate changed in between is snapshotted once.
    snapshot_every: int = 20_000
    idempotency_window_hours: float = 24.0
    idempotency_max_ids: int = 1000
    transaction_timeout_ms: int = 10_000
    # How long an instance that died for good holds its partitions before they move.
    session_timeout_ms: int = 10_000
    # A batch taking longer than this is stuck in the Kafka client: the process restarts itself.
    stall_seconds: float = 30.0
    metrics_port: int = 9101


class CommandApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_COMMAND_API_", extra="ignore")

    workers: int = 1
    reply_timeout_seconds: float = 5.0
    max_body_bytes: int = 64 * 1024
    replies_lookback_seconds: int = 3600  # replies read back at start, for GET /api/commands/{id}
