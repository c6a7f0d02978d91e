"""A projector: a batch of records in, its store changed and its position recorded.

The same pipeline serves the live Faust agents and a rebuild; only where the
records come from and which version they go to differ.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from projections import products
from projections.batch import Screen, plan_batch
from projections.dead_letters import DeadLetterSink
from projections.decoding import Decoded
from projections.records import Position, SourceRecord
from projections.store import ProjectionStore


@dataclass(frozen=True)
class BatchResult:
    applied: int  # events applied (or found already reflected by row versions)
    dead_lettered: int
    skipped: int  # records at positions the store had already applied
    next_offsets: dict[Position, int]


class Projector:
    def __init__(self, name: str, store: ProjectionStore, decode: Callable[[SourceRecord], Decoded],
                 dead_letters: DeadLetterSink, screen: Screen = products.screen) -> None:
        self.name, self.store = name, store
        self._decode, self._dead_letters, self._screen = decode, dead_letters, screen

    def decode(self, records: Sequence[SourceRecord]) -> list[Decoded]:
        """The CPU-bound half of a batch, separable so a caller can run it in a thread
        and overlap it with the previous batch's write."""
        return [self._decode(record) for record in records]

    async def apply(self, records: Sequence[SourceRecord], version: int | None = None,
                    decoded: Sequence[Decoded] | None = None) -> BatchResult:
        """Apply a batch to `version` (default: the live one), exactly once in effect."""
        items = self.decode(records) if decoded is None else decoded
        async with self.store.batch(version) as tx:
            plan = plan_batch(items, await tx.applied(), self._screen)
            if plan.poison:
                await self._dead_letters.send(plan.poison, self.name)
            if not plan.empty:
                await tx.apply(plan)
        return BatchResult(len(plan.events), len(plan.poison), plan.already_applied,
                           plan.next_offsets)
