"""Reading the real log back in tests."""

import uuid
from collections.abc import Iterator

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                for p in partitions}
    finally:
        consumer.close()


def committed_records(bootstrap: str, topic: str, since: dict[int, int] | None = None) -> Iterator[Message]:
    """Every record a read_committed reader sees now, from `since` (partition -> offset) or the start."""
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}",
        "isolation.level": "read_committed", "enable.partition.eof": True,
        "enable.auto.commit": False,
    })
    try:
        starts = since if since is not None else dict.fromkeys(
            consumer.list_topics(topic, timeout=10).topics[topic].partitions, 0)
        non_empty = [p for p, start in starts.items()
                     if consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] > start]
        if not non_empty:
            return
        consumer.assign([TopicPartition(topic, p, starts[p]) for p in non_empty])
        remaining = set(non_empty)
        while remaining:
            for message in consumer.consume(1000, timeout=5):
                error = message.error()
                if error is None:
                    yield message
                elif error.code() == KafkaError._PARTITION_EOF:
                    remaining.discard(message.partition())
                else:
                    raise KafkaException(error)
    finally:
        consumer.close()
