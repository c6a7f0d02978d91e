"""The read side's real surroundings for tests, isolated per test session.

A fresh PostgreSQL database, a catalog events topic and its dead-letter topic
with unique names, an OpenSearch alias with a unique prefix, and the project's
own schema registry process on a free port over its own schemas topic. All of
it is removed at the end of the session.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from confluent_kafka.admin import AdminClient, NewTopic
from opensearchpy import OpenSearch

from infra.child_process import RunningProcess, free_port, start
from infra.settings import Settings
from projections.bootstrap import ProjectionClients, connect
from projections.log_reader import LogReader
from projections.records import SourceRecord
from projections.settings import ProjectionSettings
from tests.support.catalog_events import CatalogEventWriter


@dataclass(frozen=True)
class ReadSide:
    settings: Settings
    projection_settings: ProjectionSettings
    env: dict[str, str]  # the same settings for a subprocess
    log_dir: Path

    @property
    def topic(self) -> str:
        return self.projection_settings.events_topic

    @property
    def dlq_topic(self) -> str:
        return f"{self.topic}.dlq"


def _create_topics(admin: AdminClient, topics: dict[str, int]) -> None:
    futures = admin.create_topics([NewTopic(name, num_partitions=count, replication_factor=1)
                                   for name, count in topics.items()], operation_timeout=30)
    for future in futures.values():
        future.result()


def _delete_groups(admin: AdminClient, prefix: str) -> None:
    listed = admin.list_consumer_groups(request_timeout=10).result()
    groups = [g.group_id for g in listed.valid if g.group_id.startswith(prefix)]
    if groups:
        for future in admin.delete_consumer_groups(groups, request_timeout=10).values():
            with suppress(Exception):  # a group still winding down expires by itself
                future.result()


def _delete_topics(admin: AdminClient, names: list[str]) -> None:
    for future in admin.delete_topics(names, operation_timeout=30).values():
        with suppress(Exception):  # already gone: nothing to clean
            future.result()


@pytest.fixture(scope="session")
def registry_process(running_stack: Settings,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The project's registry on a free port over its own schemas topic: (url, topic)."""
    port, topic = free_port(), f"_schemas_test_{uuid.uuid4().hex[:8]}"
    process: RunningProcess = start(
        "read-side-registry", "schemas.registry.cli", "serve",
        env={"SHOP_REGISTRY_TOPIC": topic, "SHOP_REGISTRY_PORT": str(port)},
        health_url=f"http://127.0.0.1:{port}/subjects",
        log_dir=tmp_path_factory.mktemp("registry-logs"))
    yield f"http://127.0.0.1:{port}", topic
    process.stop()
    _delete_topics(AdminClient({"bootstrap.servers": running_stack.kafka_bootstrap}), [topic])


@contextmanager
def isolated_read_side(stack: Settings, registry_url: str, work_dir: Path) -> Iterator[ReadSide]:
    """A fresh database, topics and index prefix, removed afterwards."""
    uid = uuid.uuid4().hex[:8]
    database, topic = f"shop_test_{uid}", f"test.{uid}.catalog.events"
    admin = AdminClient({"bootstrap.servers": stack.kafka_bootstrap})
    _create_topics(admin, {topic: 6, f"{topic}.dlq": 1})
    _run_sql(stack, f'CREATE DATABASE "{database}"')
    (work_dir / "stack").mkdir(parents=True, exist_ok=True)
    (work_dir / "logs").mkdir(parents=True, exist_ok=True)
    env = {
        "SHOP_POSTGRES_DB": database,
        "SHOP_SCHEMA_REGISTRY_URL": registry_url,
        "SHOP_STACK_DIR": str(work_dir / "stack"),
        "SHOP_PROJECTIONS_EVENTS_TOPIC": topic,
        "SHOP_PROJECTIONS_SEARCH_ALIAS": f"test-{uid}-products",
        "SHOP_PROJECTIONS_CONSUMER_GROUP_PREFIX": f"test-{uid}-projector",
    }
    settings = stack.model_copy(update={
        "postgres_db": database, "schema_registry_url": registry_url,
        "stack_dir": work_dir / "stack"})
    projection_settings = ProjectionSettings(
        events_topic=topic, search_alias=env["SHOP_PROJECTIONS_SEARCH_ALIAS"],
        consumer_group_prefix=env["SHOP_PROJECTIONS_CONSUMER_GROUP_PREFIX"])
    try:
        yield ReadSide(settings, projection_settings, env, work_dir / "logs")
    finally:
        _delete_groups(admin, env["SHOP_PROJECTIONS_CONSUMER_GROUP_PREFIX"])
        _delete_topics(admin, [topic, f"{topic}.dlq"])
        _run_sql(stack, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        search = OpenSearch(hosts=[stack.opensearch_url])
        search.indices.delete(index=f"test-{uid}-*", params={"expand_wildcards": "all"})
        search.close()


@pytest.fixture(scope="session")
def read_side(running_stack: Settings, registry_process: tuple[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReadSide]:
    with isolated_read_side(running_stack, registry_process[0],
                            tmp_path_factory.mktemp("read-side")) as side:
        yield side


@pytest.fixture(scope="session")
def streams_worker(read_side: ReadSide) -> Iterator[tuple[RunningProcess, int]]:
    """`python -m streams` (all projectors) over the session's read side, and its metrics port."""
    process, port = start_streams(read_side)
    yield process, port
    process.stop()


def start_streams(side: ReadSide, *projectors: str, name: str = "streams") -> tuple[RunningProcess, int]:
    """`python -m streams` over the isolated read side; the process and its metrics port."""
    port = free_port()
    process = start(name, "streams", *projectors,
                    env={**side.env, "SHOP_STREAMS_METRICS_PORT": str(port)},
                    health_url=f"http://127.0.0.1:{port}/metrics", log_dir=side.log_dir)
    return process, port


def start_query_api(side: ReadSide, **env: str) -> tuple[RunningProcess, str]:
    """`python -m query_api` over the isolated read side; the process and its base URL."""
    port = free_port()
    process = start("query-api", "query_api",
                    env={**side.env, "SHOP_QUERY_API_PORT": str(port), **env},
                    health_url=f"http://127.0.0.1:{port}/health", log_dir=side.log_dir)
    return process, f"http://127.0.0.1:{port}"


def read_topic(bootstrap: str, topic: str, since: dict[int, int] | None = None
               ) -> list[SourceRecord]:
    """The committed records from `since` (default: the start) to the end of every partition."""
    reader = LogReader(bootstrap, topic, since)
    records: list[SourceRecord] = []
    try:
        while not reader.at_end:
            records += reader.read(timeout=0.05)
    finally:
        reader.close()
    return records


def _run_sql(settings: Settings, statement: str) -> None:
    """One statement on the main database, from a thread of its own: the tests' event
    loop may be running in this one."""

    async def run() -> None:
        conn = await asyncpg.connect(settings.postgres_dsn)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def event_writer(read_side: ReadSide) -> CatalogEventWriter:
    return CatalogEventWriter(read_side.settings.kafka_bootstrap,
                              read_side.settings.schema_registry_url, read_side.topic)


@pytest.fixture(scope="session")
async def projection_clients(read_side: ReadSide) -> AsyncIterator[ProjectionClients]:
    clients = await connect(read_side.settings, read_side.projection_settings)
    yield clients
    await clients.close()
