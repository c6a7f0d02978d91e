"""The command processor: consume commands, decide, append events + replies + offsets
in one Kafka transaction (consume-transform-produce).

It is the single writer of the aggregates in the partitions it owns. Kafka has
no "append if still at version N"; ownership makes that unnecessary and the
transaction makes it safe: a crash anywhere leaves each command's events in the
log exactly once for read_committed readers.
"""

import signal
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import orjson
import structlog
from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition
from prometheus_client import Counter, Histogram

from commands.aggregate_type import AggregateType
from commands.processor.loader import MARKER_KEY, load_partition, marker_value
from commands.processor.partition import (
    Accepted,
    Decision,
    Duplicate,
    IdempotencyWindow,
    PartitionState,
    Refused,
    VersionMismatch,
)
from commands.processor.watchdog import StallWatchdog
from commands.replies import Reply
from commands.settings import ProcessorSettings
from infra.kafka_batches import next_batch
from infra.topics import commands_topic, events_topic, replies_topic, snapshots_topic
from projections.consistency import ConsistencyToken
from schemas.codec import AvroCodec, DecodeError
from schemas.envelope import CommandMetadata, EventMetadata

log = structlog.get_logger(__name__)

COMMANDS = Counter("shop_processor_commands_total", "Commands handled", ["context", "outcome"])
EVENTS = Counter("shop_processor_events_total", "Events appended", ["context"])
BATCH = Histogram("shop_processor_batch_size", "Commands per transaction", ["context"],
                  buckets=(1, 5, 20, 50, 100, 200, 500, 1000))
COMMIT = Histogram("shop_processor_transaction_seconds", "Time to append and commit a batch",
                   ["context"])
EVENT_NAMESPACE = uuid.UUID("3f1d8a52-4a0c-4b7e-9a57-2a0f1c6f4e10")


@dataclass
class Pending:
    """One command of the batch being handled, until its reply is written."""

    message: Message
    meta: CommandMetadata | None
    decision: Decision | None
    error: str = ""
    next_offset: int = -1

    def delivered(self, err: KafkaError | None, message: Message) -> None:
        if err is None:
            self.next_offset = max(self.next_offset, message.offset() + 1)


@dataclass
class Ownership:
    partitions: dict[int, PartitionState[Any, Any, Any]] = field(default_factory=dict)
    appended_since_snapshot: dict[int, int] = field(default_factory=dict)


class CommandProcessor:
    def __init__(self, bootstrap: str, kind: AggregateType[Any, Any, Any], codec: AvroCodec,
                 settings: ProcessorSettings, topic_prefix: str = "") -> None:
        self.kind = kind
        self.codec = codec
        self.settings = settings
        self.bootstrap = bootstrap
        self.commands_topic = commands_topic(kind.context, topic_prefix)
        self.events_topic = events_topic(kind.context, topic_prefix)
        self.snapshots_topic = snapshots_topic(kind.context, topic_prefix)
        self.replies_topic = replies_topic(topic_prefix)
        self.window = IdempotencyWindow(timedelta(hours=settings.idempotency_window_hours),
                                        settings.idempotency_max_ids)
        self.owned = Ownership()
        # Resolved once: a labelled metric lookup per command was a measurable share of the loop.
        self._outcomes = {name: COMMANDS.labels(kind.context, name)
                          for name in ("accepted", "duplicate", "versionmismatch", "refused", "malformed")}
        self._events_appended = EVENTS.labels(kind.context)
        self._stopping = False
        self.watchdog = StallWatchdog(settings.stall_seconds)
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": f"{topic_prefix}{kind.context}-processor",
            # Static membership: a restarted instance takes its partitions back at once,
            # instead of waiting for its dead predecessor's session to time out.
            "group.instance.id": f"{kind.context}-processor-{settings.instance_id}",
            "session.timeout.ms": settings.session_timeout_ms,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "partition.assignment.strategy": "cooperative-sticky",
            "fetch.wait.max.ms": 5,
        })
        self.producer = Producer({
            "bootstrap.servers": bootstrap,
            "transactional.id": f"{topic_prefix}{kind.context}-processor-{settings.instance_id}",
            "transaction.timeout.ms": settings.transaction_timeout_ms,
            "linger.ms": 1,
            "batch.num.messages": 10_000,
            # Back-to-back transactions: the broker answers CONCURRENT_TRANSACTIONS while it
            # still writes the last commit's markers, and the client retries after this backoff
            # (100 ms by default, which became most of a command's latency).
            "retry.backoff.ms": 5,
        })

    # Lifecycle
    def run(self) -> None:
        self.producer.init_transactions(30)
        self.consumer.subscribe([self.commands_topic], on_assign=self._on_assign,
                                on_revoke=self._on_revoke, on_lost=self._on_revoke)
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        log.info("processor started", context=self.kind.context, instance=self.settings.instance_id)
        self.watchdog.start()
        try:
            while not self._stopping:
                self.poll_once(0.1)
        finally:
            self.watchdog.stop()
            self.consumer.close()
            log.info("processor stopped", context=self.kind.context)

    def stop(self) -> None:
        self._stopping = True

    def poll_once(self, timeout: float) -> int:
        batch = next_batch(self.consumer, self.settings.max_batch, timeout)
        messages = [m for m in batch if not self._is_noise(m)]
        if messages:
            self.watchdog.busy()
            try:
                self._handle_batch(messages)
            finally:
                self.watchdog.idle()
        return len(messages)

    # Rebalance: load what we gain, forget what we lose (a transaction is never open here).
    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        for tp in partitions:
            state = PartitionState(self.kind, self.window)
            load_partition(self.bootstrap, self.events_topic, self.snapshots_topic, tp.partition,
                           state, self.codec)
            self.owned.partitions[tp.partition] = state
            self.owned.appended_since_snapshot[tp.partition] = 0
        log.info("partitions assigned", partitions=[tp.partition for tp in partitions])

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        for tp in partitions:
            self.owned.partitions.pop(tp.partition, None)
        log.info("partitions revoked", partitions=[tp.partition for tp in partitions])

    def _is_noise(self, message: Message) -> bool:
        error = message.error()
        if error is None:
            return False
        if error.code() == KafkaError._PARTITION_EOF:
            return True
        raise KafkaException(error)

    # One batch, one transaction.
    def _handle_batch(self, messages: list[Message]) -> None:
        started = time.perf_counter()
        pending = [self._decide(message) for message in messages]
        touched = {m.partition() for m in messages}
        try:
            self.producer.begin_transaction()
            for item in pending:
                if isinstance(item.decision, Accepted):
                    self._append_events(item)
            self.producer.flush(30)  # event offsets known: replies can carry them
            for item in pending:
                if isinstance(item.decision, Accepted) and item.decision.events and item.meta:
                    self.owned.partitions[item.message.partition()].record_offset(
                        item.meta.aggregate_id, item.meta.command_id, item.next_offset)
            self._snapshot_if_due(pending)
            for item in pending:
                self.producer.produce(self.replies_topic, key=item.message.key(),
                                      value=self._reply(item).to_bytes())
            offsets = self._next_offsets(messages)
            self.producer.send_offsets_to_transaction(
                offsets, self.consumer.consumer_group_metadata(), 10)
            self.producer.commit_transaction(10)
        except KafkaException as error:
            self._recover(error, messages, touched)
            return
        for partition in touched:
            self.owned.partitions[partition].commit()
        elapsed = time.perf_counter() - started
        COMMIT.labels(self.kind.context).observe(elapsed)
        BATCH.labels(self.kind.context).observe(len(messages))

    def _decide(self, message: Message) -> Pending:
        state = self.owned.partitions.get(message.partition())
        try:
            meta = CommandMetadata.from_headers(message.headers())
            name, record = self.codec.decode(message.value())
            command = self.kind.command_from_record(name, record)
        except (ValueError, DecodeError, KeyError) as error:
            self._outcomes["malformed"].inc()
            return Pending(message, None, None, error=str(error))
        if state is None:  # cannot happen: poll() runs rebalance callbacks before returning records
            raise RuntimeError(f"record from unowned partition {message.partition()}")
        decision = state.handle(meta, command)
        self._outcomes[type(decision).__name__.lower()].inc()
        return Pending(message, meta, decision)

    def _append_events(self, item: Pending) -> None:
        assert isinstance(item.decision, Accepted) and item.meta is not None
        meta, partition = item.meta, item.message.partition()
        delivered = partial(Pending.delivered, item)
        key = meta.aggregate_id.encode()
        for index, event in enumerate(item.decision.events):
            name, record = self.kind.event_to_record(event)
            version = item.decision.first_version + index
            headers = EventMetadata(
                # Deterministic: a retried command yields the same event ids.
                event_id=str(uuid.uuid5(EVENT_NAMESPACE, f"{meta.command_id}/{index}")),
                event_type=name, aggregate_id=meta.aggregate_id, aggregate_version=version,
                occurred_at=record["timestamp"], correlation_id=meta.correlation_id,
                causation_id=meta.command_id,
            ).to_headers()
            self.producer.produce(self.events_topic, key=key, partition=partition, headers=headers,
                                  value=self.codec.encode(self.events_topic, name, record),
                                  on_delivery=delivered)
        self._events_appended.inc(len(item.decision.events))

    def _snapshot_if_due(self, pending: list[Pending]) -> None:
        ends: dict[int, int] = {}
        for item in pending:
            if isinstance(item.decision, Accepted) and item.decision.events:
                partition = item.message.partition()
                ends[partition] = max(ends.get(partition, 0), item.next_offset)
                self.owned.appended_since_snapshot[partition] += len(item.decision.events)
        for partition, end in ends.items():
            if self.owned.appended_since_snapshot[partition] < self.settings.snapshot_every:
                continue
            self.write_snapshots(partition, end)

    def write_snapshots(self, partition: int, events_end: int) -> None:
        """Snapshot every aggregate changed since the last marker, then a marker at `events_end`.

        Written inside the batch's transaction, so they commit or abort with its events.
        """
        state = self.owned.partitions[partition]
        for aggregate_id in state.take_snapshot_ids():
            self.producer.produce(self.snapshots_topic, key=aggregate_id.encode(),
                                  value=orjson.dumps(state.snapshot(aggregate_id)), partition=partition)
        self.producer.produce(self.snapshots_topic, key=MARKER_KEY, value=marker_value(events_end),
                              partition=partition)
        self.owned.appended_since_snapshot[partition] = 0

    def _reply(self, item: Pending) -> Reply:
        key = item.message.key()
        aggregate_id = item.meta.aggregate_id if item.meta else (key.decode() if key else "")
        command_id = item.meta.command_id if item.meta else ""
        partition = item.message.partition()
        match item.decision:
            case Accepted(events=events, version=version):
                token = self._token(partition, item.next_offset) if events else ""
                return Reply(command_id, aggregate_id, "accepted", version, consistency_token=token)
            case Duplicate(version=version, next_offset=next_offset):
                if next_offset < 0:
                    # The first copy is in this very batch: its offset is known only now.
                    seen = self.owned.partitions[partition].seen(aggregate_id, command_id)
                    next_offset = seen[1] if seen else next_offset
                return Reply(command_id, aggregate_id, "accepted", version, duplicate=True,
                             consistency_token=self._token(partition, next_offset))
            case VersionMismatch(expected=expected, current=current):
                return Reply(command_id, aggregate_id, "rejected", current, code="version_mismatch",
                             reason=f"expected version {expected}, current version is {current}",
                             kind="version_mismatch")
            case Refused(rejection=rejection, version=version):
                return Reply(command_id, aggregate_id, "rejected", version, code=rejection.code,
                             reason=rejection.reason, kind=rejection.kind.value)
        return Reply(command_id, aggregate_id, "rejected", 0, code="malformed_command",
                     reason=item.error, kind="malformed")

    def _token(self, partition: int, next_offset: int) -> str:
        if next_offset < 0:
            return ""
        return ConsistencyToken({(self.events_topic, partition): next_offset}).encode()

    def _next_offsets(self, messages: list[Message]) -> list[TopicPartition]:
        last: dict[int, int] = {}
        for message in messages:
            last[message.partition()] = max(last.get(message.partition(), -1), message.offset())
        return [TopicPartition(self.commands_topic, p, offset + 1) for p, offset in last.items()]

    def _recover(self, error: KafkaException, messages: list[Message], touched: set[int]) -> None:
        kafka_error = error.args[0]
        for partition in touched:
            if partition in self.owned.partitions:
                self.owned.partitions[partition].abort()
        if not kafka_error.txn_requires_abort():
            # Fenced by a newer instance, or a fatal producer error: stop and let the
            # supervisor restart us; nothing of this batch became visible.
            log.error("fatal transaction error", error=str(kafka_error))
            raise error
        log.warning("transaction aborted; retrying the batch", error=str(kafka_error))
        self.producer.abort_transaction(30)
        first: dict[int, int] = {}
        for message in messages:
            first.setdefault(message.partition(), message.offset())
        for partition, offset in first.items():
            self.consumer.seek(TopicPartition(self.commands_topic, partition, offset))
