"""The command API's own errors: an unacknowledged command, an oversized body."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commands.api.bus import CommandNotAccepted
from infra.http_errors import error_body, install_json_errors


async def not_accepted(_: Request, error: Exception) -> JSONResponse:
    return JSONResponse(error_body(
        "not_accepted", f"{error}; nothing is known to be written, retry with the same Idempotency-Key"),
        503)


def install_error_handlers(app: FastAPI) -> None:
    install_json_errors(app)
    app.add_exception_handler(CommandNotAccepted, not_accepted)


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
