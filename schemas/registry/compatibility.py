"""Avro schemas: parsing, identity and compatibility between versions.

Schema resolution is Apache Avro's own (`avro.compatibility`); this module only
decides which pairs to check for a compatibility level, and in which direction.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import avro.errors
import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

NONE = "NONE"
BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
LEVELS = (
    NONE,
    "BACKWARD",
    BACKWARD_TRANSITIVE,
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
DEFAULT_LEVEL = BACKWARD_TRANSITIVE


class InvalidSchema(ValueError):
    """The text is not a valid Avro schema."""


@dataclass(frozen=True)
class PriorSchema:
    """An already registered schema a candidate is checked against."""

    version: int
    schema: avro.schema.Schema


def parse(text: str) -> avro.schema.Schema:
    try:
        schema = avro.schema.parse(text)
    except (avro.errors.AvroException, ValueError, TypeError, KeyError, AttributeError) as error:
        raise InvalidSchema(str(error)) from error
    _refuse_invalid_defaults(schema)
    return schema


@lru_cache(maxsize=4096)
def parsed(text: str) -> avro.schema.Schema:
    """`parse`, remembered: registered schemas are parsed again on every check."""
    return parse(text)


def compact(text: str) -> str:
    """The stored form: the client's JSON without insignificant whitespace, keys in its order."""
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=4096)
def identity(text: str) -> str:
    """Two texts with the same identity are the same schema (whitespace and key order aside).

    Not Avro's Parsing Canonical Form: that drops defaults and aliases, which
    change how data is resolved, so two schemas differing there must stay two.
    """
    return json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def is_valid_level(level: str) -> bool:
    return level in LEVELS


def incompatibilities(
    level: str, candidate: avro.schema.Schema, prior: Sequence[PriorSchema]
) -> list[str]:
    """Why `candidate` may not follow `prior` (oldest first) under `level`; empty if it may."""
    if level == NONE or not prior:
        return []
    against = prior if level.endswith("_TRANSITIVE") else prior[-1:]
    backward = level.startswith(("BACKWARD", "FULL"))
    forward = level.startswith(("FORWARD", "FULL"))
    problems: list[str] = []
    for old in against:
        if backward:
            problems += _problems(
                reader=candidate, writer=old.schema,
                direction=f"the new schema cannot read data written with version {old.version}",
            )
        if forward:
            problems += _problems(
                reader=old.schema, writer=candidate,
                direction=f"version {old.version} cannot read data written with the new schema",
            )
    return problems


def _problems(reader: avro.schema.Schema, writer: avro.schema.Schema, direction: str) -> list[str]:
    # A fresh checker each time: it memoises by object identity, across calls.
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    if result.compatibility is SchemaCompatibilityType.compatible:
        return []
    kinds = ", ".join(sorted({kind.value for kind in result.incompatibilities}))
    details = "; ".join(sorted(result.messages))
    where = ", ".join(sorted(result.locations))
    return [f"{direction}: {kinds} at {where} ({details})"]


# Defaults are JSON values; these are the JSON shapes each Avro type accepts.
_JSON_SHAPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "boolean": (bool,),
    "int": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "string": (str,),
    "bytes": (str,),
    "enum": (str,),
    "fixed": (str,),
    "array": (list,),
    "map": (dict,),
    "record": (dict,),
}


def _refuse_invalid_defaults(schema: avro.schema.Schema) -> None:
    # avro's Python parser accepts any default; Java's (which Confluent uses) does not.
    seen: set[int] = set()

    def visit(node: avro.schema.Schema) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        for child in _children(node):
            visit(child)
        if isinstance(node, avro.schema.RecordSchema):
            for field in node.fields:
                if field.has_default and not _default_fits(field.type, field.default):
                    raise InvalidSchema(
                        f"Invalid default for field {field.name} in {node.fullname}: "
                        f"{json.dumps(field.default)} is not a {field.type.type}"
                    )

    visit(schema)


def _children(node: avro.schema.Schema) -> list[avro.schema.Schema]:
    if isinstance(node, avro.schema.RecordSchema):
        return [field.type for field in node.fields]
    if isinstance(node, avro.schema.UnionSchema):
        return list(node.schemas)
    if isinstance(node, avro.schema.ArraySchema):
        return [node.items]
    if isinstance(node, avro.schema.MapSchema):
        return [node.values]
    return []


def _default_fits(schema: avro.schema.Schema, value: Any) -> bool:
    if isinstance(schema, avro.schema.UnionSchema):
        # Avro 1.12: the default may match any branch (earlier specs: the first).
        return any(_default_fits(branch, value) for branch in schema.schemas)
    if not _has_json_shape(value, _JSON_SHAPES.get(schema.type, ())):
        return False
    if isinstance(schema, avro.schema.EnumSchema):
        return value in schema.symbols
    if isinstance(schema, avro.schema.FixedSchema):
        return len(value) == schema.size
    if isinstance(schema, avro.schema.ArraySchema):
        return all(_default_fits(schema.items, item) for item in value)
    if isinstance(schema, avro.schema.MapSchema):
        return all(_default_fits(schema.values, item) for item in value.values())
    if isinstance(schema, avro.schema.RecordSchema):
        return all(
            _default_fits(field.type, value[field.name]) if field.name in value else field.has_default
            for field in schema.fields
        )
    return True


def _has_json_shape(value: Any, shapes: tuple[type, ...]) -> bool:
    # JSON true is no number, though Python's bool is an int.
    return isinstance(value, shapes) and (bool in shapes or not isinstance(value, bool))
