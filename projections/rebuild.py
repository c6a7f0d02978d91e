"""Rebuild a read model from offset 0 into a new version, then swap it in.

The live version keeps serving (and its projector keeps applying) while the new
one is built from the start of the log with a plain read_committed consumer.
Once the new version has reached the end of the log, the swap transaction
locks the live-version row FOR UPDATE, which waits for the live projector's
batch in flight and holds back its next one; it then brings the new version up
to at least the live version's checkpoints, points readers at it (view or alias)
and moves the live pointer, all in that one transaction. The live projector's
next batch goes to the new version, whose checkpoints make it skip what the
rebuild already applied. The old version is dropped after the commit.

A session advisory lock per projection makes a second rebuild refuse to start.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from projections.bootstrap import ProjectionClients, ProjectorSpec
from projections.log_offsets import LogOffsets
from projections.log_reader import LogReader
from projections.pg_control import REBUILD_LOCK_BASE, read_checkpoints, versioned
from projections.pump import Pump
from projections.rebuild_workers import bulk_in_processes
from projections.records import Position
from projections.store import ProjectionStore, begin_version, setup

SWAP_TIMEOUT = 60.0  # seconds the live projector may be held back while the swap catches up


class RebuildRefused(RuntimeError):
    """Another rebuild of the same projection holds the lock."""


@dataclass(frozen=True)
class RebuildProgress:
    phase: str  # "building", "swapping"
    done: int  # records read and applied
    total: int  # records to read as far as known (the log may grow meanwhile)
    rate: float  # records per second since the start


@dataclass(frozen=True)
class RebuildResult:
    projection: str
    old_version: int
    new_version: int
    events: int
    seconds: float


Report = Callable[[RebuildProgress], None]


@asynccontextmanager
async def rebuild_lock(pool: asyncpg.Pool, projection: str) -> AsyncIterator[None]:
    async with pool.acquire() as conn:
        got = await conn.fetchval("SELECT pg_try_advisory_lock($1, hashtext($2))",
                                  REBUILD_LOCK_BASE, projection)
        if not got:
            holder = await conn.fetchrow(
                """SELECT a.pid, a.backend_start, a.client_addr FROM pg_locks l
                   JOIN pg_stat_activity a ON a.pid = l.pid
                   WHERE l.locktype = 'advisory' AND l.classid = $1
                     AND l.objid = hashtext($2)::oid AND l.granted""",
                REBUILD_LOCK_BASE, projection)
            since = f" (PostgreSQL backend {holder['pid']}, since {holder['backend_start']:%H:%M:%S})" \
                if holder else ""
            raise RebuildRefused(f"a rebuild of {projection} is already running{since}; "
                                 "wait for it to finish")
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1, hashtext($2))",
                               REBUILD_LOCK_BASE, projection)


def _reached(applied: Mapping[Position, int], live: Mapping[Position, int]) -> bool:
    return all(applied.get(position, 0) >= offset for position, offset in live.items())


async def rebuild(spec: ProjectorSpec, clients: ProjectionClients, *, workers: int = 1,
                  batch_size: int = 10000, report: Report = lambda _: None) -> RebuildResult:
    """Rebuild `spec`'s read model; `workers` processes share the partitions of the bulk."""
    settings, topic = clients.settings, clients.projection_settings.events_topic
    projector = spec.build(clients)
    store = projector.store
    started = time.monotonic()
    await setup(store)
    async with rebuild_lock(store.pool, store.projection):
        new = await begin_version(store)
        total = sum((await asyncio.to_thread(
            LogOffsets(settings.kafka_bootstrap).end_offsets, topic)).values())

        def progress(phase: str, done: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            report(RebuildProgress(phase, done, max(total, done), done / elapsed))

        if workers > 1:
            bulk = await bulk_in_processes(spec, clients, new, workers, batch_size,
                                            lambda done: progress("building", done))
        else:
            bulk = 0
        # Whatever the bulk left (all of it with one worker), then the swap, from here.
        async with store.pool.acquire() as conn:
            start = {p: o for (t, p), o in (await read_checkpoints(
                conn, versioned(store.projection, new))).items() if t == topic}
        reader = LogReader(settings.kafka_bootstrap, topic, start, batch_size=batch_size)
        pump = Pump(reader, projector, new)
        pump.applied.update({(topic, p): o for p, o in start.items()})
        try:
            while not pump.at_end:
                await pump.step()
                progress("building", bulk + pump.done)
            await pump.drain()
            old = await _swap(store, pump, new, lambda: progress("swapping", bulk + pump.done))
        finally:
            reader.close()
        async with store.pool.acquire() as conn:
            await store.drop_version(conn, old)
        progress("done", bulk + pump.done)
        return RebuildResult(store.projection, old, new, bulk + pump.done,
                             time.monotonic() - started)


async def _swap(store: ProjectionStore, pump: Pump, new: int, progress: Callable[[], None]) -> int:
    async with store.pool.acquire() as conn, conn.transaction():
        old = await conn.fetchval("SELECT live_version FROM projection_versions"
                                  " WHERE projection = $1 FOR UPDATE", store.projection)
        live = await read_checkpoints(conn, versioned(store.projection, old))
        # The live projector is held back now; what it applied is committed in the log.
        deadline = time.monotonic() + SWAP_TIMEOUT
        while not _reached(pump.applied, live):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the new version did not reach the live one's checkpoints "
                                   f"within {SWAP_TIMEOUT:.0f} s; nothing was swapped")
            await pump.step()
            progress()
        await pump.drain()
        await store.activate(conn, new)
        await conn.execute("UPDATE projection_versions SET live_version = $2,"
                           " building_version = NULL, swapped_at = now() WHERE projection = $1",
                           store.projection, new)
        await conn.execute("DELETE FROM projection_checkpoints WHERE projection = $1",
                           versioned(store.projection, old))
        return int(old)
