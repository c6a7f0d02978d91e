"""The Faust application: one agent per projector, batching, applying, then acking.

Each agent takes records in batches (`noack_take`, always with a timeout) and
hands them to its projector, which applies them to its store and records the
position there, exactly once in effect. Only then are the records acked, and
only acked offsets are ever committed to Kafka: a crash at any point replays
from the last committed offset and the store skips what it already has. A batch
that keeps failing crashes the worker (CrashingSupervisor) rather than being
skipped, so the process manager restarts it from the committed offset.

The agents share one consumer group per worker process; run projectors in
separate processes (`python -m streams products`) to give each its own group.
"""

import asyncio
import time
from collections.abc import Sequence
from typing import Any, cast

import faust
import structlog
from faust.types import EventT
from mode import CrashingSupervisor
from mode.types.signals import BaseSignalT

from infra.settings import Settings
from projections.bootstrap import PROJECTORS, ProjectionClients, build_projector, connect
from projections.log_offsets import LogOffsets
from projections.pg_control import live_checkpoints
from projections.projector import BatchResult, Projector
from projections.records import SourceRecord
from projections.settings import ProjectionSettings
from projections.store import setup
from streams import metrics
from streams.records import to_source_record
from streams.transport import install

log = structlog.get_logger("streams")

RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15, 30)  # then the worker crashes and restarts
LAG_INTERVAL = 5.0


def group_id(settings: ProjectionSettings, projectors: Sequence[str]) -> str:
    return "-".join([settings.consumer_group_prefix, *projectors])


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

    async def apply(self, projector: Projector, records: list[SourceRecord]) -> BatchResult:
        for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
            started = time.perf_counter()
            try:
                result = await projector.apply(records)
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


def _agent(name: str, runtime: ProjectorRuntime, settings: ProjectionSettings) -> Any:
    async def project(stream: faust.Stream[Any]) -> None:
        projector = await runtime.projector(name)
        # noack_take yields the events themselves and leaves acking to us: the
        # records are acked (and so become committable) only once applied.
        async for batch in stream.noack_take(settings.batch_size, within=settings.batch_within):
            events = cast(list[EventT[Any]], batch)
            await runtime.apply(projector, [to_source_record(event.message) for event in events])
            for event in events:
                await stream.ack(event)

    project.__name__ = f"project_{name}"
    return project


def build_app(settings: Settings, projection_settings: ProjectionSettings,
              projectors: Sequence[str] = PROJECTORS) -> faust.App:
    datadir = settings.stack_dir / "faust"
    datadir.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    app = faust.App(
        group_id(projection_settings, projectors),
        broker=[f"kafka://{address}" for address in settings.kafka_bootstrap.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=projection_settings.consumer_session_timeout,
        stream_buffer_maxsize=2 * projection_settings.batch_size,
        broker_max_poll_records=projection_settings.batch_size,
        topic_disable_leader=True,  # no leader topic: this app declares no topics at all
        topic_allow_declare=False,
        web_enabled=False,  # /metrics is served by prometheus_client (streams.__main__)
        datadir=str(datadir),
    )
    install(app)
    topic = app.topic(projection_settings.events_topic, key_type=bytes, value_type=bytes,
                      key_serializer="raw", value_serializer="raw")
    runtime = ProjectorRuntime(settings, projection_settings)
    for name in projectors:
        app.agent(topic, name=f"project-{name}", supervisor_strategy=CrashingSupervisor)(
            _agent(name, runtime, projection_settings))
    app.timer(LAG_INTERVAL)(runtime.update_lag)

    async def close_clients(sender: Any, /, *args: Any, signal: BaseSignalT[Any],
                            **kwargs: Any) -> None:
        await runtime.close()

    app.on_before_shutdown.connect(close_clients)
    app.runtime = runtime  # type: ignore[attr-defined]  # for tests and diagnostics
    return app
