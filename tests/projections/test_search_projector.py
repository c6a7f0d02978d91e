"""The OpenSearch products projector against real Kafka, PostgreSQL and OpenSearch."""

from typing import Any

import pytest

from projections.bootstrap import ProjectionClients
from projections.projector import Projector
from projections.search_store import ProductSearchIndex
from tests.projections.conftest import Append
from tests.support.catalog_events import history, unique_id

pytestmark = pytest.mark.stack


async def documents(clients: ProjectionClients, index: ProductSearchIndex,
                    ids: list[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    found = await clients.search.mget(index=index.index(1), body={"ids": ids})
    return {d["_id"]: (d["_version"], d["_source"]) for d in found["docs"] if d.get("found")}


async def test_events_become_documents_versioned_by_the_aggregate(
        append: Append, search_projector: Projector, search_index: ProductSearchIndex,
        projection_clients: ProjectionClients) -> None:
    shoes = unique_id()
    records = append(history(shoes, price_changes=["79.00", "12.50"], renamed="Trail Shoes"))
    await search_projector.apply(records)

    ((version, doc),) = (await documents(projection_clients, search_index, [shoes])).values()
    assert version == 4
    assert (doc["name"], doc["price"], doc["status"]) == ("Trail Shoes", "12.50", "active")


async def test_a_later_batch_updates_the_stored_document(
        append: Append, search_projector: Projector, search_index: ProductSearchIndex,
        projection_clients: ProjectionClients) -> None:
    pid = unique_id()
    events = history(pid, price_changes=["50.00"], discontinued=True)
    await search_projector.apply(append(events[:1]))
    await search_projector.apply(append(events[1:]))

    ((version, doc),) = (await documents(projection_clients, search_index, [pid])).values()
    assert (version, doc["price"], doc["status"], doc["name"]) == (
        3, "50.00", "discontinued", "Running Shoes")


async def test_applying_the_same_batch_twice_changes_nothing(
        append: Append, search_projector: Projector, search_index: ProductSearchIndex,
        projection_clients: ProjectionClients) -> None:
    ids = [unique_id(), unique_id()]
    records = append(history(ids[0], price_changes=["70.00"]) + history(ids[1]))
    await search_projector.apply(records)
    before = await documents(projection_clients, search_index, ids)

    again = await search_projector.apply(records)

    assert again.skipped == len(records)
    assert await documents(projection_clients, search_index, ids) == before


async def test_an_older_version_is_refused_by_the_index_and_that_is_not_an_error(
        append: Append, search_projector: Projector, search_index: ProductSearchIndex,
        projection_clients: ProjectionClients) -> None:
    pid = unique_id()
    records = append(history(pid, price_changes=["70.00"]))
    await search_projector.apply(records)
    # Forget the checkpoint: the documents' external versions alone must keep this a no-op.
    await projection_clients.pool.execute(
        "DELETE FROM projection_checkpoints WHERE projection = $1",
        f"{search_index.projection}_v1")
    before = await documents(projection_clients, search_index, [pid])

    await search_projector.apply(records[:1])

    assert await documents(projection_clients, search_index, [pid]) == before
