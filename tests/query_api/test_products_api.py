"""The query API over HTTP against real projectors, PostgreSQL and OpenSearch."""

import time
import uuid

import httpx
import pytest

from projections.consistency import ConsistencyToken
from tests.support.catalog_events import CatalogEventWriter, history, unique_id

pytestmark = pytest.mark.stack


def token_header(token: ConsistencyToken) -> dict[str, str]:
    return {"X-Consistency-Token": token.encode()}


async def test_a_written_product_is_read_back_with_its_token(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    pid = unique_id()
    token = event_writer.append(history(pid, price="12.50"))

    response = await http.get(f"/api/products/{pid}", headers=token_header(token))

    assert response.status_code == 200, response.text
    assert response.headers["X-Consistency"] == "consistent"
    body = response.json()
    assert (body["productId"], body["name"], body["price"], body["status"], body["version"]) == (
        pid, "Running Shoes", "12.50", "active", 1)


async def test_read_your_writes_sees_the_latest_version(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    pid = unique_id()
    events = history(pid, price_changes=["10.00", "9.99"])
    event_writer.append(events[:1])
    token = event_writer.append(events[1:])

    body = (await http.get(f"/api/products/{pid}",
                           params={"consistency_token": token.encode()})).json()

    assert (body["price"], body["version"]) == ("9.99", 3)


async def test_an_unknown_product_is_a_404_in_json(http: httpx.AsyncClient) -> None:
    response = await http.get(f"/api/products/{unique_id()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "product_not_found"


async def test_products_are_listed_by_category_a_page_at_a_time(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    category = f"cat-{uuid.uuid4().hex[:8]}"
    names = [f"Item {letter}" for letter in "ABCDE"]
    items = [e for name in names for e in history(unique_id(), name=name, category=category)]
    token = event_writer.append(items)

    pages = [(await http.get("/api/products", headers=token_header(token),
                             params={"category": category, "page": page, "size": 2})).json()
             for page in (1, 2, 3, 4)]

    assert [[p["name"] for p in page["items"]] for page in pages] == [
        ["Item A", "Item B"], ["Item C", "Item D"], ["Item E"], []]
    assert {page["total"] for page in pages} == {5}
    assert (pages[1]["page"], pages[1]["size"]) == (2, 2)


async def test_a_page_size_out_of_range_is_refused_naming_the_field(
        http: httpx.AsyncClient) -> None:
    response = await http.get("/api/products", params={"size": 1000})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "size"


async def test_categories_count_their_active_products(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    category = f"cat-{uuid.uuid4().hex[:8]}"
    token = event_writer.append(
        history(unique_id(), category=category) + history(unique_id(), category=category)
        + history(unique_id(), category=category, discontinued=True))

    body = (await http.get("/api/categories", headers=token_header(token))).json()

    assert {"name": category, "productCount": 2} in body["items"]


async def test_search_finds_running_shoes_for_run_shoe(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    category = f"cat-{uuid.uuid4().hex[:8]}"
    shoes, mug = unique_id(), unique_id()
    token = event_writer.append(history(shoes, name="Running Shoes", category=category)
                                + history(mug, name="Coffee Mug", category=category))

    response = await http.post("/api/products/search", headers=token_header(token),
                               json={"query": "run shoe", "category": category})

    assert response.status_code == 200, response.text
    assert response.headers["X-Consistency"] == "consistent"
    assert [p["productId"] for p in response.json()["items"]] == [shoes]


async def test_search_knows_synonyms_and_prefixes(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    category = f"cat-{uuid.uuid4().hex[:8]}"
    shoes = unique_id()
    token = event_writer.append(history(shoes, name="Running Shoes", category=category))

    found = {}
    for query in ("sneakers", "runn", "Running Shoes"):
        response = await http.post("/api/products/search", headers=token_header(token),
                                   json={"query": query, "category": category})
        found[query] = [p["productId"] for p in response.json()["items"]]

    assert found == {"sneakers": [shoes], "runn": [shoes], "Running Shoes": [shoes]}


async def test_search_leaves_out_discontinued_products(
        http: httpx.AsyncClient, event_writer: CatalogEventWriter) -> None:
    category = f"cat-{uuid.uuid4().hex[:8]}"
    token = event_writer.append(history(unique_id(), category=category, discontinued=True))
    response = await http.post("/api/products/search", headers=token_header(token),
                               json={"query": "shoes", "category": category})
    assert response.json()["total"] == 0


async def test_a_search_body_with_unknown_fields_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/products/search", json={"query": "x", "colour": "red"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "colour"


async def test_a_token_not_reached_in_time_answers_anyway_marked_stale(
        http: httpx.AsyncClient, read_side: object) -> None:
    topic = read_side.topic  # type: ignore[attr-defined]
    far = ConsistencyToken({(topic, 0): 10**12})
    started = time.monotonic()
    response = await http.get(f"/api/products/{unique_id()}", headers=token_header(far))
    assert response.status_code == 404
    assert response.headers["X-Consistency"] == "stale"
    assert time.monotonic() - started >= 5


async def test_a_malformed_token_is_a_400(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/products", headers={"X-Consistency-Token": "nonsense"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_consistency_token"


async def test_health_and_metrics(http: httpx.AsyncClient) -> None:
    health = await http.get("/health")
    assert health.json() == {"status": "ok", "postgres": "ok", "opensearch": "ok"}
    metrics = await http.get("/metrics")
    assert "shop_query_requests_total" in metrics.text
