"""Rebuilding one aggregate of 10,000 events, from the log alone and from a snapshot."""

import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import orjson
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from aggregates.product import ProductCreated, ProductEvent, ProductPriceChanged
from commands.contexts import CATALOG
from commands.processor.loader import MARKER_KEY, load_partition, marker_value
from commands.processor.partition import PartitionState
from schemas.catalog import event_to_record
from schemas.codec import AvroCodec
from schemas.envelope import EventMetadata


@dataclass(frozen=True)
class AggregateLoadResult:
    events: int
    without_snapshot_seconds: float
    with_snapshot_seconds: float


def _timed_load(bootstrap: str, topic: str, codec: AvroCodec, runs: int = 3) -> tuple[float, PartitionState]:
    times, state = [], PartitionState(CATALOG)
    for _ in range(runs):
        state = PartitionState(CATALOG)
        started = time.perf_counter()
        load_partition(bootstrap, topic, f"{topic}.snapshots", 0, state, codec)
        times.append(time.perf_counter() - started)
    return statistics.median(times), state


def run(bootstrap: str, codec: AvroCodec, prefix: str, events: int = 10_000) -> AggregateLoadResult:
    topic = f"{prefix}load.events"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(topic, 1, 1), NewTopic(
            f"{topic}.snapshots", 1, 1, config={"cleanup.policy": "compact"})]).values():
        future.result()
    try:
        product_id, at = str(uuid.uuid4()), datetime.now(UTC)
        history: list[ProductEvent] = [ProductCreated(product_id, "Lamp", "", "home", Decimal("10.00"), at)]
        history += [ProductPriceChanged(product_id, Decimal(10 + i % 50), Decimal(10 + (i - 1) % 50), at)
                    for i in range(1, events)]
        producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
        for version, event in enumerate(history, start=1):
            name, record = event_to_record(event)
            meta = EventMetadata(str(uuid.uuid4()), name, product_id, version, at, "bench", f"c{version}")
            producer.produce(topic, key=product_id.encode(), value=codec.encode(topic, name, record),
                             headers=meta.to_headers(), partition=0)
            producer.poll(0)
        producer.flush(60)
        without, state = _timed_load(bootstrap, topic, codec)
        assert state.entry(product_id).version == events
        producer.produce(f"{topic}.snapshots", key=product_id.encode(), partition=0,
                         value=orjson.dumps(state.snapshot(product_id)))
        producer.produce(f"{topic}.snapshots", key=MARKER_KEY, value=marker_value(events), partition=0)
        producer.flush(10)
        with_snapshot, state = _timed_load(bootstrap, topic, codec)
        assert state.entry(product_id).version == events
        return AggregateLoadResult(events, without, with_snapshot)
    finally:
        admin.delete_topics([topic, f"{topic}.snapshots"])
