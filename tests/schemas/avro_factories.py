"""Small Avro schemas for the registry tests."""

import json
from typing import Any


def field(name: str, type_: Any = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def record(*fields: dict[str, Any], name: str = "User") -> str:
    return json.dumps(
        {"type": "record", "name": name, "namespace": "shop.test", "fields": list(fields)}
    )


# A field every test schema has, so that a record is never empty.
ID = field("id", "string")
