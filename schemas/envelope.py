"""The metadata every event and command carries, as Kafka record headers.

The value stays a plain Confluent Avro frame, so any integration decodes it with
a stock deserializer; ids, versions and causality ride beside it.
"""

from dataclasses import dataclass
from datetime import datetime

EVENT_ID = "event_id"
EVENT_TYPE = "event_type"
AGGREGATE_ID = "aggregate_id"
AGGREGATE_VERSION = "aggregate_version"
OCCURRED_AT = "occurred_at"
CORRELATION_ID = "correlation_id"
CAUSATION_ID = "causation_id"

COMMAND_ID = "command_id"
COMMAND_TYPE = "command_type"
EXPECTED_VERSION = "expected_version"

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class EventMetadata:
    event_id: str
    event_type: str
    aggregate_id: str
    aggregate_version: int
    occurred_at: datetime
    correlation_id: str
    causation_id: str

    def to_headers(self) -> Headers:
        return [
            (EVENT_ID, self.event_id.encode()),
            (EVENT_TYPE, self.event_type.encode()),
            (AGGREGATE_ID, self.aggregate_id.encode()),
            (AGGREGATE_VERSION, str(self.aggregate_version).encode()),
            (OCCURRED_AT, self.occurred_at.isoformat().encode()),
            (CORRELATION_ID, self.correlation_id.encode()),
            (CAUSATION_ID, self.causation_id.encode()),
        ]

    @classmethod
    def from_headers(cls, headers: Headers | None) -> "EventMetadata":
        found = {key: value.decode() for key, value in headers or [] if value is not None}
        try:
            return cls(found[EVENT_ID], found[EVENT_TYPE], found[AGGREGATE_ID],
                       int(found[AGGREGATE_VERSION]), datetime.fromisoformat(found[OCCURRED_AT]),
                       found[CORRELATION_ID], found[CAUSATION_ID])
        except (KeyError, ValueError) as error:
            raise ValueError(f"event headers incomplete or malformed: {error}") from error


@dataclass(frozen=True)
class CommandMetadata:
    command_id: str
    command_type: str
    aggregate_id: str
    correlation_id: str
    expected_version: int | None = None

    def to_headers(self) -> Headers:
        headers = [
            (COMMAND_ID, self.command_id.encode()),
            (COMMAND_TYPE, self.command_type.encode()),
            (AGGREGATE_ID, self.aggregate_id.encode()),
            (CORRELATION_ID, self.correlation_id.encode()),
        ]
        if self.expected_version is not None:
            headers.append((EXPECTED_VERSION, str(self.expected_version).encode()))
        return headers

    @classmethod
    def from_headers(cls, headers: Headers | None) -> "CommandMetadata":
        found = {key: value.decode() for key, value in headers or [] if value is not None}
        try:
            expected = found.get(EXPECTED_VERSION)
            return cls(found[COMMAND_ID], found[COMMAND_TYPE], found[AGGREGATE_ID],
                       found[CORRELATION_ID], int(expected) if expected is not None else None)
        except (KeyError, ValueError) as error:
            raise ValueError(f"command headers incomplete or malformed: {error}") from error
