"""Confluent's own Python client and Avro serdes, against our registry on Kafka."""

import json
from decimal import Decimal

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

from tests.schemas.avro_factories import ID, field, record
from tests.schemas.conftest import RunningRegistry

pytestmark = pytest.mark.stack

V1 = record(ID)
V2 = record(ID, field("email", "string", default=""))
INCOMPATIBLE = record(ID, field("email", "string"))


@pytest.fixture
def confluent(kafka_registry: RunningRegistry) -> SchemaRegistryClient:
    """A fresh client (its caches empty), so every answer comes from our registry."""
    return SchemaRegistryClient({"url": kafka_registry.url})


def avro(text: str) -> Schema:
    return Schema(text, "AVRO")


def test_register_look_up_and_read_back(confluent: SchemaRegistryClient, subject: str) -> None:
    # Named after the subject: no other test registers this schema, so its id is ours alone.
    first = record(ID, name=subject.replace("-", "_"))
    second = record(ID, field("email", "string", default=""), name=subject.replace("-", "_"))
    schema_id = confluent.register_schema(subject, avro(first))
    assert confluent.register_schema(subject, avro(first)) == schema_id

    found = confluent.lookup_schema(subject, avro(first))
    assert (found.schema_id, found.subject, found.version) == (schema_id, subject, 1)
    assert json.loads(confluent.get_schema(schema_id).schema_str) == json.loads(first)

    second_id = confluent.register_schema(subject, avro(second))
    latest = confluent.get_latest_version(subject)
    assert (latest.schema_id, latest.version) == (second_id, 2)
    assert json.loads(latest.schema.schema_str) == json.loads(second)
    assert confluent.get_versions(subject) == [1, 2]
    assert subject in confluent.get_subjects()
    versions = confluent.get_schema_versions(schema_id)
    assert [(v.subject, v.version) for v in versions] == [(subject, 1)]


def test_compatibility_level_and_check(confluent: SchemaRegistryClient, subject: str) -> None:
    confluent.register_schema(subject, avro(V1))
    assert confluent.test_compatibility(subject, avro(V2)) is True
    assert confluent.test_compatibility(subject, avro(INCOMPATIBLE)) is False
    with pytest.raises(SchemaRegistryError) as refused:
        confluent.register_schema(subject, avro(INCOMPATIBLE))
    assert (refused.value.http_status_code, refused.value.error_code) == (409, 409)

    assert confluent.set_compatibility(subject, "NONE") == {"compatibility": "NONE"}
    assert confluent.get_compatibility(subject) == "NONE"
    assert confluent.test_compatibility(subject, avro(INCOMPATIBLE)) is True
    assert confluent.register_schema(subject, avro(INCOMPATIBLE)) > 0


def test_delete_soft_then_permanent(confluent: SchemaRegistryClient, subject: str) -> None:
    confluent.register_schema(subject, avro(V1))
    confluent.register_schema(subject, avro(V2))
    assert confluent.delete_version(subject, 2) == 2
    assert confluent.delete_version(subject, 2, permanent=True) == 2
    assert confluent.get_versions(subject) == [1]
    assert confluent.delete_subject(subject) == [1]
    assert subject not in confluent.get_subjects()
    assert confluent.delete_subject(subject, permanent=True) == [1]
    with pytest.raises(SchemaRegistryError) as missing:
        confluent.get_latest_version(subject)
    assert missing.value.error_code == 40401


def test_avro_serdes_round_trip_a_record_through_the_registry(
    kafka_registry: RunningRegistry, subject: str
) -> None:
    money = {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}
    schema = record(ID, field("total", money), field("note", ["null", "string"], default=None),
                    name="OrderPlaced")
    topic = subject.removesuffix("-value")  # the serializer names the subject `<topic>-value`
    context = SerializationContext(topic, MessageField.VALUE)
    order = {"id": "o-1", "total": Decimal("12.34"), "note": None}

    writer = SchemaRegistryClient({"url": kafka_registry.url})
    encoded = AvroSerializer(writer, schema)(order, context)
    assert encoded is not None
    schema_id = writer.get_latest_version(subject).schema_id
    assert encoded[0] == 0  # Confluent's magic byte, then the schema id
    assert int.from_bytes(encoded[1:5], "big") == schema_id

    reader = SchemaRegistryClient({"url": kafka_registry.url})  # knows no schema yet
    assert AvroDeserializer(reader)(encoded, context) == order
