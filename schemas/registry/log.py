"""The registry kept in a compacted Kafka topic (`_schemas`), Confluent's way.

Every instance follows the topic from the beginning and folds it into its
state. A write goes through Kafka's transaction coordinator: all instances share
one `transactional.id`, so taking write access fences every other instance's
writer, and whatever they committed before is then in the log. The writer reads
the log to its end, decides on that state, and commits; if another instance
took write access meanwhile, the commit fails and it decides again. So two
instances never hand out the same version or id, and a write returns only once
this instance has read its own records back.
"""

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    IsolationLevel,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, OffsetSpec

from schemas.registry import records
from schemas.registry.compatibility import DEFAULT_LEVEL
from schemas.registry.decisions import Decision
from schemas.registry.rejections import Rejection
from schemas.registry.state import Record, RegistryState, apply
from schemas.registry.store import RegistryStoreError, RegistryStoreTimeout

log = logging.getLogger(__name__)

Reply = TypeVar("Reply")

WRITE_ATTEMPTS = 8


class KafkaRegistryLog:
    def __init__(
        self,
        bootstrap: str,
        topic: str,
        *,
        transactional_id: str | None = None,
        default_level: str = DEFAULT_LEVEL,
        timeout_s: float = 10.0,
    ) -> None:
        self.topic = topic
        self._bootstrap = bootstrap
        self._transactional_id = transactional_id or f"schema-registry.{topic}"
        self._timeout_s = timeout_s
        self._state = RegistryState(default_level=default_level)
        self._position = 0  # the next offset to read; includes transaction markers
        self._changed = threading.Condition()
        self._write_lock = threading.Lock()
        self._stopping = threading.Event()
        self._producer: Producer | None = None
        self._admin = AdminClient({"bootstrap.servers": bootstrap, "logger": log})
        self._follower: threading.Thread | None = None

    def start(self) -> None:
        """Follow the topic; returns once the state holds everything committed to it."""
        self._require_single_partition_topic()
        consumer = Consumer({
            "bootstrap.servers": self._bootstrap,
            "group.id": f"schema-registry-reader-{uuid.uuid4().hex}",  # assigned, never joined
            "enable.auto.commit": False,
            "enable.partition.eof": True,  # the end is after the last transaction marker
            "isolation.level": "read_committed",
            # A commit marker ends each write; a long fetch wait delays seeing past it,
            # and so the next write's catch-up, by that much.
            "fetch.wait.max.ms": 50,
            "logger": log,
        })
        consumer.assign([TopicPartition(self.topic, 0, OFFSET_BEGINNING)])
        self._follower = threading.Thread(
            target=self._follow, args=(consumer,), name=f"follow-{self.topic}", daemon=True
        )
        self._follower.start()
        self._catch_up()

    def stop(self) -> None:
        self._stopping.set()
        if self._follower is not None:
            self._follower.join(timeout=self._timeout_s)
        self._producer = None

    def current(self) -> RegistryState:
        return self._state

    @property
    def position(self) -> int:
        return self._position

    def write(self, decide: Callable[[RegistryState], Decision[Reply] | Rejection]) -> Reply | Rejection:
        with self._write_lock:
            for attempt in range(WRITE_ATTEMPTS):
                self._catch_up()
                outcome = decide(self._state)
                if isinstance(outcome, Rejection):
                    return outcome
                if not outcome.records:
                    return outcome.reply
                if self._producer is None:
                    # Taking write access fences the others: decide again on all they wrote.
                    self._producer = self._new_writer()
                    continue
                try:
                    end = self._append(self._producer, outcome.records)
                except KafkaException as error:
                    log.info("write to %s lost write access (%s); deciding again",
                             self.topic, error.args[0])
                    self._producer = None
                    time.sleep(random.uniform(0, 0.05 * (attempt + 1)))  # let the other finish
                    continue
                self._wait_for(end)
                return outcome.reply
        raise RegistryStoreError(f"could not write to {self.topic} in {WRITE_ATTEMPTS} attempts")

    def _follow(self, consumer: Consumer) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    message = consumer.poll(0.1)
                    if message is not None:
                        self._take(message)
                except Exception:
                    # A follower that dies leaves the state stale for good; keep following.
                    log.exception("following %s", self.topic)
                    time.sleep(1)
        finally:
            consumer.close()

    def _take(self, message: Message) -> None:
        error = message.error()
        if error is not None:
            if error.code() == KafkaError._PARTITION_EOF:
                self._advance(message.offset() or 0, None)
            else:
                log.warning("reading %s: %s", self.topic, error)
            return
        offset = message.offset() or 0
        try:
            record = records.decode(message.key(), message.value())
        except (ValueError, KeyError, TypeError) as reason:
            # A registry that stops at a bad record serves nothing; skip it loudly.
            log.error("skipping unreadable record %s@%d: %s", self.topic, offset, reason)
            record = None
        self._advance(offset + 1, record)

    def _advance(self, position: int, record: Record | None) -> None:
        with self._changed:
            if record is not None:
                self._state = apply(self._state, record)
            self._position = max(self._position, position)
            self._changed.notify_all()

    def _catch_up(self) -> None:
        self._wait_for(self._committed_end())

    def _wait_for(self, position: int) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._position >= position, self._timeout_s):
                raise RegistryStoreTimeout(
                    f"{self.topic} not read up to offset {position} in {self._timeout_s}s "
                    f"(at {self._position})"
                )

    def _committed_end(self) -> int:
        """The offset after the last committed record (the last stable offset)."""
        partition = TopicPartition(self.topic, 0)
        futures = self._admin.list_offsets(
            {partition: OffsetSpec.latest()},
            isolation_level=IsolationLevel.READ_COMMITTED,
            request_timeout=self._timeout_s,
        )
        try:
            return int(next(iter(futures.values())).result().offset)
        except KafkaException as error:
            raise RegistryStoreError(f"cannot find the end of {self.topic}: {error}") from error

    def _new_writer(self) -> Producer:
        producer = Producer({
            "bootstrap.servers": self._bootstrap,
            "transactional.id": self._transactional_id,
            "acks": "all",
            "enable.idempotence": True,
            "transaction.timeout.ms": 60_000,
            "logger": log,
        })
        try:
            producer.init_transactions(self._timeout_s)
        except KafkaException as error:
            raise RegistryStoreError(f"cannot get write access to {self.topic}: {error}") from error
        return producer

    def _append(self, producer: Producer, batch: Sequence[Record]) -> int:
        """Append in one transaction; returns the offset after the last record."""
        offsets: list[int] = []
        failures: list[Any] = []

        def delivered(error: KafkaError | None, message: Message) -> None:
            if error is not None:
                failures.append(error)
            else:
                offsets.append(message.offset() or 0)

        producer.begin_transaction()
        try:
            for record in batch:
                key, value = records.encode(record)
                producer.produce(self.topic, key=key, value=value, partition=0,
                                 on_delivery=delivered)
            producer.commit_transaction(self._timeout_s)
        except KafkaException as error:
            if error.args[0].txn_requires_abort():
                producer.abort_transaction(self._timeout_s)
            raise
        if failures or len(offsets) != len(batch):
            raise KafkaException(failures[0] if failures else KafkaError(KafkaError._FAIL))
        return max(offsets) + 1

    def _require_single_partition_topic(self) -> None:
        # A topic just created may take a moment to show in the metadata, with its leader.
        deadline = time.monotonic() + self._timeout_s
        while True:
            metadata = self._admin.list_topics(self.topic, timeout=self._timeout_s)
            topic = metadata.topics.get(self.topic)
            if topic is not None and topic.error is None and topic.partitions:
                break
            if time.monotonic() > deadline:
                raise RegistryStoreError(
                    f"topic {self.topic} not found (create it: shop topics create)"
                )
            time.sleep(0.1)
        if len(topic.partitions) != 1:
            # One partition is what gives every instance the same order of records.
            raise RegistryStoreError(f"topic {self.topic} must have exactly one partition")
