"""Reading a topic's committed records from given offsets, fast: a plain confluent-kafka
consumer, assigned (no group membership, no commits), in large batches.

Used by a rebuild, which keeps its own position in the store it builds.
"""

import uuid
from collections.abc import Mapping, Sequence

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Message, TopicPartition

from projections.records import SourceRecord


def from_confluent(message: Message) -> SourceRecord:
    _, timestamp = message.timestamp()
    return SourceRecord(message.topic(), message.partition(), message.offset(), message.key(),
                        message.value(), list(message.headers() or []),
                        timestamp if timestamp > 0 else None)


class LogReader:
    def __init__(self, bootstrap: str, topic: str, start: Mapping[int, int] | None = None,
                 batch_size: int = 10000, partitions: Sequence[int] | None = None) -> None:
        self.topic, self._batch_size = topic, batch_size
        self._consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": f"shop-log-reader-{uuid.uuid4().hex}",  # required, never joined
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
            "enable.partition.eof": True,
            "queued.min.messages": 200000,
        })
        existing = self._consumer.list_topics(topic, timeout=10).topics[topic].partitions
        start = start or {}
        self.partitions = sorted(existing if partitions is None else partitions)
        self._consumer.assign([TopicPartition(topic, p, start.get(p, OFFSET_BEGINNING))
                               for p in self.partitions])
        self._at_end: set[int] = set()

    @staticmethod
    def partitions_of(bootstrap: str, topic: str) -> list[int]:
        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "shop-log-reader"})
        try:
            return sorted(consumer.list_topics(topic, timeout=10).topics[topic].partitions)
        finally:
            consumer.close()

    @property
    def at_end(self) -> bool:
        """Every partition has reported reaching its end since its last record."""
        return self._at_end == set(self.partitions)

    def read(self, timeout: float = 0.5) -> list[SourceRecord]:
        """The next batch (possibly empty); blocking, run it in a thread from async code."""
        records = []
        for message in self._consumer.consume(self._batch_size, timeout):
            error = message.error()
            if error is None:
                records.append(from_confluent(message))
                self._at_end.discard(message.partition())
            elif error.code() == KafkaError._PARTITION_EOF:
                self._at_end.add(message.partition())
            else:
                raise KafkaException(error)
        return records

    def close(self) -> None:
        self._consumer.close()
