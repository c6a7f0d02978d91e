"""The products projection into OpenSearch: versioned indices behind one alias.

Version n is the index `<alias>_v<n>`; readers search the alias, which a swap
moves atomically (one `_aliases` request). Writes are idempotent by the
aggregate version (`version_type=external`): OpenSearch refuses an older or
equal version with 409, which here means "already applied", not an error. The
partition checkpoint goes to PostgreSQL after the bulk request succeeded, in the
transaction that keeps the version live.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import asyncpg
import orjson
from opensearchpy import AsyncOpenSearch, NotFoundError

from projections.batch import BatchPlan
from projections.pg_control import read_checkpoints, versioned, versioned_transaction, write_checkpoints
from projections.products import ProductChange, ProductRow, apply_change, fold_changes
from projections.records import Position
from projections.search_index import from_document, index_body, to_document

CONFLICT = 409


class SearchWriteError(RuntimeError):
    pass


class SearchBatch:
    def __init__(self, conn: asyncpg.Connection, client: AsyncOpenSearch, index: str,
                 checkpoint_name: str) -> None:
        self._conn, self._client, self._index, self._name = conn, client, index, checkpoint_name

    async def applied(self) -> dict[Position, int]:
        return await read_checkpoints(self._conn, self._name)

    async def apply(self, plan: BatchPlan) -> None:
        rows = await self._rows(fold_changes(plan.events))
        if rows:
            await self._bulk_index(rows)
        await write_checkpoints(self._conn, self._name, plan.next_offsets, plan.dead_letters)

    async def _rows(self, changes: list[ProductChange]) -> list[ProductRow]:
        # A partial change needs the stored document: read it in real time (no refresh needed).
        partial = [c.product_id for c in changes if not c.is_whole_row]
        stored: dict[str, ProductRow] = {}
        if partial:
            found = await self._client.mget(index=self._index, body={"ids": partial})
            stored = {doc["_id"]: from_document(doc["_source"])
                      for doc in found["docs"] if doc.get("found")}
        rows = []
        for change in changes:
            before = stored.get(change.product_id)
            after = apply_change(before, change)
            if after is not None and after is not before:
                rows.append(after)
        return rows

    async def _bulk_index(self, rows: list[ProductRow]) -> None:
        lines: list[bytes] = []
        for row in rows:
            lines.append(orjson.dumps({"index": {
                "_index": self._index, "_id": row.product_id,
                "version": row.version, "version_type": "external"}}))
            lines.append(orjson.dumps(to_document(row)))
        response = await self._client.bulk(body=b"\n".join(lines) + b"\n")
        if response.get("errors"):
            failed = [item["index"] for item in response["items"]
                      if item["index"].get("status", 200) >= 300
                      and item["index"]["status"] != CONFLICT]
            if failed:
                raise SearchWriteError(f"{len(failed)} documents not indexed, first: {failed[0]}")


class ProductSearchIndex:
    """The OpenSearch products projection store."""

    def __init__(self, client: AsyncOpenSearch, pool: asyncpg.Pool, alias: str = "products",
                 projection: str = "products_search") -> None:
        self.client, self.pool, self.alias, self.projection = client, pool, alias, projection

    def index(self, version: int) -> str:
        return f"{self.alias}_v{version}"

    @asynccontextmanager
    async def batch(self, version: int | None = None) -> AsyncIterator[SearchBatch]:
        async with versioned_transaction(self.pool, self.projection, version) as (conn, live):
            yield SearchBatch(conn, self.client, self.index(live), versioned(self.projection, live))

    async def create_version(self, conn: asyncpg.Connection, version: int) -> None:
        # Not refreshed while it is built; `activate` turns refreshing on.
        await self.client.indices.create(index=self.index(version),
                                         body=index_body(refresh_interval="-1"))

    async def activate(self, conn: asyncpg.Connection, version: int) -> None:
        index = self.index(version)
        await self.client.indices.put_settings(index=index, body={"index": {"refresh_interval": "1s"}})
        await self.client.indices.refresh(index=index)
        actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": self.alias}}
                                         for old in await self._alias_holders() if old != index]
        actions.append({"add": {"index": index, "alias": self.alias}})
        await self.client.indices.update_aliases(body={"actions": actions})

    async def drop_version(self, conn: asyncpg.Connection, version: int) -> None:
        with suppress(NotFoundError):
            await self.client.indices.delete(index=self.index(version))

    async def _alias_holders(self) -> list[str]:
        try:
            return list(await self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []
