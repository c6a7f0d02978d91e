"""The registry's decisions and state: given records, when a change, then records or a refusal."""

from dataclasses import replace
from typing import TypeVar

from schemas.registry import decisions, queries, rejections
from schemas.registry.compatibility import compact
from schemas.registry.decisions import Decision
from schemas.registry.rejections import Rejection
from schemas.registry.state import (
    CompatibilityCleared,
    CompatibilitySet,
    Record,
    RegistryState,
    SchemaVersion,
    SchemaVersionRemoved,
    effective_level,
    fold,
    subject_versions,
)
from tests.schemas.avro_factories import ID, field, record

Reply = TypeVar("Reply")

V1 = record(ID)
V2 = record(ID, field("email", "string", default=""))
INCOMPATIBLE = record(ID, field("email", "string"))


def given(*records: Record) -> RegistryState:
    return fold(list(records))


def registered(subject: str, version: int, schema_id: int, schema: str = V1) -> SchemaVersion:
    return SchemaVersion(subject, version, schema_id, compact(schema))


def decided(outcome: Decision[Reply] | Rejection) -> Decision[Reply]:
    assert not isinstance(outcome, Rejection), outcome
    return outcome


def refused(outcome: object) -> int:
    assert isinstance(outcome, Rejection), outcome
    return outcome.error_code


def test_first_schema_gets_id_1_and_version_1() -> None:
    decision = decided(decisions.register(given(), "orders-value", V1))
    assert decision.reply == 1
    assert decision.records == (registered("orders-value", 1, 1),)


def test_registering_the_same_schema_again_appends_nothing_and_answers_its_id() -> None:
    state = given(registered("orders-value", 1, 7))
    spaced = V1.replace(",", " ,  ")
    assert decided(decisions.register(state, "orders-value", spaced)) == Decision((), 7)


def test_the_same_schema_in_another_subject_keeps_its_id_with_a_first_version() -> None:
    decision = decided(decisions.register(given(registered("a", 1, 3)), "b", V1))
    assert decision.reply == 3
    assert decision.records == (registered("b", 1, 3),)


def test_a_new_schema_gets_the_next_id_and_the_next_version() -> None:
    decision = decided(decisions.register(given(registered("a", 1, 1)), "a", V2))
    assert decision.records == (registered("a", 2, 2, V2),)


def test_an_incompatible_schema_is_refused_with_409() -> None:
    outcome = decisions.register(given(registered("a", 1, 1)), "a", INCOMPATIBLE)
    assert refused(outcome) == rejections.INCOMPATIBLE_SCHEMA


def test_the_subject_level_overrides_the_global_one() -> None:
    state = given(registered("a", 1, 1), CompatibilitySet("a", "NONE"),
                  CompatibilitySet(None, "FULL"))
    assert decided(decisions.register(state, "a", INCOMPATIBLE)).reply == 2
    assert effective_level(state, "other") == "FULL"


def test_an_invalid_schema_or_another_schema_type_is_refused_with_42201() -> None:
    assert refused(decisions.register(given(), "a", "{not json")) == rejections.INVALID_SCHEMA
    assert refused(decisions.register(given(), "a", V1, "PROTOBUF")) == rejections.INVALID_SCHEMA


def test_a_soft_deleted_version_keeps_its_number_and_its_schema_its_id() -> None:
    state = given(replace(registered("a", 1, 1), deleted=True))
    assert decided(decisions.register(state, "a", V1)).records == (registered("a", 2, 1),)


def test_soft_deleted_versions_are_not_checked_for_compatibility() -> None:
    state = given(replace(registered("a", 1, 1), deleted=True))
    assert decided(decisions.register(state, "a", INCOMPATIBLE)).reply == 2


def test_ids_are_not_reused_after_a_permanent_delete() -> None:
    state = given(registered("a", 1, 1), registered("a", 2, 2, V2), SchemaVersionRemoved("a", 2))
    assert decided(decisions.register(state, "b", INCOMPATIBLE)).reply == 3


def test_soft_delete_then_permanent_delete_of_a_version() -> None:
    state = given(registered("a", 1, 1), registered("a", 2, 2, V2))
    soft = decided(decisions.delete_version(state, "a", 2, permanent=False))
    assert soft == Decision((replace(registered("a", 2, 2, V2), deleted=True),), 2)
    state = fold(list(soft.records), state)
    assert queries.find_version(state, "a", "latest") == registered("a", 1, 1)
    hard = decided(decisions.delete_version(state, "a", 2, permanent=True))
    assert hard == Decision((SchemaVersionRemoved("a", 2),), 2)


def test_deleting_a_version_refuses_as_confluent_does() -> None:
    state = given(registered("a", 1, 1), replace(registered("a", 2, 2, V2), deleted=True))
    assert refused(decisions.delete_version(state, "b", 1, False)) == rejections.SUBJECT_NOT_FOUND
    assert refused(decisions.delete_version(state, "a", 9, False)) == rejections.VERSION_NOT_FOUND
    assert refused(decisions.delete_version(state, "a", 2, False)) == rejections.VERSION_SOFT_DELETED
    assert refused(decisions.delete_version(state, "a", 1, True)) == (
        rejections.VERSION_NOT_SOFT_DELETED
    )


def test_deleting_a_subject_soft_then_permanently_also_forgets_its_level() -> None:
    state = given(registered("a", 1, 1), registered("a", 2, 2, V2), CompatibilitySet("a", "NONE"))
    assert refused(decisions.delete_subject(state, "a", True)) == (
        rejections.SUBJECT_NOT_SOFT_DELETED
    )
    soft = decided(decisions.delete_subject(state, "a", False))
    assert soft.reply == [1, 2]
    state = fold(list(soft.records), state)
    assert refused(decisions.delete_subject(state, "a", False)) == rejections.SUBJECT_SOFT_DELETED
    hard = decided(decisions.delete_subject(state, "a", True))
    assert hard.records == (SchemaVersionRemoved("a", 1), SchemaVersionRemoved("a", 2),
                            CompatibilityCleared("a"))
    state = fold(list(hard.records), state)
    assert "a" not in state.versions
    assert "a" not in state.levels


def test_a_schema_stays_readable_by_id_after_a_soft_delete_but_not_a_permanent_one() -> None:
    soft_deleted = replace(registered("a", 1, 1), deleted=True)
    assert queries.find_schema(given(soft_deleted), 1) == soft_deleted
    gone = given(soft_deleted, SchemaVersionRemoved("a", 1))
    assert refused(queries.find_schema(gone, 1)) == rejections.SCHEMA_NOT_FOUND


def test_lookup_finds_the_version_or_says_what_is_missing() -> None:
    state = given(registered("a", 1, 1), registered("a", 2, 2, V2))
    found = queries.lookup(state, "a", V2)
    assert isinstance(found, SchemaVersion) and (found.version, found.schema_id) == (2, 2)
    assert refused(queries.lookup(state, "b", V2)) == rejections.SUBJECT_NOT_FOUND
    assert refused(queries.lookup(state, "a", INCOMPATIBLE)) == rejections.SCHEMA_NOT_FOUND


def test_version_ids_are_positive_integers_or_latest() -> None:
    assert queries.parse_version("latest") == "latest"
    assert queries.parse_version("-1") == "latest"
    assert queries.parse_version("3") == 3
    for text in ("0", "abc", "2147483648"):
        assert refused(queries.parse_version(text)) == rejections.INVALID_VERSION


def test_setting_a_level_validates_it_and_clearing_reports_the_previous_one() -> None:
    assert refused(decisions.set_level(given(), "a", "SIDEWAYS")) == (
        rejections.INVALID_COMPATIBILITY_LEVEL
    )
    assert decided(decisions.set_level(given(), "a", "full")).records == (
        CompatibilitySet("a", "FULL"),
    )
    assert decided(decisions.set_level(given(CompatibilitySet("a", "FULL")), "a", "FULL")
                   ).records == ()
    assert decided(decisions.clear_level(given(CompatibilitySet("a", "FULL")), "a")).reply == "FULL"
    assert refused(decisions.clear_level(given(), "a")) == (
        rejections.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED
    )


def test_the_default_level_is_backward_transitive() -> None:
    assert queries.compatibility_level(given(), None) == "BACKWARD_TRANSITIVE"
    assert refused(queries.compatibility_level(given(), "a")) == (
        rejections.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED
    )
    assert queries.compatibility_level(given(), "a", default_to_global=True) == (
        "BACKWARD_TRANSITIVE"
    )


def test_a_later_record_for_a_version_replaces_the_earlier_one() -> None:
    state = given(registered("a", 1, 1), replace(registered("a", 1, 1), deleted=True))
    assert subject_versions(state, "a") == []
    assert subject_versions(state, "a", include_deleted=True)[0].deleted
