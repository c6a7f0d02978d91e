"""The `_schemas` wire format, and that folding a compacted log gives the same registry."""

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.registry import decisions, records
from schemas.registry.memory import InMemoryRegistryStore
from schemas.registry.state import (
    CompatibilityCleared,
    CompatibilitySet,
    Record,
    RegistryState,
    SchemaVersion,
    SchemaVersionRemoved,
    fold,
)
from tests.schemas.avro_factories import ID, field, record

EXAMPLES: list[Record] = [
    SchemaVersion("orders-value", 3, 12, '{"type":"string"}'),
    SchemaVersion("orders-value", 3, 12, '{"type":"string"}', deleted=True),
    SchemaVersionRemoved("orders-value", 3),
    CompatibilitySet(None, "FULL"),
    CompatibilitySet("orders-value", "NONE"),
    CompatibilityCleared("orders-value"),
]


def test_records_survive_the_wire() -> None:
    for record_ in EXAMPLES:
        assert records.decode(*records.encode(record_)) == record_


def test_keys_and_values_are_confluents() -> None:
    key, value = records.encode(SchemaVersion("s", 1, 5, '{"type":"string"}'))
    assert key == b'{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}'
    assert json.loads(value or b"") == {
        "subject": "s", "version": 1, "id": 5, "schema": '{"type":"string"}', "deleted": False,
    }
    assert records.encode(CompatibilitySet(None, "FULL")) == (
        b'{"keytype":"CONFIG","subject":null,"magic":0}', b'{"compatibilityLevel":"FULL"}'
    )
    assert records.encode(SchemaVersionRemoved("s", 1))[1] is None


def test_records_this_registry_does_not_keep_are_ignored() -> None:
    assert records.decode(b'{"keytype":"NOOP","magic":0}', None) is None
    assert records.decode(b'{"keytype":"MODE","subject":null,"magic":0}', b'{"mode":"READONLY"}'
                          ) is None


SCHEMAS = [
    record(ID),
    record(ID, field("email", "string", default="")),
    record(ID, field("email", "string")),
    record(field("id", "long")),
]
SUBJECTS = ["a", "b"]
operations = st.one_of(
    st.tuples(st.just("register"), st.sampled_from(SUBJECTS), st.sampled_from(SCHEMAS)),
    st.tuples(st.just("delete_version"), st.sampled_from(SUBJECTS),
              st.sampled_from([1, 2, 3, "latest"]), st.booleans()),
    st.tuples(st.just("delete_subject"), st.sampled_from(SUBJECTS), st.booleans()),
    st.tuples(st.just("set_level"), st.sampled_from([None, *SUBJECTS]),
              st.sampled_from(["NONE", "BACKWARD", "FULL_TRANSITIVE"])),
    st.tuples(st.just("clear_level"), st.sampled_from([None, *SUBJECTS])),
)


def run(store: InMemoryRegistryStore, operation: tuple[Any, ...]) -> None:
    name, *args = operation
    decide = getattr(decisions, name)
    if name == "delete_version":
        store.write(lambda state: decide(state, args[0], args[1], permanent=args[2]))
    elif name == "delete_subject":
        store.write(lambda state: decide(state, args[0], permanent=args[1]))
    else:
        store.write(lambda state: decide(state, *args))


def compacted(log: list[Record], keep_tombstones: bool) -> list[Record]:
    """What Kafka leaves of a log: the last record of each key, in log order."""
    last = {records.encode(r)[0]: position for position, r in enumerate(log)}
    kept = [r for position, r in enumerate(log) if last[records.encode(r)[0]] == position]
    if keep_tombstones:
        return kept
    return [r for r in kept if records.encode(r)[1] is not None]


def observable(state: RegistryState) -> tuple[object, object]:
    return state.versions, state.levels


@settings(max_examples=150, deadline=None)
@given(st.lists(operations, max_size=25), st.booleans())
def test_folding_the_compacted_log_gives_the_same_registry(
    script: list[tuple[Any, ...]], keep_tombstones: bool
) -> None:
    store = InMemoryRegistryStore()
    for operation in script:
        run(store, operation)
    full = fold(store.appended)
    assert full == store.current()
    assert observable(fold(compacted(store.appended, keep_tombstones))) == observable(full)
