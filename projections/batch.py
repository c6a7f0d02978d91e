"""Which records of a batch a store still has to apply, and which are poison.

Pure. A store records, per (topic, partition), the next offset it has to apply;
records below it were applied by an earlier batch (a redelivery after a crash,
a replay) and are dropped here, which is what makes applying a batch twice
change nothing.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from projections.decoding import Decoded, DecodedEvent, Poison
from projections.records import Position

Screen = Callable[[list[DecodedEvent]], tuple[list[DecodedEvent], list[Poison]]]


@dataclass(frozen=True)
class BatchPlan:
    events: list[DecodedEvent]  # fresh, valid, in log order
    poison: list[Poison]  # fresh records to dead-letter
    next_offsets: dict[Position, int]  # the checkpoint after this batch, per partition touched
    dead_letters: dict[Position, int] = field(default_factory=dict)  # poison count per partition
    already_applied: int = 0

    @property
    def empty(self) -> bool:
        return not self.next_offsets


def plan_batch(items: Sequence[Decoded], applied: Mapping[Position, int], screen: Screen) -> BatchPlan:
    fresh = [item for item in items
             if item.record.offset >= applied.get(item.record.position, 0)]
    next_offsets: dict[Position, int] = {}
    for item in fresh:
        position = item.record.position
        next_offsets[position] = max(next_offsets.get(position, 0), item.record.offset + 1)
    valid, rejected = screen([item for item in fresh if isinstance(item, DecodedEvent)])
    poison = sorted([item for item in fresh if isinstance(item, Poison)] + rejected,
                    key=lambda p: (p.record.position, p.record.offset))
    dead_letters: dict[Position, int] = {}
    for item in poison:
        dead_letters[item.record.position] = dead_letters.get(item.record.position, 0) + 1
    return BatchPlan(valid, poison, next_offsets, dead_letters, len(items) - len(fresh))
