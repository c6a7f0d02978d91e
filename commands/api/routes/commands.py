"""The outcome of a command whose reply came after the request's bounded wait."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from commands.api.deps import Replies
from commands.api.outcomes import REJECTION_STATUS, accepted_body
from infra.http_errors import ApiError

router = APIRouter(prefix="/api/commands", tags=["commands"])


@router.get("/{command_id}")
async def command_outcome(command_id: str, replies: Replies) -> JSONResponse:
    reply = replies.known(command_id)
    if reply is None:
        raise ApiError(404, "command_unknown",
                       f"no outcome known for command {command_id} (not yet handled, or too old)")
    if reply.status == "accepted":
        return JSONResponse({"status": "accepted", **accepted_body(reply, "aggregateId")})
    return JSONResponse({"status": "rejected", "commandId": reply.command_id,
                         "aggregateId": reply.aggregate_id, "code": reply.code,
                         "reason": reply.reason, "httpStatus": REJECTION_STATUS.get(reply.kind, 409)})
