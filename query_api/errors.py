"""The query API's own error: a read model that is not set up yet."""

from asyncpg.exceptions import UndefinedTableError
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from infra.http_errors import error_body, install_json_errors


async def read_model_missing(_: Request, error: Exception) -> JSONResponse:
    # The projector creates its store on first start; until then there is nothing to read.
    return JSONResponse(error_body("read_model_unavailable",
                                   f"the read model is not set up yet: {error}"), 503)


def install_error_handlers(app: FastAPI) -> None:
    install_json_errors(app)
    app.add_exception_handler(UndefinedTableError, read_model_missing)
