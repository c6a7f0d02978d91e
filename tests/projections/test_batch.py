"""What a batch still has to apply, given the store's checkpoint."""

from projections.batch import plan_batch
from projections.decoding import Poison
from projections.products import screen
from tests.projections.helpers import TOPIC, at_offsets, record
from tests.support.catalog_events import history


def test_records_below_the_checkpoint_are_skipped() -> None:
    events = at_offsets(history("p-1", price_changes=["79.00", "69.00"]), start=10)
    plan = plan_batch(events, {(TOPIC, 0): 12}, screen)
    assert [e.record.offset for e in plan.events] == [12]
    assert plan.next_offsets == {(TOPIC, 0): 13}
    assert plan.already_applied == 2


def test_a_fully_applied_batch_is_empty() -> None:
    events = at_offsets(history("p-1"), start=3)
    plan = plan_batch(events, {(TOPIC, 0): 4}, screen)
    assert plan.empty and not plan.events and plan.already_applied == 1


def test_the_checkpoint_moves_per_partition() -> None:
    events = at_offsets(history("p-1"), partition=0, start=5) + at_offsets(
        history("p-2"), partition=3, start=0)
    assert plan_batch(events, {}, screen).next_offsets == {(TOPIC, 0): 6, (TOPIC, 3): 1}


def test_poison_moves_the_checkpoint_and_is_counted_per_partition() -> None:
    good = at_offsets(history("p-1"), partition=2, start=0)
    bad = [Poison(record(1, partition=2), "undecodable"), Poison(record(0, partition=4), "bad")]
    plan = plan_batch([*good, *bad], {}, screen)
    assert [p.reason for p in plan.poison] == ["undecodable", "bad"]
    assert plan.dead_letters == {(TOPIC, 2): 1, (TOPIC, 4): 1}
    assert plan.next_offsets == {(TOPIC, 2): 2, (TOPIC, 4): 1}


def test_poison_already_applied_is_not_sent_again() -> None:
    plan = plan_batch([Poison(record(7), "undecodable")], {(TOPIC, 0): 8}, screen)
    assert not plan.poison and plan.empty
