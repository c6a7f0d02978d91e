"""The query API app factory: the read side over HTTP (PostgreSQL and OpenSearch only)."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from infra.settings import Settings, get_settings
from projections.settings import ProjectionSettings, get_projection_settings
from query_api import metrics
from query_api.consistency import RESULT_HEADER
from query_api.container import ReadSide, connect
from query_api.deps import ReadSideDep
from query_api.errors import install_error_handlers
from query_api.routers import categories, products
from query_api.settings import QueryApiSettings, get_query_settings


def create_app(settings: Settings | None = None,
               projection_settings: ProjectionSettings | None = None,
               query_settings: QueryApiSettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        side: ReadSide = await connect(settings or get_settings(),
                                       projection_settings or get_projection_settings(),
                                       query_settings or get_query_settings())
        app.state.read_side = side
        try:
            yield
        finally:
            await side.close()

    app = FastAPI(title="shop query API", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(products.router)
    app.include_router(categories.router)
    app.middleware("http")(_measure_and_mark)

    @app.get("/health", tags=["operations"])
    async def health(side: ReadSideDep) -> JSONResponse:
        checks = {"postgres": await _check(side.pool.fetchval("SELECT 1")),
                  "opensearch": await _check(side.search_client.ping())}
        healthy = all(state == "ok" for state in checks.values())
        return JSONResponse({"status": "ok" if healthy else "degraded", **checks},
                            200 if healthy else 503)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


async def _check(probe: Awaitable[object]) -> str:
    try:
        return "ok" if await probe else "down"
    except Exception as error:  # any failure of the probe means not healthy
        return f"down: {type(error).__name__}"


async def _measure_and_mark(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                   ) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    # The matched route's template (set in the scope by the router), not the raw path.
    route = getattr(request.scope.get("route"), "path", "unmatched")
    consistency = getattr(request.state, "consistency", None)
    if consistency is not None:
        response.headers[RESULT_HEADER] = consistency
    metrics.LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
    metrics.REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    return response
