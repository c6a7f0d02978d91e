"""Product commands end to end: HTTP -> command topic -> processor -> events + reply."""

import httpx
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from infra.bootstrap import build_codec
from projections.consistency import ConsistencyToken
from projections.records import SourceRecord
from schemas.envelope import EventMetadata
from tests.commands.conftest import WriteSide
from tests.commands.factories import product_body, unique_key
from tests.support.kafka import committed_records

pytestmark = pytest.mark.stack


def events_of(side: WriteSide, product_id: str, token: str) -> list[SourceRecord]:
    """The committed events of one product, read from the partition its token names."""
    ((topic, partition), _), = ConsistencyToken.decode(token).positions.items()
    return [m for m in committed_records(side.settings.kafka_bootstrap, topic, {partition: 0})
            if m.key == product_id.encode()]


def test_creating_a_product_appends_one_event_and_answers_with_its_position(
    client: httpx.Client, write_side: WriteSide
) -> None:
    response = client.post("/api/products", json=product_body(price="12.50"))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1 and response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/products/{body['productId']}"
    token = ConsistencyToken.decode(body["consistencyToken"])
    ((topic, partition), next_offset), = token.positions.items()
    assert topic == write_side.events_topic

    (event,) = events_of(write_side, body["productId"], body["consistencyToken"])
    assert event.partition == partition and event.offset == next_offset - 1
    meta = EventMetadata.from_headers(event.headers)
    assert (meta.event_type, meta.aggregate_id, meta.aggregate_version) == (
        "shop.catalog.ProductCreated", body["productId"], 1)
    assert meta.causation_id == body["commandId"]
    # A third party decodes it with Confluent's own deserializer and our registry.
    deserializer = AvroDeserializer(SchemaRegistryClient({"url": write_side.registry_url}))
    decoded = deserializer(event.value, SerializationContext(topic, MessageField.VALUE))
    assert decoded["productId"] == body["productId"]
    assert str(decoded["price"]) == "12.50"


def test_a_repeated_idempotency_key_returns_the_first_outcome_and_appends_nothing(
    client: httpx.Client, write_side: WriteSide
) -> None:
    key = unique_key()
    first = client.post("/api/products", json=product_body(), headers={"Idempotency-Key": key})
    again = client.post("/api/products", json=product_body(), headers={"Idempotency-Key": key})

    assert first.status_code == 201 and again.status_code == 200, again.text
    assert again.json()["productId"] == first.json()["productId"]
    assert again.json()["duplicate"] is True and again.json()["version"] == 1
    assert again.json()["consistencyToken"] == first.json()["consistencyToken"]
    assert len(events_of(write_side, first.json()["productId"], first.json()["consistencyToken"])) == 1


def test_a_stale_if_match_is_a_409_with_the_current_version(client: httpx.Client) -> None:
    product_id = client.post("/api/products", json=product_body()).json()["productId"]
    client.put(f"/api/products/{product_id}/price", json={"price": "10.00"}, headers={"If-Match": '"1"'})

    stale = client.put(f"/api/products/{product_id}/price", json={"price": "11.00"},
                       headers={"If-Match": '"1"'})

    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "version_mismatch"
    assert stale.json()["error"]["currentVersion"] == 2


def test_changing_a_missing_product_is_a_404(client: httpx.Client) -> None:
    response = client.put(f"/api/products/{unique_key()}/price", json={"price": "1.00"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "product_not_found"


def test_a_discontinued_product_refuses_changes_with_a_409(client: httpx.Client) -> None:
    product_id = client.post("/api/products", json=product_body()).json()["productId"]
    assert client.post(f"/api/products/{product_id}/discontinue", json={"reason": "old"}).status_code == 200

    response = client.put(f"/api/products/{product_id}", json={"name": "New name"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "product_discontinued"


def test_every_change_advances_the_version(client: httpx.Client) -> None:
    product_id = client.post("/api/products", json=product_body()).json()["productId"]
    renamed = client.put(f"/api/products/{product_id}", json={"name": "Trail Shoes"})
    priced = client.put(f"/api/products/{product_id}/price", json={"price": "99.00"})

    assert (renamed.json()["version"], priced.json()["version"]) == (2, 3)


def test_the_processor_answers_a_resent_command_with_its_first_outcome(
    processor: object, write_side: WriteSide
) -> None:
    """The same command record twice on the topic (a producer retry, a client resend)."""
    from bench.commands_load import ReplyCounter, encode_creates, produce

    bootstrap, prefix = write_side.settings.kafka_bootstrap, write_side.prefix
    (command,) = encode_creates(build_codec(write_side.settings.model_copy(
        update={"schema_registry_url": write_side.registry_url, "topic_prefix": prefix})), prefix, 1)
    replies = ReplyCounter(bootstrap, prefix, keep_replies=True)
    try:
        produce(bootstrap, prefix, [command, command])
        assert replies.wait_for_replies(command.command_id, 2, timeout=30)
    finally:
        replies.close()

    first, second = replies.replies[command.command_id]
    assert (first.status, first.duplicate, second.duplicate) == ("accepted", False, True)
    assert second.version == first.version == 1
    assert second.consistency_token == first.consistency_token
    product_id = command.key.decode()
    assert len(events_of(write_side, product_id, first.consistency_token)) == 1
