"""`python -m streams` as it runs: a real Faust worker over real Kafka and stores."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx
import pytest

from infra.child_process import RunningProcess
from projections.consistency import ConsistencyToken
from projections.pg_control import live_checkpoints
from tests.support.catalog_events import CatalogEventWriter, history, unique_id
from tests.support.read_side import ReadSide, isolated_read_side, read_topic, start_streams

pytestmark = pytest.mark.stack


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def reached(pool: asyncpg.Pool, projection: str, token: ConsistencyToken) -> bool:
    try:
        return token.reached_by(await live_checkpoints(pool, projection))
    except asyncpg.UndefinedTableError:  # the worker has not set up its store yet
        return False


@pytest.fixture
async def pool(read_side: ReadSide) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(read_side.settings.postgres_dsn, min_size=1, max_size=2)
    yield pool
    await pool.close()


async def test_events_of_an_aborted_transaction_are_never_projected(
        streams_worker: tuple[RunningProcess, int], event_writer: CatalogEventWriter,
        pool: asyncpg.Pool) -> None:
    aborted, committed = unique_id(), unique_id()
    event_writer.append(history(aborted), abort=True)
    token = event_writer.append(history(committed))

    await eventually(lambda: reached(pool, "products", token))
    await eventually(lambda: reached(pool, "products_search", token))

    found = {r["product_id"] for r in await pool.fetch(
        "SELECT product_id FROM products WHERE product_id = ANY($1)", [aborted, committed])}
    assert found == {committed}


async def test_poison_is_dead_lettered_and_the_worker_goes_on(
        streams_worker: tuple[RunningProcess, int], event_writer: CatalogEventWriter,
        read_side: ReadSide, pool: asyncpg.Pool) -> None:
    key = unique_id("poison").encode()
    event_writer.append_raw([(key, b"not an avro frame", [("event_id", b"e-1")])])
    pid = unique_id()
    token = event_writer.append(history(pid))

    await eventually(lambda: reached(pool, "products", token))

    assert await pool.fetchval("SELECT count(*) FROM products WHERE product_id = $1", pid) == 1
    letters = [r for r in read_topic(read_side.settings.kafka_bootstrap, read_side.dlq_topic)
               if r.key == key]
    by_projector = {dict(r.headers)["dlq_projector"]: dict(r.headers) for r in letters}
    assert set(by_projector) >= {b"products"}
    assert by_projector[b"products"]["event_id"] == b"e-1"
    assert b"undecodable" in by_projector[b"products"]["dlq_error"]


async def test_the_worker_exposes_its_metrics(
        streams_worker: tuple[RunningProcess, int], event_writer: CatalogEventWriter,
        pool: asyncpg.Pool) -> None:
    token = event_writer.append(history(unique_id()))
    await eventually(lambda: reached(pool, "products", token))
    _, port = streams_worker

    async def applied_and_lag_reported() -> bool:
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
        return ('shop_projector_events_applied_total{projector="products"}' in text
                and "shop_projector_lag_events{" in text)

    await eventually(applied_and_lag_reported, within=20)


async def test_a_killed_worker_resumes_without_losing_or_repeating_anything(
        running_stack: object, registry_process: tuple[str, str], tmp_path: Path) -> None:
    with isolated_read_side(running_stack, registry_process[0], tmp_path) as side:  # type: ignore[arg-type]
        writer = CatalogEventWriter(side.settings.kafka_bootstrap, side.settings.schema_registry_url,
                                    side.topic)
        ids = [unique_id() for _ in range(400)]
        token = ConsistencyToken({})
        for start in range(0, len(ids), 50):
            appended = writer.append([e for pid in ids[start:start + 50]
                                      for e in history(pid, price_changes=["5.00", "6.00"])])
            token = ConsistencyToken({**token.positions, **appended.positions})
        pool = await asyncpg.create_pool(side.settings.postgres_dsn, min_size=1, max_size=2)
        try:
            worker, _ = start_streams(side, "products", name="streams-killed")

            async def some_applied() -> bool:
                try:
                    return bool(await live_checkpoints(pool, "products"))
                except asyncpg.UndefinedTableError:
                    return False

            await eventually(some_applied)
            worker.kill()
            restarted, _ = start_streams(side, "products", name="streams-restarted")
            try:
                await eventually(lambda: reached(pool, "products", token), within=90)
            finally:
                restarted.stop()
            rows = await pool.fetch("SELECT product_id, version, price FROM products")
            assert {r["product_id"] for r in rows} == set(ids)
            assert {(r["version"], str(r["price"])) for r in rows} == {(3, "6.00")}
            assert await live_checkpoints(pool, "products") == token.positions
        finally:
            await pool.close()


async def test_two_workers_share_the_partitions_and_apply_everything_once(
        running_stack: object, registry_process: tuple[str, str], tmp_path: Path) -> None:
    with isolated_read_side(running_stack, registry_process[0], tmp_path) as side:  # type: ignore[arg-type]
        writer = CatalogEventWriter(side.settings.kafka_bootstrap, side.settings.schema_registry_url,
                                    side.topic)
        ids = [unique_id() for _ in range(600)]

        def append(chunk: list[str]) -> ConsistencyToken:
            return writer.append([e for pid in chunk for e in history(pid, price_changes=["7.00"])])

        pool = await asyncpg.create_pool(side.settings.postgres_dsn, min_size=1, max_size=2)
        first, _ = start_streams(side, "products", name="streams-first")
        second: RunningProcess | None = None
        try:
            token = append(ids[:300])
            second, _ = start_streams(side, "products", name="streams-second")  # a rebalance
            await eventually(lambda: _owns_partitions(second), within=30)
            later = append(ids[300:])
            token = ConsistencyToken({**token.positions, **later.positions})
            await eventually(lambda: reached(pool, "products", token), within=90)
            rows = await pool.fetch("SELECT product_id, version, price FROM products")
            assert sorted(r["product_id"] for r in rows) == sorted(ids)
            assert {(r["version"], str(r["price"])) for r in rows} == {(2, "7.00")}
        finally:
            first.stop()
            if second is not None:
                second.stop()
            await pool.close()


async def _owns_partitions(worker: RunningProcess) -> bool:
    return '"partitions": [' in worker.log(200).replace('"partitions": []', "")
