"""The write side as it runs for real: registry, command processor and command API
processes against the local stack, on topics of their own for this test session."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from confluent_kafka.admin import AdminClient

from infra.child_process import RunningProcess, free_port, start
from infra.settings import Settings
from infra.topics import commands_topic, ensure_topics, events_topic, project_topics


@dataclass
class WriteSide:
    settings: Settings
    registry_url: str
    prefix: str
    log_dir: Path
    processes: list[RunningProcess] = field(default_factory=list)

    @property
    def events_topic(self) -> str:
        return events_topic("catalog", self.prefix)

    @property
    def commands_topic(self) -> str:
        return commands_topic("catalog", self.prefix)

    @property
    def env(self) -> dict[str, str]:
        return {"SHOP_SCHEMA_REGISTRY_URL": self.registry_url, "SHOP_TOPIC_PREFIX": self.prefix}

    def start_processor(self, instance: str = "test-1", snapshot_every: int = 50) -> RunningProcess:
        metrics = free_port()
        process = start(f"processor-{instance}", "commands.processor", env={
            **self.env,
            "SHOP_PROCESSOR_INSTANCE_ID": instance,
            "SHOP_PROCESSOR_METRICS_PORT": str(metrics),
            "SHOP_PROCESSOR_SNAPSHOT_EVERY": str(snapshot_every),
        }, health_url=f"http://127.0.0.1:{metrics}/metrics", log_dir=self.log_dir)
        self.processes.append(process)
        return process

    def start_command_api(self) -> str:
        port = free_port()
        self.processes.append(start("command-api", "commands.api", env={
            **self.env, "SHOP_COMMAND_API_PORT": str(port),
            # Generous: the first commands wait for the processor to load its partitions.
            "SHOP_COMMAND_API_REPLY_TIMEOUT_SECONDS": "20",
        }, health_url=f"http://127.0.0.1:{port}/health", log_dir=self.log_dir))
        return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def new_write_side(running_stack: Settings, registry_process: tuple[str, str],
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], WriteSide]]:
    """Makes write sides, each on its own fresh topics; all are removed at the end."""
    made: list[tuple[WriteSide, list[str]]] = []

    def make() -> WriteSide:
        prefix = f"test.{uuid.uuid4().hex[:8]}."
        specs = project_topics(running_stack.kafka_partitions, prefix)
        ensure_topics(running_stack.kafka_bootstrap, specs)
        side = WriteSide(running_stack, registry_process[0], prefix, tmp_path_factory.mktemp("write-side"))
        made.append((side, [spec.name for spec in specs]))
        return side

    yield make
    admin = AdminClient({"bootstrap.servers": running_stack.kafka_bootstrap})
    for side, topics in made:
        for process in reversed(side.processes):
            process.stop()
        for future in admin.delete_topics(topics, operation_timeout=30).values():
            future.result()


@pytest.fixture(scope="session")
def write_side(new_write_side: Callable[[], WriteSide]) -> WriteSide:
    return new_write_side()


@pytest.fixture(scope="session")
def processor(write_side: WriteSide) -> RunningProcess:
    return write_side.start_processor()


@pytest.fixture(scope="session")
def command_api(write_side: WriteSide, processor: RunningProcess) -> str:
    return write_side.start_command_api()


@pytest.fixture
def client(command_api: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=command_api, timeout=30) as http:
        yield http
