"""Records in the wire format -> decoded events or poison (in-memory registry)."""

from projections.decoding import CatalogEventDecoder, DecodedEvent, Poison
from projections.records import SourceRecord
from schemas.catalog import event_to_record
from schemas.catalogue import project_catalogue
from schemas.codec import AvroCodec
from tests.support.catalog_events import history
from tests.support.fake_registry import InMemoryRegistry

TOPIC = "catalog.events"


def codec() -> AvroCodec:
    return AvroCodec(InMemoryRegistry(), project_catalogue())


def test_a_framed_event_with_its_headers_decodes() -> None:
    avro = codec()
    (item,) = history("p-1")
    value = avro.encode(TOPIC, *event_to_record(item.event))
    decoded = CatalogEventDecoder(avro)(
        SourceRecord(TOPIC, 0, 0, b"p-1", value, item.metadata.to_headers()))
    assert isinstance(decoded, DecodedEvent)
    assert (decoded.event, decoded.metadata) == (item.event, item.metadata)


def test_bytes_that_are_not_a_frame_are_poison() -> None:
    decoded = CatalogEventDecoder(codec())(SourceRecord(TOPIC, 0, 0, b"k", b"\x01junk", []))
    assert isinstance(decoded, Poison) and "undecodable" in decoded.reason


def test_an_event_without_its_headers_is_poison() -> None:
    avro = codec()
    (item,) = history("p-1")
    value = avro.encode(TOPIC, *event_to_record(item.event))
    decoded = CatalogEventDecoder(avro)(SourceRecord(TOPIC, 0, 0, b"p-1", value, []))
    assert isinstance(decoded, Poison) and "headers" in decoded.reason
