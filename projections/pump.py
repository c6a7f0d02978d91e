"""Reading, decoding and applying a topic batch after batch into one store version.

The next batch is read and decoded in a thread while the current one is
written, so the CPU-bound decoding overlaps the store's round trips.
"""

import asyncio

from projections.decoding import Decoded
from projections.log_reader import LogReader
from projections.projector import Projector
from projections.records import Position, SourceRecord


class Pump:
    """Reads and decodes the next batch in a thread while the current one is written."""

    def __init__(self, reader: LogReader, projector: Projector, version: int) -> None:
        self._reader, self._projector, self._version = reader, projector, version
        self._next: asyncio.Future[tuple[list[SourceRecord], list[Decoded]]] | None = None
        self.applied: dict[Position, int] = {}
        self.done = 0

    def _read(self) -> tuple[list[SourceRecord], list[Decoded]]:
        records = self._reader.read(timeout=0.2)
        return records, self._projector.decode(records)

    async def step(self) -> None:
        current = self._next or asyncio.ensure_future(asyncio.to_thread(self._read))
        records, decoded = await current
        self._next = asyncio.ensure_future(asyncio.to_thread(self._read))
        if records:
            result = await self._projector.apply(records, self._version, decoded)
            self.applied.update(result.next_offsets)
            self.done += len(records)

    async def drain(self) -> None:
        """Apply the batch read ahead, so that nothing read is left unapplied."""
        if self._next is not None:
            records, decoded = await self._next
            self._next = None
            if records:
                result = await self._projector.apply(records, self._version, decoded)
                self.applied.update(result.next_offsets)
                self.done += len(records)

    @property
    def at_end(self) -> bool:
        return self._reader.at_end
