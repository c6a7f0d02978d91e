"""Reading the real log back in tests."""

import time
import uuid

from confluent_kafka import Consumer, TopicPartition

from projections.log_reader import LogReader
from projections.records import SourceRecord


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                for p in partitions}
    finally:
        consumer.close()


def committed_records(bootstrap: str, topic: str, since: dict[int, int] | None = None,
                      timeout: float = 30) -> list[SourceRecord]:
    """Every record a read_committed reader sees now, from `since` (partition -> offset) or the start."""
    reader = LogReader(bootstrap, topic, since, partitions=list(since) if since is not None else None)
    records: list[SourceRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while not reader.at_end:
            assert time.monotonic() < deadline, f"{topic} not read to its end within {timeout} s"
            records += reader.read(0.2)
    finally:
        reader.close()
    return records
