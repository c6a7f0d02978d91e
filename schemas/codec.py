"""Avro in the Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary.

Encoding registers (once) the writer schema under the topic-record subject
`<topic>-<record full name>`; decoding looks the writer schema up by the id in
the frame and resolves it against the project's current reader schema, then
runs the upcasters for changes that resolution cannot express. Parsed schemas
and ids are cached, so the steady state does no registry round trip.
"""

import struct
from collections.abc import Mapping
from io import BytesIO
from typing import Any, Protocol, cast

import fastavro
import orjson

from schemas.catalogue import SchemaCatalogue
from schemas.upcasting import Upcasters

_HEADER = struct.Struct(">bI")
MAGIC_BYTE = 0


class DecodeError(ValueError):
    """The bytes are not a frame this codec can read (a poison record)."""


class SchemaRegistry(Protocol):
    """What the codec needs of a registry; confluent-kafka's SchemaRegistryClient fits."""

    def register_schema(self, subject_name: str, schema: Any) -> int: ...

    def get_schema(self, schema_id: int) -> Any: ...


def subject_name(topic: str, record_name: str) -> str:
    return f"{topic}-{record_name}"


class AvroCodec:
    def __init__(self, registry: SchemaRegistry, catalogue: SchemaCatalogue,
                 upcasters: Upcasters | None = None) -> None:
        self._registry = registry
        self._catalogue = catalogue
        self._upcasters = upcasters or Upcasters()
        self._writer_ids: dict[tuple[str, str], int] = {}
        self._writers: dict[int, tuple[str, int, Any]] = {}
        self._same_as_reader: dict[int, bool] = {}

    def encode(self, topic: str, record_name: str, payload: Mapping[str, Any]) -> bytes:
        key = (topic, record_name)
        schema_id = self._writer_ids.get(key)
        if schema_id is None:
            schema_id = self._register(topic, record_name)
        buffer = BytesIO()
        buffer.write(_HEADER.pack(MAGIC_BYTE, schema_id))
        fastavro.schemaless_writer(buffer, self._catalogue.parsed(record_name), payload)
        return buffer.getvalue()

    def decode(self, data: bytes | None) -> tuple[str, dict[str, Any]]:
        """The record's full name and its payload in the current reader schema's shape."""
        if data is None or len(data) < _HEADER.size:
            raise DecodeError("record too short for a Confluent Avro frame")
        magic, schema_id = _HEADER.unpack_from(data)
        if magic != MAGIC_BYTE:
            raise DecodeError(f"unknown magic byte {magic}")
        name, writer_version, writer = self._writer(schema_id)
        reader_version = self._catalogue.version(name) if name in self._catalogue else writer_version
        body = BytesIO(data[_HEADER.size:])
        try:
            if writer_version < reader_version and self._upcasters.has_chain(name, writer_version):
                raw = cast(dict[str, Any], fastavro.schemaless_reader(body, writer, None))
                return name, self._upcasters.upcast(name, writer_version, reader_version, raw)
            # Resolution is the slow path in fastavro: skip it when the writer is the reader.
            same = self._same_as_reader.get(schema_id)
            if same is None:
                same = self._same_as_reader[schema_id] = (
                    name not in self._catalogue or writer == self._catalogue.parsed(name))
            reader = None if same else self._catalogue.parsed(name)
            return name, cast(dict[str, Any], fastavro.schemaless_reader(body, writer, reader))
        except (EOFError, ValueError, TypeError, IndexError, fastavro.read.SchemaResolutionError) as error:
            raise DecodeError(f"cannot decode {name} with schema id {schema_id}: {error}") from error

    def register_all(self, topic: str, record_names: list[str]) -> dict[str, int]:
        return {name: self._register(topic, name) for name in record_names}

    def _register(self, topic: str, record_name: str) -> int:
        from confluent_kafka.schema_registry import Schema

        schema = Schema(self._catalogue.text(record_name), "AVRO")
        schema_id = self._registry.register_schema(subject_name(topic, record_name), schema)
        self._writer_ids[(topic, record_name)] = schema_id
        return schema_id

    def _writer(self, schema_id: int) -> tuple[str, int, Any]:
        cached = self._writers.get(schema_id)
        if cached is None:
            try:
                text = self._registry.get_schema(schema_id).schema_str
            except Exception as error:  # the registry client raises its own error types
                raise DecodeError(f"unknown schema id {schema_id}: {error}") from error
            raw = orjson.loads(text)
            name = f"{raw['namespace']}.{raw['name']}" if "namespace" in raw else raw["name"]
            cached = (name, int(raw.get("version", 1)), fastavro.parse_schema(raw))
            self._writers[schema_id] = cached
        return cached
