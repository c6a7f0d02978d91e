"""What a read-model store is to the projector and to a rebuild, and its version lifecycle.

Each store keeps versions of its read model (a PostgreSQL schema, an OpenSearch
index); one is live. Its checkpoints and the live-version pointer are in
PostgreSQL (`projections.pg_control`).
"""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

import asyncpg

from projections.batch import BatchPlan
from projections.pg_control import (
    DDL_LOCK,
    ensure_control_tables,
    live_version,
    versioned,
)
from projections.records import Position


class StoreBatch(Protocol):
    """One batch's write, inside the transaction that keeps its version live."""

    async def applied(self) -> dict[Position, int]: ...

    async def apply(self, plan: BatchPlan) -> None: ...


class ProjectionStore(Protocol):
    projection: str  # the read model's name; versions are `<projection>_v<n>`
    pool: asyncpg.Pool

    def batch(self, version: int | None = None) -> AbstractAsyncContextManager[StoreBatch]:
        """A write to `version`, or to the live version when None."""
        ...

    async def create_version(self, conn: asyncpg.Connection, version: int) -> None:
        """An empty read model for `version`, not yet visible to readers."""

    async def activate(self, conn: asyncpg.Connection, version: int) -> None:
        """Point readers at `version`, in the caller's transaction where the store allows."""

    async def drop_version(self, conn: asyncpg.Connection, version: int) -> None: ...


async def setup(store: ProjectionStore) -> int:
    """Make sure the store has a live version (version 1 the first time); returns it."""
    async with store.pool.acquire() as conn:
        await ensure_control_tables(conn)
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", DDL_LOCK)
            live = await live_version(conn, store.projection)
            if live is not None:
                return live
            await store.create_version(conn, 1)
            await store.activate(conn, 1)
            await conn.execute(
                "INSERT INTO projection_versions (projection, live_version) VALUES ($1, 1)",
                store.projection)
            return 1


async def begin_version(store: ProjectionStore) -> int:
    """A new, empty, not yet live version of the store, after any left by a failed rebuild."""
    async with store.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "SELECT live_version, building_version FROM projection_versions"
            " WHERE projection = $1 FOR UPDATE", store.projection)
        if row is None:
            raise RuntimeError(f"projection {store.projection} is not set up")
        stale = row["building_version"]
        if stale is not None and stale != row["live_version"]:
            await store.drop_version(conn, stale)
            await conn.execute("DELETE FROM projection_checkpoints WHERE projection = $1",
                               versioned(store.projection, stale))
        version = max(row["live_version"], stale or 0) + 1
        await store.create_version(conn, version)
        await conn.execute("UPDATE projection_versions SET building_version = $2"
                           " WHERE projection = $1", store.projection, version)
        return int(version)
