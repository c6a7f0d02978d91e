"""One projector as a Faust service: its own consumer-group member, batch after batch.

A Faust agent pays for its per-message stream machinery (~200 µs of CPU per
event); this service reads thousands of records at once instead. The next batch
is read and decoded in a thread while the current one is applied (the store
commits the events and its checkpoints in one transaction); its offsets are
committed to the group only after that. Partitions start at the store's
checkpoints, so a crash at any point replays from there and changes nothing.
"""

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from mode import Service

from projections.decoding import Decoded
from projections.projector import Projector
from projections.records import SourceRecord
from projections.settings import ProjectionSettings
from streams.group_reader import GroupReader
from streams.runtime import ProjectorRuntime

log = structlog.get_logger("streams")

READ_TIMEOUT = 0.2  # seconds a read waits for records; bounds how long stopping takes


def group_id(settings: ProjectionSettings, projector: str) -> str:
    return f"{settings.consumer_group_prefix}-{projector}"


class ProjectorService(Service):
    def __init__(self, name: str, runtime: ProjectorRuntime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name, self.runtime = name, runtime
        self._in_flight: asyncio.Future[None] | None = None
        self._finished = asyncio.Event()
        self._reader: GroupReader | None = None

    async def on_start(self) -> None:
        self._projector: Projector = await self.runtime.projector(self.name)
        self._event_loop = asyncio.get_running_loop()
        settings, bootstrap = self.runtime.projection_settings, self.runtime.settings.kafka_bootstrap
        self._reader = GroupReader(bootstrap, settings.events_topic, group_id(settings, self.name),
                                   start_at=self._start_at, settle=self._settle_from_thread,
                                   batch_size=settings.batch_size,
                                   session_timeout=settings.consumer_session_timeout)

    async def on_stop(self) -> None:
        if self._reader is not None:
            await self._finished.wait()  # the loop below ends within READ_TIMEOUT of should_stop
            await asyncio.to_thread(self._reader.close)  # its revocation settles through this loop

    @Service.task
    async def _project(self) -> None:
        assert self._reader is not None, "on_start builds the reader"
        try:
            while not self.should_stop:
                records, decoded = await asyncio.to_thread(self._read)
                await self._settled()
                if records:
                    self._in_flight = asyncio.ensure_future(self._apply(records, decoded))
            await self._settled()
        finally:
            self._finished.set()

    def _read(self) -> tuple[list[SourceRecord], list[Decoded]]:
        assert self._reader is not None
        records = self._reader.read(READ_TIMEOUT)
        return records, self._projector.decode(records)

    async def _apply(self, records: list[SourceRecord], decoded: list[Decoded]) -> None:
        await self.runtime.apply(self._projector, records, decoded)
        next_offsets: dict[int, int] = {}
        for record in records:
            next_offsets[record.partition] = record.offset + 1  # records are in log order
        assert self._reader is not None
        self._reader.processed(next_offsets)

    async def _settled(self) -> None:
        """Wait for the batch in flight; raise its error (after its retries) to crash the worker."""
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            await in_flight

    def _settle_from_thread(self) -> None:
        async def wait() -> None:
            if self._in_flight is not None:
                await asyncio.wait([self._in_flight])  # its error is raised by _settled

        asyncio.run_coroutine_threadsafe(wait(), self._event_loop).result()

    def _start_at(self, partitions: Sequence[int]) -> Mapping[int, int]:
        future = asyncio.run_coroutine_threadsafe(self.runtime.next_offsets(self._projector),
                                                  self._event_loop)
        starts = future.result()
        log.info("partitions assigned", projector=self.name, partitions=sorted(partitions),
                 start_at={p: starts.get(p, 0) for p in sorted(partitions)})
        return starts
