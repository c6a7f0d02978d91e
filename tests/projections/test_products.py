"""Given catalog events, the product rows they project to; replays change nothing."""

import itertools
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from projections.products import (
    ProductRow,
    apply_change,
    fold_changes,
    screen,
)
from tests.projections.helpers import at_offsets
from tests.support.catalog_events import envelope, history, unique_id


def project(rows: dict[str, ProductRow], batch: list) -> dict[str, ProductRow]:
    """Apply one batch as a store does: one change per product on top of the stored row."""
    result = dict(rows)
    for change in fold_changes(batch):
        row = apply_change(result.get(change.product_id), change)
        if row is not None:
            result[change.product_id] = row
    return result


def test_a_created_product_is_a_whole_row() -> None:
    (change,) = fold_changes(at_offsets(history("p-1")))
    row = apply_change(None, change)
    assert row == ProductRow("p-1", "Running Shoes", "Light trail runners", "shoes",
                             Decimal("89.90"), "active", 1, change.updated_at, change.updated_at)


def test_a_batch_folds_into_one_change_per_product() -> None:
    events = at_offsets(history("p-1", price_changes=["79.00", "69.00"], renamed="Trail Shoes")
                        + history("p-2"))
    changes = fold_changes(events)
    assert [(c.product_id, c.version, c.price, c.name) for c in changes] == [
        ("p-1", 4, Decimal("69.00"), "Trail Shoes"), ("p-2", 1, Decimal("89.90"), "Running Shoes")]


def test_a_change_without_the_creation_updates_only_its_fields() -> None:
    events = history("p-1", price_changes=["79.00"], discontinued=True)
    rows = project({}, at_offsets(events[:1]))
    rows = project(rows, at_offsets(events[1:], start=1))
    assert (rows["p-1"].price, rows["p-1"].status, rows["p-1"].name, rows["p-1"].version) == (
        Decimal("79.00"), "discontinued", "Running Shoes", 3)


def test_a_change_older_than_the_row_changes_nothing() -> None:
    events = at_offsets(history("p-1", price_changes=["79.00", "69.00"]))
    rows = project({}, events)
    assert project(rows, events[1:2]) == rows


def test_a_partial_change_for_an_unknown_product_is_not_guessed() -> None:
    events = at_offsets(history("p-1", price_changes=["79.00"]))
    assert project({}, events[1:]) == {}


def test_applying_the_same_batch_twice_gives_the_same_rows() -> None:
    events = at_offsets(history("p-1", price_changes=["79.00"], renamed="Trail Shoes")
                        + history("p-2", discontinued=True))
    once = project({}, events)
    assert project(once, events) == once


@given(cuts=st.lists(st.integers(min_value=0, max_value=8), max_size=4),
       replay_from=st.integers(min_value=0, max_value=8))
def test_any_batching_and_any_replay_give_the_same_rows(cuts: list[int], replay_from: int) -> None:
    events = at_offsets(history("p-1", price_changes=["79.00", "69.00", "59.00"],
                                renamed="Trail Shoes", discontinued=True)
                        + history("p-2", price_changes=["10.00"]))
    expected = project({}, events)
    bounds = [0, *sorted(cuts), len(events)]
    rows: dict[str, ProductRow] = {}
    for start, end in itertools.pairwise(bounds):
        rows = project(rows, events[start:end])
    assert rows == expected
    assert project(rows, events[replay_from:]) == expected


def test_events_of_one_product_must_come_in_rising_version_order() -> None:
    first, second = at_offsets(history("p-1", price_changes=["79.00"]))
    valid, poison = screen([first, second, second])
    assert valid == [first, second]
    assert poison[0].reason == "invariant violated: version 2 does not follow version 2"


def test_a_creation_must_be_version_one() -> None:
    (item,) = at_offsets([envelope(history("p-1")[0].event, 2)])
    valid, poison = screen([item])
    assert not valid and "ProductCreated at aggregate version 2" in poison[0].reason


def test_the_header_must_name_the_events_product() -> None:
    (item,) = at_offsets(history("p-1"))
    item = replace(item, metadata=replace(item.metadata, aggregate_id="p-2"))
    assert "aggregate_id 'p-2'" in screen([item])[1][0].reason


def test_the_record_key_must_be_the_product_id() -> None:
    (item,) = at_offsets(history("p-1"))
    item = replace(item, record=replace(item.record, key=b"p-9"))
    assert "record key" in screen([item])[1][0].reason


def test_a_price_must_be_positive() -> None:
    pid = unique_id()
    (item,) = at_offsets(history(pid))
    item = replace(item, event=replace(item.event, price=Decimal("0.00")))
    assert "price 0.00 is not positive" in screen([item])[1][0].reason
