"""Faults with real processes: kill -9 the processor, move partitions between instances.

After each, every acknowledged command has exactly one set of events, and a
read_committed reader sees no event id twice.
"""

import threading
import time
import uuid
from collections import Counter

import pytest

from schemas.envelope import EventMetadata
from tests.commands.conftest import WriteSide
from tests.commands.load import Acknowledged, create_products
from tests.support.kafka import committed_records

pytestmark = pytest.mark.stack


def created_events(side: WriteSide) -> list[EventMetadata]:
    return [EventMetadata.from_headers(m.headers)
            for m in committed_records(side.settings.kafka_bootstrap, side.events_topic)]


def assert_exactly_once(side: WriteSide, done: Acknowledged) -> None:
    assert not done.failed, done.failed[:5]
    events = created_events(side)
    ids = Counter(e.event_id for e in events)
    assert [i for i, n in ids.items() if n > 1] == []
    per_product = Counter(e.aggregate_id for e in events if e.event_type.endswith("ProductCreated"))
    assert set(done.created.values()) <= set(per_product)
    assert all(n == 1 for n in per_product.values()), [p for p, n in per_product.items() if n > 1]
    # Every 202 was in the log too, and ran exactly once.
    assert len(per_product) == done.count


def test_killing_the_processor_mid_load_loses_and_duplicates_nothing(
    new_write_side: "type[WriteSide]",
) -> None:
    side = new_write_side()  # type: ignore[operator]
    processor = side.start_processor("crash-1", snapshot_every=40)
    api = side.start_command_api()
    killed = threading.Event()

    def crash_once(done: Acknowledged) -> None:
        with done.lock:
            due = done.count >= 60 and not killed.is_set()
            if due:
                killed.set()
        if due:
            processor.kill()
            side.start_processor("crash-1", snapshot_every=40)

    keys = [uuid.uuid4().hex for _ in range(240)]
    done = create_products(api, keys, after_each=crash_once)

    assert killed.is_set()
    assert_exactly_once(side, done)


def test_partitions_move_between_two_instances_under_load_without_loss(
    new_write_side: "type[WriteSide]",
) -> None:
    side = new_write_side()  # type: ignore[operator]
    first = side.start_processor("move-1")
    api = side.start_command_api()
    moves: list[str] = []

    def rebalance(done: Acknowledged) -> None:
        with done.lock:
            step = ("join" if done.count >= 50 and not moves else
                    "leave" if done.count >= 150 and moves == ["join"] else None)
            if step:
                moves.append(step)
        if step == "join":
            side.start_processor("move-2")  # the group rebalances: partitions move to it
        elif step == "leave":
            first.stop()  # and back again, on a clean leave
            time.sleep(0.1)

    keys = [uuid.uuid4().hex for _ in range(300)]
    done = create_products(api, keys, after_each=rebalance)

    assert moves == ["join", "leave"]
    assert_exactly_once(side, done)
