"""The Confluent Schema Registry REST API over a registry store.

`create_app(store)` takes a started store (`KafkaRegistryLog` or
`InMemoryRegistryStore`); `server.py` builds one from the settings.
"""

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.registry import api_config, api_schemas, api_subjects, rejections
from schemas.registry.api_support import (
    RegistryJSONResponse,
    RejectedError,
    require_registry_content_type,
)
from schemas.registry.rejections import Rejection
from schemas.registry.store import RegistryStore, RegistryStoreError, RegistryStoreTimeout

UNPROCESSABLE = 422


def create_app(store: RegistryStore) -> FastAPI:
    app = FastAPI(
        title="Schema registry",
        description="Confluent Schema Registry REST API, kept in a compacted Kafka topic.",
        default_response_class=RegistryJSONResponse,
        dependencies=[Depends(require_registry_content_type)],
    )
    app.state.store = store
    app.include_router(api_subjects.router)
    app.include_router(api_schemas.router)
    app.include_router(api_config.router)
    app.get("/", include_in_schema=False)(lambda: {})
    _answer_errors_as_confluent_does(app)
    # FastAPI builds its routes on the first request otherwise; the first requests of two
    # apps in one process (several instances under test) then race on shared endpoints.
    app.openapi()
    return app


def error_response(rejection: Rejection) -> RegistryJSONResponse:
    return RegistryJSONResponse(
        status_code=rejection.http_status,
        content={"error_code": rejection.error_code, "message": rejection.message},
    )


def _answer_errors_as_confluent_does(app: FastAPI) -> None:
    @app.exception_handler(RejectedError)
    async def rejected(_: Request, error: RejectedError) -> RegistryJSONResponse:
        return error_response(error.rejection)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> RegistryJSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        return error_response(Rejection(UNPROCESSABLE, problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> RegistryJSONResponse:
        return error_response(Rejection(error.status_code, f"HTTP {error.status_code} {error.detail}"))

    @app.exception_handler(RegistryStoreTimeout)
    async def store_timeout(_: Request, error: RegistryStoreTimeout) -> RegistryJSONResponse:
        return error_response(Rejection(rejections.STORE_TIMEOUT, str(error)))

    @app.exception_handler(RegistryStoreError)
    async def store_error(_: Request, error: RegistryStoreError) -> RegistryJSONResponse:
        return error_response(Rejection(rejections.STORE_ERROR, str(error)))
