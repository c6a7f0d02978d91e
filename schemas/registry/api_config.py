"""Routes for compatibility: levels (/config), checks (/compatibility) and the fixed /mode."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from schemas.registry import decisions, queries
from schemas.registry.api_support import (
    CompatibilityBody,
    SchemaBody,
    Store,
    answer,
    version_spec,
    without_references,
    written,
)

router = APIRouter(tags=["compatibility"])

READWRITE = {"mode": "READWRITE"}  # this registry has no import or read-only modes


@router.get("/config")
def get_global_level(store: Store) -> dict[str, str]:
    return {"compatibilityLevel": answer(queries.compatibility_level(store.current(), None))}


@router.put("/config")
def set_global_level(body: CompatibilityBody, store: Store) -> dict[str, str]:
    level = written(store, lambda state: decisions.set_level(state, None, body.compatibility))
    return {"compatibility": level}


@router.delete("/config")
def reset_global_level(store: Store) -> dict[str, str]:
    return {"compatibilityLevel": written(store, lambda s: decisions.clear_level(s, None))}


@router.get("/config/{subject}")
def get_subject_level(
    subject: str,
    store: Store,
    default_to_global: Annotated[bool, Query(alias="defaultToGlobal")] = False,
) -> dict[str, str]:
    level = answer(queries.compatibility_level(store.current(), subject, default_to_global))
    return {"compatibilityLevel": level}


@router.put("/config/{subject}")
def set_subject_level(subject: str, body: CompatibilityBody, store: Store) -> dict[str, str]:
    level = written(store, lambda state: decisions.set_level(state, subject, body.compatibility))
    return {"compatibility": level}


@router.delete("/config/{subject}")
def clear_subject_level(subject: str, store: Store) -> dict[str, str]:
    return {"compatibilityLevel": written(store, lambda s: decisions.clear_level(s, subject))}


@router.post("/compatibility/subjects/{subject}/versions/{version}")
def check_against_version(
    subject: str, version: str, body: SchemaBody, store: Store, verbose: bool = False
) -> dict[str, Any]:
    without_references(body)
    spec = version_spec(version)
    report = answer(queries.check_compatibility(
        store.current(), subject, spec, body.schema_text, body.type
    ))
    return _report_body(report, verbose)


@router.post("/compatibility/subjects/{subject}/versions")
def check_against_subject(
    subject: str, body: SchemaBody, store: Store, verbose: bool = False
) -> dict[str, Any]:
    without_references(body)
    report = answer(queries.check_compatibility(
        store.current(), subject, None, body.schema_text, body.type
    ))
    return _report_body(report, verbose)


@router.get("/mode")
def get_global_mode() -> dict[str, str]:
    return READWRITE


@router.get("/mode/{subject}")
def get_subject_mode(subject: str) -> dict[str, str]:
    return READWRITE


def _report_body(report: queries.CompatibilityReport, verbose: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"is_compatible": report.is_compatible}
    if verbose:
        body["messages"] = report.messages
    return body
