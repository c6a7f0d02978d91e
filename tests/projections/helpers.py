"""Decoded events at log positions, for the pure projection functions."""

from collections.abc import Sequence

from projections.decoding import DecodedEvent
from projections.records import SourceRecord
from tests.support.catalog_events import Envelope

TOPIC = "catalog.events"


def record(offset: int, partition: int = 0, key: bytes | None = None) -> SourceRecord:
    return SourceRecord(TOPIC, partition, offset, key, b"", [], 1_700_000_000_000 + offset)


def at_offsets(items: Sequence[Envelope], partition: int = 0, start: int = 0) -> list[DecodedEvent]:
    return [DecodedEvent(record(start + i, partition, item.event.product_id.encode()),
                         item.metadata, item.event)
            for i, item in enumerate(items)]
