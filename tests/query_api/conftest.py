"""The query API and the projectors as they run for real: `python -m streams` and
`python -m query_api` processes over the session's isolated read side."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.support.read_side import ReadSide, start_query_api

WAIT_SECONDS = 10.0  # generous for the first requests, while the projectors start


@pytest.fixture(scope="session")
def query_api_url(read_side: ReadSide, streams_worker: object) -> Iterator[str]:
    process, url = start_query_api(read_side,
                                   SHOP_QUERY_CONSISTENCY_WAIT_SECONDS=str(WAIT_SECONDS))
    yield url
    process.stop()


@pytest.fixture
async def http(query_api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=query_api_url, timeout=30) as client:
        yield client
