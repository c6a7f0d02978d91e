"""What the registry's routes share: the media type, request bodies, the store, refusals."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from schemas.registry.decisions import Decision
from schemas.registry.queries import VersionSpec, parse_version
from schemas.registry.rejections import Rejection, invalid_schema
from schemas.registry.state import AVRO, RegistryState, SchemaVersion
from schemas.registry.store import RegistryStore

MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPTED_CONTENT_TYPES = frozenset({MEDIA_TYPE, "application/vnd.schemaregistry+json",
                                    "application/json"})
UNSUPPORTED_MEDIA_TYPE = 415

T = TypeVar("T")


class RegistryJSONResponse(JSONResponse):
    media_type = MEDIA_TYPE


class RejectedError(Exception):
    """Carries a refusal out of a route, to be answered as Confluent's JSON error."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection


class SchemaBody(BaseModel):
    # Clients send more (metadata, ruleSet, ...); Confluent ignores what it does not know.
    model_config = ConfigDict(extra="ignore")

    schema_text: str = Field(alias="schema")
    schema_type: str | None = Field(default=None, alias="schemaType")
    references: list[dict[str, Any]] | None = None

    @property
    def type(self) -> str:
        return self.schema_type or AVRO


class CompatibilityBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    compatibility: str | None = None


def get_store(request: Request) -> RegistryStore:
    store: RegistryStore = request.app.state.store
    return store


Store = Annotated[RegistryStore, Depends(get_store)]


def answer(result: T | Rejection) -> T:
    if isinstance(result, Rejection):
        raise RejectedError(result)
    return result


def version_spec(text: str) -> VersionSpec:
    spec = parse_version(text)
    if isinstance(spec, Rejection):
        raise RejectedError(spec)
    return spec


def written(store: RegistryStore, decide: Callable[[RegistryState], Decision[T] | Rejection]) -> T:
    """The reply of a change once it is in the store, or the refusal raised."""
    outcome = store.write(decide)
    if isinstance(outcome, Rejection):
        raise RejectedError(outcome)
    return outcome


def without_references(body: SchemaBody) -> SchemaBody:
    if body.references:
        raise RejectedError(invalid_schema("schema references are not supported by this registry"))
    return body


def version_body(version: SchemaVersion) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": version.subject,
        "version": version.version,
        "id": version.schema_id,
        "schema": version.schema,
    }
    if version.schema_type != AVRO:
        body["schemaType"] = version.schema_type
    return body


async def require_registry_content_type(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if request.method in {"POST", "PUT"} and content_type is not None:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in ACCEPTED_CONTENT_TYPES:
            raise RejectedError(Rejection(UNSUPPORTED_MEDIA_TYPE, "HTTP 415 Unsupported Media Type"))
