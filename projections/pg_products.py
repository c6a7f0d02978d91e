"""The products read model in PostgreSQL: one schema per version, a view readers use.

Version n lives in schema `products_v<n>`; the view `products` (in the search
path's default schema) selects from the live one. Swapping versions replaces the
view inside the rebuild's transaction, so readers see the old rows or the new
ones, never a mix. A batch is one statement over arrays (`unnest`), so a batch
of thousands of events costs a handful of round trips.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from projections.batch import BatchPlan
from projections.pg_control import read_checkpoints, versioned, versioned_transaction, write_checkpoints
from projections.products import ProductChange, fold_changes
from projections.records import Position

COLUMNS = "product_id, name, description, category, price, status, version, created_at, updated_at"

_TABLE = """
CREATE SCHEMA {schema};
CREATE TABLE {schema}.products (
    product_id text PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    price numeric(10, 2) NOT NULL CHECK (price > 0),
    status text NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ON {schema}.products (name, product_id);
CREATE INDEX ON {schema}.products (category, name, product_id);
"""

# A change holding the product's creation is the whole row (insert, or overwrite an
# older row on replay); any other change updates only the fields it carries. Both
# skip rows already at or past the change's version.
_UPSERT = """
WITH batch AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[],
                         $5::text[], $6::text[], $7::text[], $8::numeric[], $9::text[])
        AS b(product_id, version, created_at, updated_at, name, description, category, price, status)
), created AS (
    INSERT INTO {schema}.products AS p ({columns})
    SELECT {columns} FROM batch WHERE created_at IS NOT NULL
    ON CONFLICT (product_id) DO UPDATE SET
        name = EXCLUDED.name, description = EXCLUDED.description,
        category = EXCLUDED.category, price = EXCLUDED.price, status = EXCLUDED.status,
        version = EXCLUDED.version, created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at
    WHERE p.version < EXCLUDED.version
    RETURNING 1
), changed AS (
    UPDATE {schema}.products AS p SET
        name = COALESCE(b.name, p.name), description = COALESCE(b.description, p.description),
        category = COALESCE(b.category, p.category), price = COALESCE(b.price, p.price),
        status = COALESCE(b.status, p.status), version = b.version, updated_at = b.updated_at
    FROM batch b
    WHERE b.created_at IS NULL AND p.product_id = b.product_id AND p.version < b.version
    RETURNING 1
)
SELECT (SELECT count(*) FROM created) + (SELECT count(*) FROM changed)
"""


def _arrays(changes: list[ProductChange]) -> tuple[list[object], ...]:
    return (
        [c.product_id for c in changes], [c.version for c in changes],
        [c.created_at for c in changes], [c.updated_at for c in changes],
        [c.name for c in changes], [c.description for c in changes],
        [c.category for c in changes], [c.price for c in changes], [c.status for c in changes],
    )


class ProductTableBatch:
    def __init__(self, conn: asyncpg.Connection, schema: str) -> None:
        self._conn, self._schema = conn, schema

    async def applied(self) -> dict[Position, int]:
        return await read_checkpoints(self._conn, self._schema)

    async def apply(self, plan: BatchPlan) -> None:
        changes = fold_changes(plan.events)
        if changes:
            await self._conn.fetchval(_UPSERT.format(schema=self._schema, columns=COLUMNS),
                                      *_arrays(changes))
        await write_checkpoints(self._conn, self._schema, plan.next_offsets, plan.dead_letters)


class ProductTables:
    """The PostgreSQL products projection store."""

    def __init__(self, pool: asyncpg.Pool, projection: str = "products",
                 view: str = "products") -> None:
        self.pool, self.projection, self.view = pool, projection, view

    def schema(self, version: int) -> str:
        return versioned(self.projection, version)

    @asynccontextmanager
    async def batch(self, version: int | None = None) -> AsyncIterator[ProductTableBatch]:
        async with versioned_transaction(self.pool, self.projection, version) as (conn, live):
            yield ProductTableBatch(conn, self.schema(live))

    async def create_version(self, conn: asyncpg.Connection, version: int) -> None:
        await conn.execute(_TABLE.format(schema=self.schema(version)))

    async def activate(self, conn: asyncpg.Connection, version: int) -> None:
        # DROP + CREATE rather than CREATE OR REPLACE: a new version may change columns.
        await conn.execute(f"DROP VIEW IF EXISTS {self.view}; CREATE VIEW {self.view} AS "
                           f"SELECT {COLUMNS} FROM {self.schema(version)}.products")

    async def drop_version(self, conn: asyncpg.Connection, version: int) -> None:
        await conn.execute(f"DROP SCHEMA IF EXISTS {self.schema(version)} CASCADE")
