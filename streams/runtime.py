"""The projectors' clients, stores and metrics inside one worker process.

A batch that keeps failing is retried with back-off, then raised: the worker
crashes rather than skip it, and restarts from the store's checkpoints.
"""

import asyncio
import time
from collections.abc import Sequence

import structlog

from infra.settings import Settings
from projections.bootstrap import ProjectionClients, build_projector, connect
from projections.decoding import Decoded
from projections.log_offsets import LogOffsets
from projections.pg_control import live_checkpoints
from projections.projector import BatchResult, Projector
from projections.records import SourceRecord
from projections.settings import ProjectionSettings
from projections.store import setup
from streams import metrics

log = structlog.get_logger("streams")

RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15, 30)  # then the worker crashes and restarts


class ProjectorRuntime:
    """The projectors' clients, connected on first use (never at import or build time)."""

    def __init__(self, settings: Settings, projection_settings: ProjectionSettings) -> None:
        self.settings, self.projection_settings = settings, projection_settings
        self._clients: ProjectionClients | None = None
        self._projectors: dict[str, Projector] = {}
        self._newest_applied_ms: dict[str, int] = {}
        self._lock = asyncio.Lock()
        self._log_offsets = LogOffsets(settings.kafka_bootstrap)

    async def projector(self, name: str) -> Projector:
        async with self._lock:
            if self._clients is None:
                self._clients = await connect(self.settings, self.projection_settings)
            if name not in self._projectors:
                projector = build_projector(name, self._clients)
                version = await setup(projector.store)
                log.info("projector ready", projector=name, live_version=version)
                self._projectors[name] = projector
            return self._projectors[name]

    async def apply(self, projector: Projector, records: list[SourceRecord],
                    decoded: Sequence[Decoded] | None = None) -> BatchResult:
        for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
            started = time.perf_counter()
            try:
                result = await projector.apply(records, decoded=decoded)
            except Exception as error:
                metrics.BATCH_FAILURES.labels(projector.name).inc()
                if delay is None:
                    raise
                log.warning("batch failed, retrying", projector=projector.name, attempt=attempt,
                            retry_in=delay, error=repr(error))
                await asyncio.sleep(delay)
                continue
            self._observe(projector.name, result, records, time.perf_counter() - started)
            return result
        raise AssertionError("unreachable")

    def _observe(self, name: str, result: BatchResult, records: list[SourceRecord],
                 seconds: float) -> None:
        metrics.BATCH_SECONDS.labels(name).observe(seconds)
        metrics.EVENTS_APPLIED.labels(name).inc(result.applied)
        metrics.RECORDS_SKIPPED.labels(name).inc(result.skipped)
        metrics.DEAD_LETTERS.labels(name).inc(result.dead_lettered)
        stamps = [r.timestamp_ms for r in records if r.timestamp_ms is not None]
        if stamps:
            self._newest_applied_ms[name] = max(stamps)

    async def next_offsets(self, projector: Projector) -> dict[int, int]:
        """Per partition of the events topic, the next offset `projector`'s store has to apply."""
        assert self._clients is not None, "projector() connects first"
        topic = self.projection_settings.events_topic
        applied = await live_checkpoints(self._clients.pool, projector.store.projection)
        return {partition: offset for (t, partition), offset in applied.items() if t == topic}

    async def update_lag(self) -> None:
        if self._clients is None:
            return
        topic = self.projection_settings.events_topic
        ends = await asyncio.to_thread(self._log_offsets.end_offsets, topic)
        for name, projector in list(self._projectors.items()):
            applied = await live_checkpoints(self._clients.pool, projector.store.projection)
            behind = 0
            for partition, end in ends.items():
                lag = max(0, end - applied.get((topic, partition), 0))
                behind += lag
                metrics.LAG_EVENTS.labels(name, topic, str(partition)).set(lag)
            newest = self._newest_applied_ms.get(name)
            age = time.time() - newest / 1000 if behind and newest else 0.0
            metrics.LAG_SECONDS.labels(name).set(max(0.0, age))

    async def close(self) -> None:
        if self._clients is not None:
            await self._clients.close()
            self._clients = None
