"""Dependencies shared by the routers, as `Annotated` aliases."""

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from projections.consistency import ConsistencyToken
from query_api.consistency import HEADER, QUERY, parse_token
from query_api.container import ReadSide
from query_api.metrics import CONSISTENCY_WAITS


def read_side(request: Request) -> ReadSide:
    side: ReadSide = request.app.state.read_side
    return side


def consistency_token(
    header: Annotated[str | None, Header(alias=HEADER)] = None,
    query: Annotated[str | None, Query(alias=QUERY)] = None,
) -> ConsistencyToken | None:
    return parse_token(header or query)


ReadSideDep = Annotated[ReadSide, Depends(read_side)]
TokenDep = Annotated[ConsistencyToken | None, Depends(consistency_token)]


async def await_projection(side: ReadSide, token: ConsistencyToken | None, projection: str,
                           request: Request) -> bool:
    """Wait for the token (if any); True if it was reached. The outcome goes on the response,
    error responses included, as the `X-Consistency` header (see query_api.app)."""
    if token is None:
        return False
    reached = await side.gate.wait(token, projection)
    outcome = "consistent" if reached else "stale"
    request.state.consistency = outcome
    CONSISTENCY_WAITS.labels(projection, outcome).inc()
    return reached


async def catalog_consistency(side: ReadSideDep, token: TokenDep, request: Request) -> None:
    await await_projection(side, token, side.catalog_projection, request)


CatalogConsistent = Depends(catalog_consistency)
