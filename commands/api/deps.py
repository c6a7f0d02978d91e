"""Dependencies the routes share, as Annotated aliases.

All are `async def`: FastAPI runs a plain `def` dependency in a worker thread,
and those thread hops were most of a command's time in the API.
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Request

from commands.api.bus import CommandBus
from commands.api.replies import ReplyListener
from infra.http_errors import ApiError

# Fixed namespaces: the same Idempotency-Key always maps to the same ids.
COMMAND_IDS = uuid.UUID("8d0f7a52-5f5b-4b34-9a41-7ad3c1a0b1e1")
AGGREGATE_IDS = uuid.UUID("1c9e2b7d-0a44-4f0e-8f3c-2c5c86f0d2a4")


async def get_bus(request: Request) -> CommandBus:
    bus: CommandBus = request.app.state.bus
    return bus


async def get_replies(request: Request) -> ReplyListener:
    replies: ReplyListener = request.app.state.replies
    return replies


async def expected_version(if_match: Annotated[str | None, Header()] = None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ApiError(400, "invalid_if_match", "If-Match must be an aggregate version, e.g. \"3\"",
                       field="If-Match")
    return int(text)


async def idempotency_key(
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> str | None:
    return idempotency_key


async def correlation_id(x_correlation_id: Annotated[str | None, Header(max_length=200)] = None) -> str:
    return x_correlation_id or str(uuid.uuid4())


def command_id_for(aggregate_id: str, key: str | None, action: str) -> str:
    """The client's Idempotency-Key, scoped to the aggregate and action, or a fresh id."""
    if key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(COMMAND_IDS, f"{action}/{aggregate_id}/{key}"))


def aggregate_id_for(key: str | None) -> str:
    return str(uuid.uuid5(AGGREGATE_IDS, key)) if key is not None else str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


Bus = Annotated[CommandBus, Depends(get_bus)]
Replies = Annotated[ReplyListener, Depends(get_replies)]
ExpectedVersion = Annotated[int | None, Depends(expected_version)]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
CorrelationId = Annotated[str, Depends(correlation_id)]
