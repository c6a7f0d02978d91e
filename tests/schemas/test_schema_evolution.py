"""A history written under v1 of an event, read after the schema moved to v2.

v1 of ProductCreated stored the price as a string; v2 stores a DECIMAL(10,2).
Avro resolution cannot turn one into the other, so an upcaster does, and the
processor's aggregate rebuild and the read model both see the mixed history in
the v2 shape.
"""

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import SchemaRegistryClient

from commands.contexts import CATALOG
from commands.processor.loader import load_partition
from commands.processor.partition import PartitionState
from infra.settings import Settings
from projections.decoding import CatalogEventDecoder, DecodedEvent
from projections.products import apply_change, fold_changes
from schemas.catalogue import AVRO_DIR, SchemaCatalogue
from schemas.codec import AvroCodec, subject_name
from schemas.envelope import EventMetadata
from schemas.upcasting import Upcasters
from tests.support.kafka import committed_records

pytestmark = pytest.mark.stack

CREATED = "shop.catalog.ProductCreated"
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def catalogue_with(tmp_path: Path, name: str, edit: Any) -> SchemaCatalogue:
    root = tmp_path / name
    shutil.copytree(AVRO_DIR, root)
    path = root / "catalog" / "events" / "ProductCreated.avsc"
    path.write_bytes(orjson.dumps(edit(orjson.loads(path.read_bytes()))))
    return SchemaCatalogue(root)


def as_v1(schema: dict[str, Any]) -> dict[str, Any]:
    fields = [{"name": "price", "type": "string"} if f["name"] == "price" else f for f in schema["fields"]]
    return {**schema, "version": 1, "fields": fields}


def as_v2(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "version": 2}


def price_from_text(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "price": Decimal(payload["price"]).quantize(Decimal("0.01"))}


@pytest.fixture
def topic(settings: Settings) -> Iterator[str]:
    name = f"evo.{uuid.uuid4().hex[:8]}.catalog.events"
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    for future in admin.create_topics([NewTopic(name, 1, 1), NewTopic(f"{name}.snapshots", 1, 1)]).values():
        future.result()
    yield name
    admin.delete_topics([name, f"{name}.snapshots"])


def append(settings: Settings, topic: str, codec: AvroCodec, name: str, record: dict[str, Any],
           version: int) -> None:
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap})
    meta = EventMetadata(str(uuid.uuid4()), name, record["productId"], version, AT, "corr",
                         str(uuid.uuid4()))
    producer.produce(topic, key=record["productId"].encode(), value=codec.encode(topic, name, record),
                     headers=meta.to_headers(), partition=0)
    assert producer.flush(10) == 0


def test_a_mixed_v1_v2_history_rebuilds_the_aggregate_and_the_read_model(
    settings: Settings, registry_process: tuple[str, str], topic: str, tmp_path: Path
) -> None:
    registry = SchemaRegistryClient({"url": registry_process[0]})
    # v1 -> v2 is not a change resolution can read, so this subject opts out of the check.
    registry.set_compatibility(subject_name(topic, CREATED), "NONE")
    v1 = AvroCodec(registry, catalogue_with(tmp_path, "v1", as_v1))
    upcasters = Upcasters()
    upcasters.register(CREATED, from_version=1)(price_from_text)
    v2 = AvroCodec(registry, catalogue_with(tmp_path, "v2", as_v2), upcasters)

    append(settings, topic, v1, CREATED, {"productId": "old", "name": "Old Lamp", "description": "",
                                          "category": "home", "price": "12.5", "timestamp": AT}, 1)
    append(settings, topic, v2, "shop.catalog.ProductPriceChanged",
           {"productId": "old", "price": Decimal("14.00"), "previousPrice": Decimal("12.50"),
            "timestamp": AT}, 2)
    append(settings, topic, v2, CREATED, {"productId": "new", "name": "New Lamp", "description": "",
                                          "category": "home", "price": Decimal("30.00"),
                                          "timestamp": AT}, 1)

    # The aggregate, as the processor rebuilds it.
    state = PartitionState(CATALOG)
    load_partition(settings.kafka_bootstrap, topic, f"{topic}.snapshots", 0, state, v2)
    assert (state.entry("old").version, state.entry("old").state.price) == (2, Decimal("14.00"))
    assert state.entry("new").state.price == Decimal("30.00")

    # The read model, as the projectors build it.
    records = committed_records(settings.kafka_bootstrap, topic)
    decoded = [CatalogEventDecoder(v2)(record) for record in records]
    assert all(isinstance(item, DecodedEvent) for item in decoded)
    first = decoded[0]
    assert isinstance(first, DecodedEvent) and first.event.price == Decimal("12.50")
    rows = {change.product_id: apply_change(None, change)
            for change in fold_changes([d for d in decoded if isinstance(d, DecodedEvent)])}
    assert rows["old"] is not None and rows["old"].price == Decimal("14.00")
    assert rows["old"].name == "Old Lamp" and rows["old"].version == 2

    # Without the upcaster, Avro promotes the string to bytes and reads its UTF-8 as a
    # decimal: no error, a wrong price. That silent case is what the upcaster is for.
    _, bare = AvroCodec(registry, catalogue_with(tmp_path, "v2-bare", as_v2)).decode(records[0].value)
    assert bare["price"] != Decimal("12.50")
