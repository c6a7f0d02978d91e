"""An isolated platform for one benchmark run: its own topics, registry and processes."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka.admin import AdminClient

from infra.bootstrap import build_codec
from infra.child_process import RunningProcess, free_port, start
from infra.settings import Settings
from infra.topics import SCHEMAS_TOPIC, ensure_topics, project_topics
from schemas.codec import AvroCodec


@dataclass
class BenchPlatform:
    settings: Settings  # with this run's topic prefix and registry
    log_dir: Path
    processes: list[RunningProcess] = field(default_factory=list)
    metrics_urls: dict[str, str] = field(default_factory=dict)  # process name -> /metrics

    @property
    def env(self) -> dict[str, str]:
        return {"SHOP_TOPIC_PREFIX": self.settings.topic_prefix,
                "SHOP_SCHEMA_REGISTRY_URL": self.settings.schema_registry_url}

    def codec(self) -> AvroCodec:
        return build_codec(self.settings)

    def start_processor(self, instance: str = "bench-1", **env: str) -> RunningProcess:
        port = free_port()
        metrics = f"http://127.0.0.1:{port}/metrics"
        process = start(f"processor-{instance}", "commands.processor", env={
            **self.env, "SHOP_PROCESSOR_INSTANCE_ID": instance,
            "SHOP_PROCESSOR_METRICS_PORT": str(port), **env,
        }, health_url=metrics, log_dir=self.log_dir)
        self.processes.append(process)
        self.metrics_urls[process.name] = metrics
        return process

    def start_command_api(self) -> str:
        port = free_port()
        self.processes.append(start("command-api", "commands.api", env={
            **self.env, "SHOP_COMMAND_API_PORT": str(port), "SHOP_COMMAND_API_WORKERS": "2",
        }, health_url=f"http://127.0.0.1:{port}/health", log_dir=self.log_dir))
        return f"http://127.0.0.1:{port}"


@contextmanager
def bench_platform(settings: Settings, log_dir: Path) -> Iterator[BenchPlatform]:
    prefix = f"bench.{uuid.uuid4().hex[:8]}."
    specs = project_topics(settings.kafka_partitions, prefix)
    ensure_topics(settings.kafka_bootstrap, specs)
    log_dir.mkdir(parents=True, exist_ok=True)
    registry_port = free_port()
    registry = start("registry", "schemas.registry.cli", "serve", env={
        "SHOP_REGISTRY_TOPIC": f"{prefix}{SCHEMAS_TOPIC}", "SHOP_REGISTRY_PORT": str(registry_port),
    }, health_url=f"http://127.0.0.1:{registry_port}/subjects", log_dir=log_dir)
    run_settings = settings.model_copy(update={
        "topic_prefix": prefix, "schema_registry_url": f"http://127.0.0.1:{registry_port}"})
    platform = BenchPlatform(run_settings, log_dir, [registry])
    try:
        yield platform
    finally:
        for process in reversed(platform.processes):
            process.stop()
        admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
        admin.delete_topics([spec.name for spec in specs], operation_timeout=30)
