"""Where the log ends for a read_committed reader: the last stable offset per partition.

A transaction's commit marker takes an offset too, so a projector that applied
every committed event can still be a marker or two short of this: lag measured
against it is an upper bound (`projections.status` counts exactly when it is
small).
"""

from confluent_kafka import IsolationLevel, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec


class LogOffsets:
    def __init__(self, bootstrap: str, timeout: float = 10.0) -> None:
        self._admin = AdminClient({"bootstrap.servers": bootstrap})
        self._timeout = timeout

    def partitions(self, topic: str) -> list[int]:
        metadata = self._admin.list_topics(topic, timeout=self._timeout).topics[topic]
        if metadata.error is not None:
            raise RuntimeError(f"topic {topic}: {metadata.error}")
        return sorted(metadata.partitions)

    def end_offsets(self, topic: str) -> dict[int, int]:
        """Last stable offset per partition (blocking; run it in a thread from async code)."""
        requests = {TopicPartition(topic, p): OffsetSpec.latest() for p in self.partitions(topic)}
        futures = self._admin.list_offsets(requests, isolation_level=IsolationLevel.READ_COMMITTED,
                                           request_timeout=self._timeout)
        return {tp.partition: future.result().offset for tp, future in futures.items()}
