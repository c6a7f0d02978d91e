"""The PostgreSQL products projector against real Kafka and PostgreSQL."""

from decimal import Decimal
from typing import Any

import pytest

from projections.bootstrap import ProjectionClients
from projections.pg_control import read_checkpoints, versioned
from projections.pg_products import ProductTables
from projections.projector import Projector
from tests.projections.conftest import Append
from tests.support.catalog_events import history, unique_id
from tests.support.read_side import ReadSide, read_topic

pytestmark = pytest.mark.stack


async def rows(clients: ProjectionClients, tables: ProductTables) -> dict[str, dict[str, Any]]:
    found = await clients.pool.fetch(f"SELECT * FROM {tables.view} ORDER BY product_id")
    return {row["product_id"]: dict(row) for row in found}


async def checkpoints(clients: ProjectionClients, tables: ProductTables) -> dict:
    async with clients.pool.acquire() as conn:
        return await read_checkpoints(conn, versioned(tables.projection, 1))


async def test_events_become_rows_with_their_latest_state(
        append: Append, pg_projector: Projector, product_tables: ProductTables,
        projection_clients: ProjectionClients) -> None:
    shoes, tee = unique_id(), unique_id()
    records = append(history(shoes, price_changes=["79.00", "12.50"], renamed="Trail Shoes")
                     + history(tee, name="Tee", category="shirts", discontinued=True))

    result = await pg_projector.apply(records)

    found = await rows(projection_clients, product_tables)
    assert (found[shoes]["name"], found[shoes]["price"], found[shoes]["version"],
            found[shoes]["status"]) == ("Trail Shoes", Decimal("12.50"), 4, "active")
    assert (found[tee]["category"], found[tee]["status"], found[tee]["version"]) == (
        "shirts", "discontinued", 2)
    assert result.applied == 6
    assert await checkpoints(projection_clients, product_tables) == {
        r.position: max(x.offset for x in records if x.position == r.position) + 1
        for r in records}


async def test_applying_the_same_batch_twice_changes_nothing(
        append: Append, pg_projector: Projector, product_tables: ProductTables,
        projection_clients: ProjectionClients) -> None:
    records = append(history(unique_id(), price_changes=["70.00"]) + history(unique_id()))
    await pg_projector.apply(records)
    before = (await rows(projection_clients, product_tables),
              await checkpoints(projection_clients, product_tables))

    again = await pg_projector.apply(records)

    assert again.skipped == len(records) and again.applied == 0
    assert (await rows(projection_clients, product_tables),
            await checkpoints(projection_clients, product_tables)) == before


async def test_one_record_at_a_time_gives_the_same_rows_as_one_batch(
        append: Append, pg_projector: Projector, product_tables: ProductTables,
        projection_clients: ProjectionClients, decoder: Any, dead_letters: Any) -> None:
    records = append(history(unique_id(), price_changes=["70.00", "60.00"], renamed="X",
                             discontinued=True))
    await pg_projector.apply(records)
    other = ProductTables(projection_clients.pool, f"{product_tables.projection}_b",
                          f"{product_tables.view}_b")
    from projections.store import setup
    await setup(other)
    one_by_one = Projector(other.projection, other, decoder, dead_letters)
    for record in records:
        await one_by_one.apply([record])
    assert await rows(projection_clients, other) == await rows(projection_clients, product_tables)


async def test_poison_goes_to_the_dead_letter_topic_and_the_batch_goes_on(
        append_raw: Any, event_writer: Any, read_side: ReadSide, pg_projector: Projector,
        product_tables: ProductTables, projection_clients: ProjectionClients) -> None:
    good = history(unique_id())[0]
    poison_key = unique_id("poison").encode()
    records = append_raw([
        (poison_key, b"\x00\x00\x00\x00\x07not avro", [("event_id", b"e-poison")]),
        (good.event.product_id.encode(), event_writer.encode(good), good.metadata.to_headers()),
    ])

    result = await pg_projector.apply(records)

    assert (result.applied, result.dead_lettered) == (1, 1)
    assert good.event.product_id in await rows(projection_clients, product_tables)
    (letter,) = [r for r in read_topic(read_side.settings.kafka_bootstrap, read_side.dlq_topic)
                 if r.key == poison_key]
    headers = dict(letter.headers)
    poison = next(r for r in records if r.key == poison_key)
    assert headers["event_id"] == b"e-poison"
    assert b"undecodable" in headers["dlq_error"]
    assert (headers["dlq_original_topic"], headers["dlq_original_partition"],
            headers["dlq_original_offset"]) == (
        read_side.topic.encode(), str(poison.partition).encode(), str(poison.offset).encode())
    count = await projection_clients.pool.fetchval(
        "SELECT sum(dead_letters) FROM projection_checkpoints WHERE projection = $1",
        versioned(product_tables.projection, 1))
    assert count == 1
