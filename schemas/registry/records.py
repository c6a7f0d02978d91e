"""The `_schemas` topic's wire format: Confluent's own JSON keys and values.

Keys must be byte-for-byte stable, because compaction keeps the last value per
key bytes; they follow Confluent's field order (keytype, subject, version, magic).
"""

import json
import logging
from typing import Any

from schemas.registry.state import (
    AVRO,
    CompatibilityCleared,
    CompatibilitySet,
    Record,
    SchemaVersion,
    SchemaVersionRemoved,
)

log = logging.getLogger(__name__)

SCHEMA_KEY_MAGIC = 1
CONFIG_KEY_MAGIC = 0


def encode(record: Record) -> tuple[bytes, bytes | None]:
    """The (key, value) to append; a None value is a tombstone."""
    match record:
        case SchemaVersion():
            value: dict[str, Any] = {
                "subject": record.subject,
                "version": record.version,
                "id": record.schema_id,
                "schema": record.schema,
                "deleted": record.deleted,
            }
            if record.schema_type != AVRO:  # Confluent leaves the type out for Avro
                value["schemaType"] = record.schema_type
            return _schema_key(record.subject, record.version), _json(value)
        case SchemaVersionRemoved():
            return _schema_key(record.subject, record.version), None
        case CompatibilitySet():
            return _config_key(record.subject), _json({"compatibilityLevel": record.level})
        case CompatibilityCleared():
            return _config_key(record.subject), None


def decode(key: bytes | None, value: bytes | None) -> Record | None:
    """The record, or None for what this registry does not keep (NOOP, MODE, ... keys)."""
    if key is None:
        return None
    fields = json.loads(key)
    keytype = fields.get("keytype")
    if keytype == "SCHEMA":
        subject, version = str(fields["subject"]), int(fields["version"])
        if value is None:
            return SchemaVersionRemoved(subject, version)
        body = json.loads(value)
        return SchemaVersion(
            subject=subject,
            version=version,
            schema_id=int(body["id"]),
            schema=str(body["schema"]),
            schema_type=str(body.get("schemaType") or AVRO),
            deleted=bool(body.get("deleted", False)),
        )
    if keytype == "CONFIG":
        subject = fields.get("subject")
        if value is None:
            return CompatibilityCleared(subject)
        return CompatibilitySet(subject, str(json.loads(value)["compatibilityLevel"]))
    log.debug("ignoring a %s record of the schemas topic", keytype)
    return None


def _schema_key(subject: str, version: int) -> bytes:
    return _json({"keytype": "SCHEMA", "subject": subject, "version": version,
                  "magic": SCHEMA_KEY_MAGIC})


def _config_key(subject: str | None) -> bytes:
    return _json({"keytype": "CONFIG", "subject": subject, "magic": CONFIG_KEY_MAGIC})


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
