"""Registries served over HTTP on a free port: in memory, or on a fresh Kafka topic.

Each Kafka registry gets a topic no earlier run has written (compacted, one
partition, like `_schemas`), so tests never see old data; the topics are
deleted when the session ends.
"""

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from confluent_kafka.admin import AdminClient, NewTopic
from fastapi import FastAPI

from infra.settings import Settings
from schemas.registry.app import create_app
from schemas.registry.log import KafkaRegistryLog
from schemas.registry.memory import InMemoryRegistryStore
from schemas.registry.server import build_app
from schemas.registry.store import RegistryStore

STORES = ["memory", pytest.param("kafka", marks=pytest.mark.stack)]


@dataclass
class RunningRegistry:
    url: str
    store: RegistryStore
    server: uvicorn.Server
    thread: threading.Thread
    http: httpx.Client

    def stop(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)
        if isinstance(self.store, KafkaRegistryLog):
            self.store.stop()


def serve_in_thread(app: FastAPI, store: RegistryStore) -> RunningRegistry:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the registry did not start"
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    return RunningRegistry(url, store, server, thread, httpx.Client(base_url=url, timeout=60))


@pytest.fixture(scope="session")
def new_registry_topic(settings: Settings) -> Iterator[Callable[[], str]]:
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    created: list[str] = []

    def create(partitions: int = 1) -> str:
        name = f"_schemas.test-{uuid.uuid4().hex[:12]}"
        config = {"cleanup.policy": "compact", "min.insync.replicas": "1"}
        for future in admin.create_topics([NewTopic(name, partitions, 1, config=config)]).values():
            future.result()
        created.append(name)
        return name

    yield create
    if created:
        for future in admin.delete_topics(created).values():
            future.result()


@pytest.fixture(scope="session")
def start_kafka_registry(
    settings: Settings, new_registry_topic: Callable[[], str]
) -> Iterator[Callable[[str], RunningRegistry]]:
    """Starts a registry instance on a topic; several may share one topic.

    Asks for `new_registry_topic` so that instances stop before their topics go.
    """
    running: list[RunningRegistry] = []

    def start(topic: str) -> RunningRegistry:
        store = KafkaRegistryLog(settings.kafka_bootstrap, topic, timeout_s=20)
        store.start()
        registry = serve_in_thread(build_app(store), store)
        running.append(registry)
        return registry

    yield start
    for registry in running:
        registry.stop()


@pytest.fixture(scope="session")
def kafka_registry(
    new_registry_topic: Callable[[], str],
    start_kafka_registry: Callable[[str], RunningRegistry],
) -> RunningRegistry:
    return start_kafka_registry(new_registry_topic())


@pytest.fixture(scope="session")
def memory_registry() -> Iterator[RunningRegistry]:
    store = InMemoryRegistryStore()
    registry = serve_in_thread(create_app(store), store)
    yield registry
    registry.stop()


@pytest.fixture(params=STORES)
def registry(request: pytest.FixtureRequest) -> RunningRegistry:
    """The same API over either store (asked for lazily: memory runs need no Kafka)."""
    running: RunningRegistry = request.getfixturevalue(f"{request.param}_registry")
    return running


@pytest.fixture(params=STORES)
def fresh_registry(request: pytest.FixtureRequest) -> Iterator[RunningRegistry]:
    """A registry of its own, for tests that change global settings."""
    if request.param == "kafka":
        topic = request.getfixturevalue("new_registry_topic")()
        yield request.getfixturevalue("start_kafka_registry")(topic)
        return
    store = InMemoryRegistryStore()
    registry = serve_in_thread(create_app(store), store)
    yield registry
    registry.stop()


@pytest.fixture
def subject() -> str:
    """A subject no other test uses (registries are shared within a session)."""
    return f"test-{uuid.uuid4().hex[:10]}-value"
