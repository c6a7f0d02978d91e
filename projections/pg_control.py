"""PostgreSQL bookkeeping shared by every projector: live versions and checkpoints.

`projection_versions` says which version of each read model is live. A live
projector writes in a transaction that holds that row FOR SHARE, so a rebuild
swapping versions (FOR UPDATE) waits for the batch in flight and blocks the next
one: no batch is ever applied to a version that is no longer live.

`projection_checkpoints` holds, per versioned projection (`products_v3`), topic
and partition, the next offset to apply and how many poison records were
dead-lettered. The PostgreSQL projector writes it in the transaction that
changes its rows; other stores write it after their idempotent writes.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import asyncpg

from projections.records import Position

# Arbitrary constants naming the advisory locks, unique within this database.
DDL_LOCK = 0x5_0001
REBUILD_LOCK_BASE = 0x5_1000

CONTROL_DDL = """
CREATE TABLE IF NOT EXISTS projection_versions (
    projection text PRIMARY KEY,
    live_version integer NOT NULL,
    building_version integer,
    swapped_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS projection_checkpoints (
    projection text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    dead_letters bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, topic, partition)
);
CREATE OR REPLACE VIEW live_checkpoints AS
    SELECT v.projection, c.topic, c.partition, c.next_offset, c.dead_letters, c.updated_at
    FROM projection_versions v
    JOIN projection_checkpoints c ON c.projection = v.projection || '_v' || v.live_version;
"""


class ProjectionNotSetUp(RuntimeError):
    """The projection has no live version yet: its store's `setup` has not run."""


def versioned(projection: str, version: int) -> str:
    return f"{projection}_v{version}"


async def ensure_control_tables(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        # Concurrent CREATE ... IF NOT EXISTS can still collide; serialize it.
        await conn.execute("SELECT pg_advisory_xact_lock($1)", DDL_LOCK)
        await conn.execute(CONTROL_DDL)


async def live_version(conn: asyncpg.Connection, projection: str) -> int | None:
    value = await conn.fetchval(
        "SELECT live_version FROM projection_versions WHERE projection = $1", projection)
    return None if value is None else int(value)


async def latest_version(conn: asyncpg.Connection, projection: str) -> int:
    row = await conn.fetchrow(
        "SELECT live_version, building_version FROM projection_versions WHERE projection = $1",
        projection)
    return 0 if row is None else max(row["live_version"], row["building_version"] or 0)


@asynccontextmanager
async def versioned_transaction(pool: asyncpg.Pool, projection: str,
                                version: int | None) -> AsyncIterator[tuple[asyncpg.Connection, int]]:
    """A transaction writing to `version`, or to the live version, held live till commit."""
    async with pool.acquire() as conn, conn.transaction():
        if version is None:
            live = await conn.fetchval(
                "SELECT live_version FROM projection_versions WHERE projection = $1 FOR SHARE",
                projection)
            if live is None:
                raise ProjectionNotSetUp(f"projection {projection} has no live version")
            version = int(live)
        yield conn, version


async def read_checkpoints(conn: asyncpg.Connection, name: str) -> dict[Position, int]:
    rows = await conn.fetch(
        "SELECT topic, partition, next_offset FROM projection_checkpoints WHERE projection = $1",
        name)
    return {(row["topic"], row["partition"]): row["next_offset"] for row in rows}


async def write_checkpoints(conn: asyncpg.Connection, name: str, next_offsets: Mapping[Position, int],
                            dead_letters: Mapping[Position, int]) -> None:
    positions = sorted(next_offsets)
    await conn.execute(
        """
        INSERT INTO projection_checkpoints AS c
            (projection, topic, partition, next_offset, dead_letters, updated_at)
        SELECT $1, t, p, o, d, now() FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[])
            AS b(t, p, o, d)
        ON CONFLICT (projection, topic, partition) DO UPDATE
        SET next_offset = GREATEST(c.next_offset, EXCLUDED.next_offset),
            dead_letters = c.dead_letters + EXCLUDED.dead_letters,
            updated_at = now()
        """,
        name, [t for t, _ in positions], [p for _, p in positions],
        [next_offsets[pos] for pos in positions], [dead_letters.get(pos, 0) for pos in positions])


async def live_checkpoints(conn: asyncpg.Connection | asyncpg.Pool,
                           projection: str) -> dict[Position, int]:
    rows = await conn.fetch(
        "SELECT topic, partition, next_offset FROM live_checkpoints WHERE projection = $1",
        projection)
    return {(row["topic"], row["partition"]): row["next_offset"] for row in rows}
