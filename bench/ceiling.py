"""The ceiling: a bare confluent-kafka producer's records/s for records of our size."""

import os
import time
import uuid
from dataclasses import dataclass

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic


@dataclass(frozen=True)
class CeilingResult:
    records: int
    record_bytes: int
    records_per_second: float


def run(bootstrap: str, prefix: str, record_bytes: int, records: int = 200_000) -> CeilingResult:
    topic = f"{prefix}ceiling"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, 6, 1)])[topic].result()
    try:
        producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                             "linger.ms": 5})
        value = os.urandom(record_bytes)
        keys = [uuid.uuid4().bytes for _ in range(1000)]
        started = time.perf_counter()
        for index in range(records):
            while True:
                try:
                    producer.produce(topic, key=keys[index % 1000], value=value)
                    break
                except BufferError:
                    producer.poll(0.01)
            if index % 1000 == 0:
                producer.poll(0)
        producer.flush(60)
        return CeilingResult(records, record_bytes, records / (time.perf_counter() - started))
    finally:
        admin.delete_topics([topic])
