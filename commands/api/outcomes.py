"""A command's reply as an HTTP response: 200/201 accepted, 202 still pending, 4xx refused."""

from typing import Any

from fastapi.responses import JSONResponse

from commands.api.bus import Sent
from commands.replies import Reply
from infra.http_errors import error_body

REJECTION_STATUS = {"not_found": 404, "conflict": 409, "version_mismatch": 409, "invalid": 422,
                    "malformed": 400}


def accepted_body(reply: Reply, id_field: str) -> dict[str, Any]:
    return {id_field: reply.aggregate_id, "version": reply.version, "commandId": reply.command_id,
            "consistencyToken": reply.consistency_token, "duplicate": reply.duplicate}


def respond(sent: Sent, id_field: str, location: str, created: bool = False) -> JSONResponse:
    reply = sent.reply
    if reply is None:
        return JSONResponse(
            {"commandId": sent.command_id, "status": "pending"}, 202,
            headers={"Location": f"/api/commands/{sent.command_id}"})
    if reply.status != "accepted":
        extra: dict[str, Any] = {"commandId": reply.command_id}
        if reply.kind == "version_mismatch":
            extra["currentVersion"] = reply.version
        return JSONResponse(error_body(reply.code, reply.reason, **extra),
                            REJECTION_STATUS.get(reply.kind, 409))
    headers = {"ETag": f'"{reply.version}"', "Location": location}
    if reply.consistency_token:
        headers["X-Consistency-Token"] = reply.consistency_token
    return JSONResponse(accepted_body(reply, id_field), 201 if created and not reply.duplicate else 200,
                        headers=headers)
