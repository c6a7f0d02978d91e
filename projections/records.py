"""A consumed Kafka record, independent of the client library that fetched it.

Faust (aiokafka) messages and confluent-kafka messages are both mapped to this
at the edge, so the projection pipeline is the same for the live projectors
and for a rebuild.
"""

from dataclasses import dataclass

Position = tuple[str, int]  # (topic, partition), as in projections.consistency
Headers = list[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    timestamp_ms: int | None = None

    @property
    def position(self) -> Position:
        return (self.topic, self.partition)
