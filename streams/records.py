"""Faust messages -> the projection pipeline's `SourceRecord`."""

from collections.abc import Mapping, Sequence

from faust.types import Message

from projections.records import Headers, SourceRecord


def _headers(raw: Sequence[tuple[str, bytes]] | Mapping[str, bytes] | None) -> Headers:
    # aiokafka gives a sequence of (key, bytes); Faust's type also allows a mapping.
    pairs = raw.items() if isinstance(raw, Mapping) else raw or []
    return [(key, value) for key, value in pairs]


def to_source_record(message: Message) -> SourceRecord:
    timestamp = message.timestamp
    return SourceRecord(message.topic, message.partition, message.offset, message.key,
                        message.value, _headers(message.headers),
                        None if timestamp is None else int(timestamp * 1000))
