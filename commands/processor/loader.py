"""Rebuild the aggregates of one partition from Kafka: the latest snapshots, then the
events appended after the snapshot marker, read_committed, to the end of the log.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import structlog
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, TopicPartition

from commands.processor.partition import PartitionState
from infra.kafka_batches import next_batch
from schemas.codec import AvroCodec
from schemas.envelope import EventMetadata

log = structlog.get_logger(__name__)

MARKER_KEY = b"__partition__"  # snapshot-topic record: every aggregate is snapshotted up to here


@dataclass(frozen=True)
class LoadReport:
    partition: int
    snapshots: int
    events: int
    events_from: int
    seconds: float


def read_to_end(bootstrap: str, topic: str, partition: int, start: int) -> Any:
    """Yield the committed records of one partition from `start` to its current end."""
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"loader-{uuid.uuid4().hex}",  # never commits; assign() only
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
        "fetch.min.bytes": 1,
        # At the end of the log a fetch waits this long for data before the EOF shows.
        "fetch.wait.max.ms": 10,
        "queued.max.messages.kbytes": 65536,
    })
    try:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        if high <= max(low, start):
            return
        consumer.assign([TopicPartition(topic, partition, start if start > 0 else OFFSET_BEGINNING)])
        while True:
            for message in next_batch(consumer, 1000, timeout=1.0):
                error = message.error()
                if error is not None:
                    if error.code() == KafkaError._PARTITION_EOF:
                        return
                    raise KafkaException(error)
                yield message
    finally:
        consumer.close()


def load_partition(bootstrap: str, events_topic: str, snapshots_topic: str, partition: int,
                   state: PartitionState[Any, Any, Any], codec: AvroCodec) -> LoadReport:
    started = time.perf_counter()
    events_from, snapshots = 0, 0
    for message in read_to_end(bootstrap, snapshots_topic, partition, 0):
        key, value = message.key(), message.value()
        if value is None:
            continue  # a tombstone
        if key == MARKER_KEY:
            events_from = orjson.loads(value)["events_offset"]
        else:
            state.restore(key.decode(), orjson.loads(value))
            snapshots += 1
    events = 0
    kind = state.kind
    for message in read_to_end(bootstrap, events_topic, partition, events_from):
        meta = EventMetadata.from_headers(message.headers())
        name, record = codec.decode(message.value())
        state.apply_stored(meta.aggregate_id, meta.aggregate_version,
                           kind.event_from_record(name, record), meta.causation_id,
                           message.offset() + 1, meta.occurred_at)
        events += 1
    report = LoadReport(partition, snapshots, events, events_from, time.perf_counter() - started)
    log.info("partition loaded", **report.__dict__)
    return report


def marker_value(events_offset: int) -> bytes:
    return orjson.dumps({"events_offset": events_offset, "at": datetime.now().isoformat()})
