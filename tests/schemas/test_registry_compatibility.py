"""Compatibility levels over Apache Avro's schema resolution, and schema identity."""

import json

import pytest

from schemas.registry.compatibility import (
    LEVELS,
    InvalidSchema,
    PriorSchema,
    identity,
    incompatibilities,
    parse,
)
from tests.schemas.avro_factories import ID, field, record

V1 = record(ID)
WITH_OPTIONAL_EMAIL = record(ID, field("email", "string", default=""))
WITH_REQUIRED_EMAIL = record(ID, field("email", "string"))


def prior(*texts: str) -> list[PriorSchema]:
    return [PriorSchema(number, parse(text)) for number, text in enumerate(texts, start=1)]


def problems(level: str, candidate: str, *previous: str) -> list[str]:
    return incompatibilities(level, parse(candidate), prior(*previous))


# (level, previous, candidate): one pair that passes and one that fails per level.
PASSES = [
    ("NONE", record(ID), record(field("id", "int"))),
    ("BACKWARD", V1, WITH_OPTIONAL_EMAIL),
    ("FORWARD", WITH_OPTIONAL_EMAIL, V1),
    ("FORWARD", V1, WITH_REQUIRED_EMAIL),  # old readers ignore a field they do not know
    ("FULL", V1, WITH_OPTIONAL_EMAIL),
]
FAILS = [
    # The new reader finds no value and no default for email in old data.
    ("BACKWARD", V1, WITH_REQUIRED_EMAIL),
    # Old readers need email, which new data lacks, and they have no default.
    ("FORWARD", WITH_REQUIRED_EMAIL, V1),
    ("FULL", V1, WITH_REQUIRED_EMAIL),
    ("FULL", WITH_REQUIRED_EMAIL, V1),
]


@pytest.mark.parametrize(("level", "previous", "candidate"), PASSES)
def test_compatible_change_passes(level: str, previous: str, candidate: str) -> None:
    assert problems(level, candidate, previous) == []
    if level != "NONE":
        assert problems(f"{level}_TRANSITIVE", candidate, previous) == []


@pytest.mark.parametrize(("level", "previous", "candidate"), FAILS)
def test_incompatible_change_fails(level: str, previous: str, candidate: str) -> None:
    assert problems(level, candidate, previous)
    assert problems(f"{level}_TRANSITIVE", candidate, previous)


def test_none_accepts_an_incompatible_change() -> None:
    assert problems("NONE", WITH_REQUIRED_EMAIL, V1) == []


def test_problem_names_the_version_the_field_and_the_kind() -> None:
    (problem,) = problems("BACKWARD", WITH_REQUIRED_EMAIL, V1)
    assert "version 1" in problem
    assert "reader_field_missing_default_value" in problem
    assert "email" in problem


# Chains where each step is compatible with the one before, but not the last with the first.
CHAINS = {
    "BACKWARD": (V1, WITH_OPTIONAL_EMAIL, WITH_REQUIRED_EMAIL),
    "FORWARD": (
        record(ID, field("email", "string")),
        record(ID, field("email", "string", default=""), field("name", "string")),
        record(ID, field("name", "string")),
    ),
    "FULL": (V1, WITH_OPTIONAL_EMAIL, WITH_REQUIRED_EMAIL),
}


@pytest.mark.parametrize("level", sorted(CHAINS))
def test_transitive_level_checks_every_version_not_only_the_latest(level: str) -> None:
    first, second, third = CHAINS[level]
    assert problems(level, second, first) == []
    assert problems(level, third, first, second) == []
    transitive = problems(f"{level}_TRANSITIVE", third, first, second)
    assert len(transitive) == 1
    assert "version 1" in transitive[0]


def test_int_widens_to_long_but_long_does_not_narrow_to_int() -> None:
    as_int, as_long = record(field("n", "int")), record(field("n", "long"))
    assert problems("BACKWARD", as_long, as_int) == []
    assert problems("BACKWARD", as_int, as_long)


def test_removing_an_enum_symbol_is_not_forward_compatible() -> None:
    colours = {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN"]}
    fewer = {**colours, "symbols": ["RED"]}
    assert problems("FORWARD", record(field("c", fewer)), record(field("c", colours))) == []
    assert problems("BACKWARD", record(field("c", fewer)), record(field("c", colours)))


def test_every_level_is_known() -> None:
    assert set(LEVELS) == {
        "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
        "FULL", "FULL_TRANSITIVE",
    }


def test_whitespace_and_key_order_do_not_change_identity() -> None:
    reordered = json.dumps(
        {"fields": [{"type": "string", "name": "id"}], "namespace": "shop.test",
         "name": "User", "type": "record"},
        indent=4,
    )
    assert identity(reordered) == identity(V1)


def test_a_different_default_is_a_different_schema() -> None:
    other_default = record(ID, field("email", "string", default="none"))
    assert identity(other_default) != identity(WITH_OPTIONAL_EMAIL)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"type": "recrod", "name": "X"}',
        record(field("n", "int", default="zero")),
        record(field("c", {"type": "enum", "name": "E", "symbols": ["A"]}, default="B")),
        record(field("tags", {"type": "array", "items": "string"}, default=[1])),
        record(field("flag", "int", default=True)),
    ],
)
def test_invalid_schemas_are_refused(text: str) -> None:
    with pytest.raises(InvalidSchema):
        parse(text)


@pytest.mark.parametrize(
    "default_field",
    [
        field("note", ["null", "string"], default=None),
        field("note", ["string", "null"], default="none"),
        field("amount", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2},
              default="\u0000"),
        field("tags", {"type": "map", "values": "long"}, default={"a": 1}),
    ],
)
def test_valid_defaults_are_accepted(default_field: dict[str, object]) -> None:
    assert parse(record(ID, default_field)).type == "record"
