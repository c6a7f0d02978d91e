"""The registry on its Kafka topic: instances agree, a restart recovers, racing writers take turns."""

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from confluent_kafka import Producer

from infra.settings import Settings
from schemas.registry.log import KafkaRegistryLog
from schemas.registry.state import RegistryState
from schemas.registry.store import RegistryStoreError
from tests.schemas.avro_factories import ID, field, record
from tests.schemas.conftest import RunningRegistry

pytestmark = pytest.mark.stack

StartRegistry = Callable[[str], RunningRegistry]


def register(registry: RunningRegistry, subject: str, schema: str) -> int:
    response = registry.http.post(f"/subjects/{subject}/versions", json={"schema": schema})
    assert response.status_code == 200, response.text
    return int(response.json()["id"])


def get(registry: RunningRegistry, path: str) -> object:
    response = registry.http.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def optional_field_schema(number: int) -> str:
    # Any two of these are compatible both ways, so racing writers may land in any order.
    return record(ID, field(f"extra_{number}", "int", default=number))


def state_of(registry: RunningRegistry) -> RegistryState:
    return registry.store.current()


def settle(*registries: RunningRegistry, timeout: float = 10) -> None:
    """Until every instance has read what the others wrote."""
    deadline = time.monotonic() + timeout
    while len({id(r) for r in registries}) > 1 and time.monotonic() < deadline:
        states = [state_of(r) for r in registries]
        if all(state == states[0] for state in states):
            return
        time.sleep(0.05)
    states = [state_of(r) for r in registries]
    assert all(state == states[0] for state in states)


def test_a_second_instance_sees_what_the_first_wrote_and_the_reverse(
    new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    topic = new_registry_topic()
    first = start_kafka_registry(topic)
    orders_id = register(first, "orders-value", record(ID))
    register(first, "orders-value", optional_field_schema(1))
    first.http.put("/config/orders-value", json={"compatibility": "FULL"})

    second = start_kafka_registry(topic)
    # Started after the writes: it read the topic to its end before serving.
    assert get(second, "/subjects") == ["orders-value"]
    assert get(second, "/subjects/orders-value/versions") == [1, 2]
    assert get(second, f"/schemas/ids/{orders_id}/schema") == json.loads(record(ID))
    assert get(second, "/config/orders-value") == {"compatibilityLevel": "FULL"}

    payments_id = register(second, "payments-value", record(ID, name="Payment"))
    assert payments_id == orders_id + 2  # one sequence of ids for both instances
    settle(first, second)
    assert get(first, "/subjects") == ["orders-value", "payments-value"]


def test_a_restarted_registry_recovers_its_state_from_the_topic(
    new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    topic = new_registry_topic()
    before = start_kafka_registry(topic)
    register(before, "kept-value", record(ID))
    register(before, "kept-value", optional_field_schema(1))
    register(before, "gone-value", record(ID, name="Gone"))
    for path in ("/subjects/kept-value/versions/1", "/subjects/gone-value",
                 "/subjects/gone-value?permanent=true"):
        assert before.http.delete(path).status_code == 200
    assert before.http.put("/config", json={"compatibility": "NONE"}).status_code == 200
    expected = state_of(before)
    before.stop()

    after = start_kafka_registry(topic)
    assert state_of(after) == expected
    assert get(after, "/subjects") == ["kept-value"]
    assert get(after, "/subjects/kept-value/versions?deleted=true") == [1, 2]
    assert get(after, "/config") == {"compatibilityLevel": "NONE"}
    # The next id continues the sequence instead of starting again.
    assert register(after, "new-value", record(ID, name="New")) == 4


def test_racing_instances_never_hand_out_a_version_or_an_id_twice(
    new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    topic = new_registry_topic()
    instances = [start_kafka_registry(topic), start_kafka_registry(topic)]
    schemas = [optional_field_schema(n) for n in range(12)]
    start = threading.Barrier(len(schemas))

    def register_at_once(number: int) -> int:
        start.wait()
        return register(instances[number % 2], "raced-value", schemas[number])

    with ThreadPoolExecutor(len(schemas)) as pool:
        ids = list(pool.map(register_at_once, range(len(schemas))))

    assert sorted(ids) == list(range(1, len(schemas) + 1))
    settle(*instances)
    for instance in instances:
        assert get(instance, "/subjects/raced-value/versions") == list(range(1, len(schemas) + 1))
        for schema, schema_id in zip(schemas, ids, strict=True):
            assert get(instance, f"/schemas/ids/{schema_id}/schema") == json.loads(schema)


def test_the_same_schema_registered_at_once_on_two_instances_gets_one_id(
    new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    topic = new_registry_topic()
    instances = [start_kafka_registry(topic), start_kafka_registry(topic)]
    start = threading.Barrier(2)

    def register_at_once(number: int) -> int:
        start.wait()
        return register(instances[number], f"subject-{number}-value", record(ID))

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(register_at_once, range(2))) == [1, 1]


def test_an_unreadable_record_is_skipped(
    settings: Settings, new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    topic = new_registry_topic()
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap})
    producer.produce(topic, key=b"not json", value=b"{}")
    producer.produce(topic, key=b'{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}',
                     value=b'{"no":"id"}')
    assert producer.flush(10) == 0
    registry = start_kafka_registry(topic)
    assert get(registry, "/subjects") == []
    assert register(registry, "s", record(ID)) == 1


def test_a_topic_with_several_partitions_is_refused(
    settings: Settings, new_registry_topic: Callable[..., str]
) -> None:
    store = KafkaRegistryLog(settings.kafka_bootstrap, new_registry_topic(partitions=2))
    with pytest.raises(RegistryStoreError, match="one partition"):
        store.start()


def test_metrics_describe_the_registry(
    new_registry_topic: Callable[[], str], start_kafka_registry: StartRegistry
) -> None:
    registry = start_kafka_registry(new_registry_topic())
    register(registry, "metered-value", record(ID))
    response = registry.http.get("/metrics")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert "schema_registry_subjects 1.0" in lines
    assert "schema_registry_schemas 1.0" in lines
    assert any(line.startswith("process_cpu_seconds_total") for line in lines)
