"""JSON errors shared by both HTTP APIs: `{"error": {"code", "message", ...}}`, fields named."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _field(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def validation_failed(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    if any(p["type"] == "json_invalid" for p in problems):
        return JSONResponse(error_body("malformed_json", "the request body is not valid JSON"), 400)
    fields = [{"field": _field(tuple(p["loc"])), "message": p["msg"], "type": p["type"]}
              for p in problems]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return JSONResponse(error_body("invalid_request", summary, fields=fields), 422)


async def api_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return JSONResponse(error_body(error.code, error.message, **error.extra), error.status)


async def http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return JSONResponse(error_body(f"http_{error.status_code}", str(error.detail)), error.status_code)


def install_json_errors(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
