"""Small builders of catalog events with their envelope, and a writer that appends them
to a real topic in Kafka transactions, as the command processor does."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient

from aggregates.product import (
    ProductCreated,
    ProductDetailsUpdated,
    ProductDiscontinued,
    ProductEvent,
    ProductPriceChanged,
)
from projections.consistency import ConsistencyToken
from projections.records import Headers
from schemas.catalog import event_to_record
from schemas.catalogue import project_catalogue
from schemas.codec import AvroCodec, SchemaRegistry
from schemas.envelope import EventMetadata

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Envelope:
    event: ProductEvent
    metadata: EventMetadata


def unique_id(prefix: str = "p") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def envelope(event: ProductEvent, version: int) -> Envelope:
    return Envelope(event, EventMetadata(
        uuid.uuid4().hex, type(event).__name__, event.product_id, version, event.at,
        "corr-" + event.product_id, "cmd-" + uuid.uuid4().hex[:8]))


def created(product_id: str, name: str = "Running Shoes", category: str = "shoes",
            price: str = "89.90", description: str = "Light trail runners",
            at: datetime = T0) -> ProductCreated:
    return ProductCreated(product_id, name, description, category, Decimal(price), at)


def history(product_id: str, *, name: str = "Running Shoes", category: str = "shoes",
            price: str = "89.90", price_changes: Sequence[str] = (),
            renamed: str | None = None, discontinued: bool = False) -> list[Envelope]:
    """A product's events: created, then price changes, a rename, a discontinuation."""
    events: list[ProductEvent] = [created(product_id, name, category, price)]
    previous = Decimal(price)
    for step, new_price in enumerate(price_changes, start=1):
        events.append(ProductPriceChanged(product_id, Decimal(new_price), previous,
                                          T0 + timedelta(minutes=step)))
        previous = Decimal(new_price)
    if renamed is not None:
        events.append(ProductDetailsUpdated(product_id, renamed, "Light trail runners", category,
                                            T0 + timedelta(hours=1)))
    if discontinued:
        events.append(ProductDiscontinued(product_id, "end of line", T0 + timedelta(hours=2)))
    return [envelope(event, version) for version, event in enumerate(events, start=1)]


class CatalogEventWriter:
    """Appends events to a topic in one Kafka transaction per call."""

    def __init__(self, bootstrap: str, registry: SchemaRegistry | str, topic: str) -> None:
        client = SchemaRegistryClient({"url": registry}) if isinstance(registry, str) else registry
        self.codec = AvroCodec(client, project_catalogue())
        self.topic = topic
        self._producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5,
                                   "transactional.id": f"test-writer-{uuid.uuid4().hex}"})
        self._producer.init_transactions(30)

    def encode(self, item: Envelope) -> bytes:
        return self.codec.encode(self.topic, *event_to_record(item.event))

    def append(self, items: Sequence[Envelope], *, abort: bool = False) -> ConsistencyToken:
        return self.append_raw([(item.event.product_id.encode(), self.encode(item),
                                 item.metadata.to_headers()) for item in items], abort=abort)

    def append_raw(self, records: Sequence[tuple[bytes, bytes | None, Headers]], *,
                   abort: bool = False) -> ConsistencyToken:
        """Append (key, value, headers) records; the token of their positions."""
        positions: dict[tuple[str, int], int] = {}

        def delivered(error: object, message: object) -> None:
            assert error is None, error
            position = (message.topic(), message.partition())  # type: ignore[attr-defined]
            positions[position] = max(positions.get(position, 0),
                                      message.offset() + 1)  # type: ignore[attr-defined]

        self._producer.begin_transaction()
        for key, value, headers in records:
            self._producer.produce(self.topic, key=key, value=value, headers=headers,
                                   on_delivery=delivered)
            self._producer.poll(0)
        self._producer.flush(30)  # serves the delivery callbacks
        if abort:
            self._producer.abort_transaction(30)
        else:
            self._producer.commit_transaction(30)
        return ConsistencyToken(positions)
