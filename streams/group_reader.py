"""A consumer-group member reading a topic's committed records in large batches (confluent-kafka).

Blocking: the projector service calls `read` in a thread, and the group's
rebalance callbacks run inside it, in that thread. On assignment a partition
starts at the store's checkpoint (`start_at`), the source of truth of what was
applied; the group's committed offsets are only a mirror of it, for tools that
watch consumer groups. On revocation `settle` runs first: it waits until the
batch in flight is applied, whose offsets are then committed before the
partitions go. Cooperative rebalancing moves only the partitions that change
owner, so the others keep flowing.
"""

import logging
import threading
from collections.abc import Callable, Mapping, Sequence

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, TopicPartition

from infra.kafka_batches import next_batch
from projections.log_reader import from_confluent
from projections.records import SourceRecord

log = logging.getLogger(__name__)

StartAt = Callable[[Sequence[int]], Mapping[int, int]]  # partitions -> next offset to apply


class GroupReader:
    def __init__(self, bootstrap: str, topic: str, group: str, *, start_at: StartAt,
                 settle: Callable[[], None], batch_size: int, session_timeout: float) -> None:
        self.topic, self._batch_size = topic, batch_size
        self._start_at, self._settle = start_at, settle
        self.assigned: set[int] = set()
        self._processed: dict[int, int] = {}  # partition -> next offset, applied, not yet committed
        self._lock = threading.Lock()  # `processed` is called from the event loop's thread
        self._consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
            "partition.assignment.strategy": "cooperative-sticky",
            "session.timeout.ms": int(session_timeout * 1000),
            "queued.min.messages": 4 * batch_size,
        })
        self._consumer.subscribe([topic], on_assign=self._assigned, on_revoke=self._revoked,
                                 on_lost=self._lost)

    def read(self, timeout: float) -> list[SourceRecord]:
        """The next batch of the partitions still assigned (possibly empty)."""
        self.commit(asynchronous=True)
        records = []
        # Returns on the first record, with whatever else is fetched: a quiet topic costs no
        # timeout per batch (that would delay read-your-writes), a busy one still fills batches.
        for message in next_batch(self._consumer, self._batch_size, timeout):
            error = message.error()
            if error is not None:
                if error.code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(error)
            if message.partition() in self.assigned:  # not revoked while this batch was read
                records.append(from_confluent(message))
        return records

    def processed(self, next_offsets: Mapping[int, int]) -> None:
        """Offsets applied to the store: committed to the group on the next read or revocation."""
        with self._lock:
            self._processed.update(next_offsets)

    def commit(self, *, asynchronous: bool) -> None:
        with self._lock:
            pending, self._processed = self._processed, {}
        offsets = [TopicPartition(self.topic, p, o) for p, o in pending.items() if p in self.assigned]
        if not offsets:
            return
        try:
            self._consumer.commit(offsets=offsets, asynchronous=asynchronous)
        except KafkaException as error:  # a mirror only: the store's checkpoints are the truth
            log.warning("offset commit failed: %s", error)

    def close(self) -> None:
        """Leave the group (revoking, so settling, first); call from a thread, not the loop."""
        self._consumer.close()

    def _assigned(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        starts = self._start_at([tp.partition for tp in partitions])
        consumer.incremental_assign([
            TopicPartition(self.topic, tp.partition, starts.get(tp.partition, OFFSET_BEGINNING))
            for tp in partitions])
        self.assigned |= {tp.partition for tp in partitions}

    def _revoked(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.info("partitions revoked: %s", sorted(tp.partition for tp in partitions))
        self._settle()
        self.commit(asynchronous=False)
        self._unassign(consumer, partitions)

    def _lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Another member may own them already: commit nothing for them.
        log.warning("partitions lost: %s", sorted(tp.partition for tp in partitions))
        with self._lock:
            for tp in partitions:
                self._processed.pop(tp.partition, None)
        self._unassign(consumer, partitions)

    def _unassign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self.assigned -= {tp.partition for tp in partitions}
        consumer.incremental_unassign(partitions)
