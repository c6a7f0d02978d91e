"""Routes under /subjects: register, look up, read and delete a subject's versions."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query

from schemas.registry import decisions, queries, rejections
from schemas.registry.api_support import (
    SchemaBody,
    Store,
    answer,
    version_body,
    version_spec,
    without_references,
    written,
)
from schemas.registry.state import subject_versions, subjects

router = APIRouter(tags=["subjects"])


@router.get("/subjects")
def list_subjects(
    store: Store,
    deleted: bool = False,
    subject_prefix: Annotated[str, Query(alias="subjectPrefix")] = "",
) -> list[str]:
    return [s for s in subjects(store.current(), deleted) if s.startswith(subject_prefix)]


@router.post("/subjects/{subject}/versions")
def register_schema(subject: str, body: SchemaBody, store: Store) -> dict[str, int]:
    without_references(body)
    schema_id = written(
        store, lambda state: decisions.register(state, subject, body.schema_text, body.type)
    )
    return {"id": schema_id}


@router.post("/subjects/{subject}")
def lookup_schema(subject: str, body: SchemaBody, store: Store, deleted: bool = False
                  ) -> dict[str, Any]:
    without_references(body)
    found = answer(queries.lookup(store.current(), subject, body.schema_text, body.type, deleted))
    return version_body(found)


@router.get("/subjects/{subject}/versions")
def list_versions(subject: str, store: Store, deleted: bool = False) -> list[int]:
    versions = subject_versions(store.current(), subject, deleted)
    if not versions:
        answer(rejections.subject_not_found(subject))
    return [v.version for v in versions]


@router.get("/subjects/{subject}/versions/{version}")
def get_version(subject: str, version: str, store: Store, deleted: bool = False
                ) -> dict[str, Any]:
    spec = version_spec(version)
    return version_body(answer(queries.find_version(store.current(), subject, spec, deleted)))


@router.get("/subjects/{subject}/versions/{version}/schema")
def get_version_schema(subject: str, version: str, store: Store, deleted: bool = False) -> Any:
    spec = version_spec(version)
    return json.loads(answer(queries.find_version(store.current(), subject, spec, deleted)).schema)


@router.delete("/subjects/{subject}/versions/{version}")
def delete_version(subject: str, version: str, store: Store, permanent: bool = False) -> int:
    spec = version_spec(version)
    return written(store, lambda state: decisions.delete_version(state, subject, spec, permanent))


@router.delete("/subjects/{subject}")
def delete_subject(subject: str, store: Store, permanent: bool = False) -> list[int]:
    return written(store, lambda state: decisions.delete_subject(state, subject, permanent))
