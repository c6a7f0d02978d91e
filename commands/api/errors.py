"""Every error the command API answers is JSON naming the problem; nothing is written."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commands.api.bus import CommandNotAccepted


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


async def not_accepted(_: Request, error: Exception) -> JSONResponse:
    return JSONResponse(error_body(
        "not_accepted", f"{error}; nothing is known to be written, retry with the same Idempotency-Key"),
        503)


async def http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return JSONResponse(error_body(f"http_{error.status_code}", str(error.detail)), error.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(CommandNotAccepted, not_accepted)
    app.add_exception_handler(StarletteHTTPException, http_error)


class BodySizeLimit:
    """Refuse bodies over the limit with 413 before they are parsed, chunked ones included."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received, refused = 0, False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # Answer now and tell the app the client left, so it stops reading.
                refused = True
                await self._refuse(send)
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(error_body(
            "body_too_large", f"the request body is over {self.max_bytes} bytes"), 413)
        await send({"type": "http.response.start", "status": 413,
                    "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})
