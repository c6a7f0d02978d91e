"""Rebuilding a read model from offset 0 into a new version, swapped in atomically."""

import asyncio
from typing import Any

import pytest

from projections.bootstrap import ProjectionClients, ProjectorSpec
from projections.pg_control import live_version
from projections.pg_products import ProductTables
from projections.projector import Projector
from projections.rebuild import RebuildProgress, RebuildRefused, rebuild, rebuild_lock
from projections.search_store import ProductSearchIndex
from tests.projections.conftest import Append, read_back
from tests.support.catalog_events import history, unique_id
from tests.support.read_side import ReadSide

pytestmark = pytest.mark.stack


async def table_rows(clients: ProjectionClients, tables: ProductTables) -> list[dict[str, Any]]:
    return [dict(r) for r in await clients.pool.fetch(
        f"SELECT * FROM {tables.view} ORDER BY product_id")]


async def schemas(clients: ProjectionClients, tables: ProductTables) -> list[str]:
    return [r["nspname"] for r in await clients.pool.fetch(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '_v%' ORDER BY 1",
        tables.projection)]


@pytest.mark.parametrize("workers", [1, 2])
async def test_a_rebuild_gives_the_live_rows_and_swaps_versions(
        workers: int, append: Append, pg_spec: ProjectorSpec, pg_projector: Projector,
        product_tables: ProductTables, projection_clients: ProjectionClients,
        read_side: ReadSide) -> None:
    append(history(unique_id(), price_changes=["70.00"], renamed="X")
           + history(unique_id(), discontinued=True))
    # The live projection has all of the topic, in log order, as a rebuild will.
    await pg_projector.apply(read_back(read_side, {}))
    live = await table_rows(projection_clients, product_tables)
    steps: list[RebuildProgress] = []

    result = await rebuild(pg_spec, projection_clients, workers=workers, report=steps.append)

    assert (result.old_version, result.new_version) == (1, 2)
    assert await table_rows(projection_clients, product_tables) == live
    async with projection_clients.pool.acquire() as conn:
        assert await live_version(conn, product_tables.projection) == 2
    assert await schemas(projection_clients, product_tables) == [f"{product_tables.projection}_v2"]
    assert steps[-1].phase == "done" and steps[-1].done == result.events > 0


async def test_a_second_rebuild_at_the_same_time_is_refused(
        pg_spec: ProjectorSpec, product_tables: ProductTables,
        projection_clients: ProjectionClients) -> None:
    async with rebuild_lock(projection_clients.pool, product_tables.projection):
        with pytest.raises(RebuildRefused, match="already running"):
            await rebuild(pg_spec, projection_clients)
    async with projection_clients.pool.acquire() as conn:
        assert await live_version(conn, product_tables.projection) == 1


async def test_the_live_projector_keeps_writing_during_a_rebuild_and_nothing_is_lost(
        append: Append, pg_spec: ProjectorSpec, pg_projector: Projector,
        product_tables: ProductTables,
        projection_clients: ProjectionClients, read_side: ReadSide) -> None:
    await pg_projector.apply(read_back(read_side, {}))
    ids = [unique_id() for _ in range(6)]

    async def live_traffic() -> None:
        for pid in ids:
            await pg_projector.apply(await asyncio.to_thread(
                append, history(pid, price_changes=["1.00", "2.00"])))

    await asyncio.gather(
        live_traffic(),
        rebuild(pg_spec, projection_clients))
    await pg_projector.apply(read_back(read_side, {}))  # whatever came after the swap

    rows = {r["product_id"]: r for r in await table_rows(projection_clients, product_tables)}
    assert all((rows[pid]["version"], str(rows[pid]["price"])) == (3, "2.00") for pid in ids)


async def test_a_search_rebuild_moves_the_alias_and_drops_the_old_index(
        append: Append, search_spec: ProjectorSpec, search_projector: Projector,
        search_index: ProductSearchIndex, projection_clients: ProjectionClients) -> None:
    pid = unique_id()
    await search_projector.apply(append(history(pid, renamed="Trail Shoes")))

    await rebuild(search_spec, projection_clients, workers=2)

    search = projection_clients.search
    assert list(await search.indices.get_alias(name=search_index.alias)) == [search_index.index(2)]
    assert not await search.indices.exists(index=search_index.index(1))
    doc = await search.get(index=search_index.alias, id=pid)
    assert (doc["_version"], doc["_source"]["name"]) == (2, "Trail Shoes")
