"""Bad input gets a 4xx JSON error naming the problem, and the command topic does not move."""

from collections.abc import Iterator

import httpx
import pytest

from tests.commands.conftest import WriteSide
from tests.commands.factories import product_body
from tests.support.kafka import end_offsets

pytestmark = pytest.mark.stack


@pytest.fixture
def nothing_written(write_side: WriteSide) -> Iterator[None]:
    bootstrap = write_side.settings.kafka_bootstrap
    before = end_offsets(bootstrap, write_side.commands_topic)
    yield
    assert end_offsets(bootstrap, write_side.commands_topic) == before


def post_raw(client: httpx.Client, content: bytes) -> httpx.Response:
    return client.post("/api/products", content=content, headers={"Content-Type": "application/json"})


@pytest.mark.usefixtures("nothing_written")
def test_malformed_json_is_a_400(client: httpx.Client) -> None:
    response = post_raw(client, b'{"name": "x", ')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(("field", "value"), [
    ("price", "-1.00"),
    ("price", "0"),
    ("price", "1.005"),
    ("price", "123456789.00"),
    ("price", "twelve"),
    ("price", None),
    ("name", ""),
    ("name", 42),
    ("category", ["shoes"]),
])
def test_a_wrong_value_is_a_422_naming_the_field(client: httpx.Client, field: str, value: object) -> None:
    response = client.post("/api/products", json=product_body(**{field: value}))

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert [f["field"] for f in error["fields"]] == [field]


@pytest.mark.usefixtures("nothing_written")
def test_an_unknown_field_is_a_422_naming_it(client: httpx.Client) -> None:
    response = client.post("/api/products", json=product_body(colour="red"))

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "colour"


@pytest.mark.usefixtures("nothing_written")
def test_a_missing_field_is_a_422_naming_it(client: httpx.Client) -> None:
    body = product_body()
    del body["category"]

    response = client.post("/api/products", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "category"


@pytest.mark.usefixtures("nothing_written")
def test_a_one_megabyte_body_is_a_413(client: httpx.Client) -> None:
    response = client.post("/api/products", json=product_body(description="x" * 1_000_000))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


@pytest.mark.usefixtures("nothing_written")
def test_a_chunked_oversized_body_is_a_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "x", "description": "'
        for _ in range(100):
            yield b"y" * 10_000
        yield b'"}'

    response = client.post("/api/products", content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413


@pytest.mark.usefixtures("nothing_written")
def test_a_malformed_if_match_is_a_400_naming_the_header(client: httpx.Client) -> None:
    response = client.put("/api/products/p-1/price", json={"price": "1.00"}, headers={"If-Match": "abc"})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "If-Match"


@pytest.mark.usefixtures("nothing_written")
def test_an_update_with_nothing_to_change_is_a_422(client: httpx.Client) -> None:
    response = client.put("/api/products/p-1", json={})

    assert response.status_code == 422
