"""Kafka record -> decoded catalog event, or a poison record with the reason.

The only place the projection pipeline touches the wire format: the Avro frame
(through the project's codec and registry) and the envelope headers.
"""

from dataclasses import dataclass

from aggregates.product import ProductEvent
from projections.records import SourceRecord
from schemas.catalog import event_from_record
from schemas.codec import AvroCodec, DecodeError
from schemas.envelope import EventMetadata


@dataclass(frozen=True, slots=True)
class DecodedEvent:
    record: SourceRecord
    metadata: EventMetadata
    event: ProductEvent


@dataclass(frozen=True, slots=True)
class Poison:
    record: SourceRecord
    reason: str


Decoded = DecodedEvent | Poison


class CatalogEventDecoder:
    def __init__(self, codec: AvroCodec) -> None:
        self._codec = codec

    def __call__(self, record: SourceRecord) -> Decoded:
        try:
            name, payload = self._codec.decode(record.value)
        except DecodeError as error:
            return Poison(record, f"undecodable value: {error}")
        try:
            metadata = EventMetadata.from_headers(record.headers)
        except ValueError as error:
            return Poison(record, str(error))
        try:
            event = event_from_record(name, payload)
        except (KeyError, ValueError, TypeError) as error:
            return Poison(record, f"not a catalog event: {error}")
        return DecodedEvent(record, metadata, event)
