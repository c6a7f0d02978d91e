"""The processor's in-memory partition: idempotency, expected versions, overlay commit/abort."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from aggregates.product import ChangeProductPrice, CreateProduct, ProductCreated
from commands.contexts import CATALOG
from commands.processor.partition import (
    Accepted,
    Duplicate,
    IdempotencyWindow,
    PartitionState,
    Refused,
    VersionMismatch,
)
from schemas.envelope import CommandMetadata

AT = datetime(2026, 11, 25, tzinfo=UTC)


def meta(command_id: str, expected: int | None = None) -> CommandMetadata:
    return CommandMetadata(command_id, "shop.catalog.CreateProduct", "p-1", "corr", expected)


def create(price: str = "5.00") -> CreateProduct:
    return CreateProduct("p-1", "Mug", "", "kitchen", Decimal(price), AT)


def test_a_repeated_command_id_returns_the_first_outcome_and_appends_nothing() -> None:
    state = PartitionState(CATALOG)
    first = state.handle(meta("c-1"), create())
    state.record_offset("p-1", "c-1", 42)
    state.commit()

    again = state.handle(meta("c-1"), create())

    assert isinstance(first, Accepted) and first.version == 1
    assert again == Duplicate(version=1, next_offset=42)


def test_a_stale_expected_version_is_refused_with_the_current_one() -> None:
    state = PartitionState(CATALOG)
    state.handle(meta("c-1"), create())
    state.commit()

    decision = state.handle(meta("c-2", expected=0), ChangeProductPrice("p-1", Decimal("6.00"), AT))

    assert decision == VersionMismatch(expected=0, current=1)


def test_an_aborted_batch_leaves_no_trace() -> None:
    state = PartitionState(CATALOG)
    state.handle(meta("c-1"), create())
    state.abort()

    assert state.entry("p-1").version == 0
    assert isinstance(state.handle(meta("c-1"), create()), Accepted)


def test_a_rejection_is_not_remembered_as_handled() -> None:
    state = PartitionState(CATALOG)
    refused = state.handle(meta("c-1"), create(price="-1"))

    assert isinstance(refused, Refused) and refused.rejection.code == "invalid_price"
    assert state.seen("p-1", "c-1") is None


def test_stored_events_rebuild_state_and_command_ids() -> None:
    state = PartitionState(CATALOG)
    state.apply_stored("p-1", 1, ProductCreated("p-1", "Mug", "", "kitchen", Decimal("5.00"), AT),
                       "c-9", 8, AT)

    assert state.entry("p-1").version == 1
    assert state.handle(meta("c-9"), create()) == Duplicate(version=1, next_offset=8)
    assert "p-1" in state.dirty


def test_a_snapshot_restores_the_same_entry() -> None:
    state = PartitionState(CATALOG)
    state.handle(meta("c-1"), create())
    state.record_offset("p-1", "c-1", 3)
    state.commit()
    restored = PartitionState(CATALOG)

    restored.restore("p-1", state.snapshot("p-1"))

    assert restored.entry("p-1") == state.entry("p-1")
    assert restored.seen("p-1", "c-1") == state.seen("p-1", "c-1")


def test_snapshotting_in_an_aborted_batch_keeps_the_aggregates_dirty() -> None:
    state = PartitionState(CATALOG)
    state.handle(meta("c-1"), create())
    state.commit()
    assert state.take_snapshot_ids() == {"p-1"}

    state.abort()

    assert state.dirty == {"p-1"}


def test_the_idempotency_window_forgets_old_command_ids() -> None:
    window = IdempotencyWindow(period=timedelta(hours=1), max_ids=2)
    recent = {"a": (1, 1, AT), "b": (2, 2, AT + timedelta(minutes=30)), "c": (3, 3, AT + timedelta(hours=2))}

    window.trim(recent, AT + timedelta(hours=2))

    assert list(recent) == ["c"]


def test_the_idempotency_window_keeps_at_most_max_ids() -> None:
    window = IdempotencyWindow(period=timedelta(hours=1), max_ids=2)
    recent = {c: (1, 1, AT) for c in "abc"}

    window.trim(recent, AT)

    assert list(recent) == ["b", "c"]
