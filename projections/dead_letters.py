"""Poison records to `<topic>.dlq` (e.g. `catalog.events.dlq`), with why and where from.

The dead letter keeps the original key, value and headers and adds the reason
and the original position, so it can be inspected, fixed and replayed. Sending
is awaited before the batch's checkpoint commits: a crash in between sends a
dead letter twice (its original position identifies the duplicate), never zero
times.
"""

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from projections.decoding import Poison
from projections.records import Headers

DLQ_ERROR = "dlq_error"
DLQ_PROJECTOR = "dlq_projector"
DLQ_TOPIC = "dlq_original_topic"
DLQ_PARTITION = "dlq_original_partition"
DLQ_OFFSET = "dlq_original_offset"
DLQ_TIMESTAMP = "dlq_original_timestamp"


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


def dead_letter_headers(poison: Poison, projector: str) -> Headers:
    record = poison.record
    added = [
        (DLQ_ERROR, poison.reason.encode()),
        (DLQ_PROJECTOR, projector.encode()),
        (DLQ_TOPIC, record.topic.encode()),
        (DLQ_PARTITION, str(record.partition).encode()),
        (DLQ_OFFSET, str(record.offset).encode()),
    ]
    if record.timestamp_ms is not None:
        added.append((DLQ_TIMESTAMP, str(record.timestamp_ms).encode()))
    return [*record.headers, *added]


class DeadLetterSink(Protocol):
    async def send(self, poison: Sequence[Poison], projector: str) -> None: ...


class DeadLetterError(RuntimeError):
    pass


class KafkaDeadLetters:
    """Dead letters through an idempotent confluent-kafka producer."""

    def __init__(self, bootstrap: str, timeout: float = 30.0) -> None:
        from confluent_kafka import Producer

        self._producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                                   "acks": "all", "linger.ms": 5})
        self._timeout = timeout

    async def send(self, poison: Sequence[Poison], projector: str) -> None:
        errors: list[str] = []

        def delivered(error: Any, _message: Any) -> None:
            if error is not None:
                errors.append(str(error))

        for item in poison:
            record = item.record
            self._producer.produce(dead_letter_topic(record.topic), key=record.key,
                                   value=record.value,
                                   headers=dead_letter_headers(item, projector),
                                   on_delivery=delivered)
        remaining = await asyncio.to_thread(self._producer.flush, self._timeout)
        if errors or remaining:
            raise DeadLetterError(f"dead letters not delivered ({remaining} pending): {errors}")

    def close(self) -> None:
        self._producer.flush(self._timeout)
