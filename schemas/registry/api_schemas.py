"""Routes under /schemas: schemas by their global id."""

import json
from typing import Any

from fastapi import APIRouter

from schemas.registry import queries
from schemas.registry.api_support import Store, answer
from schemas.registry.state import AVRO, versions_with_id

router = APIRouter(tags=["schemas"])


@router.get("/schemas/types")
def list_schema_types() -> list[str]:
    return [AVRO]


@router.get("/schemas/ids/{schema_id}")
def get_schema(schema_id: int, store: Store) -> dict[str, Any]:
    found = answer(queries.find_schema(store.current(), schema_id))
    body: dict[str, Any] = {"schema": found.schema}
    if found.schema_type != AVRO:
        body["schemaType"] = found.schema_type
    return body


@router.get("/schemas/ids/{schema_id}/schema")
def get_raw_schema(schema_id: int, store: Store) -> Any:
    return json.loads(answer(queries.find_schema(store.current(), schema_id)).schema)


@router.get("/schemas/ids/{schema_id}/versions")
def list_schema_versions(schema_id: int, store: Store, deleted: bool = False
                         ) -> list[dict[str, Any]]:
    state = store.current()
    answer(queries.find_schema(state, schema_id))
    return [{"subject": v.subject, "version": v.version}
            for v in versions_with_id(state, schema_id, include_deleted=deleted)]


@router.get("/schemas/ids/{schema_id}/subjects")
def list_schema_subjects(schema_id: int, store: Store, deleted: bool = False) -> list[str]:
    state = store.current()
    answer(queries.find_schema(state, schema_id))
    return sorted({v.subject for v in versions_with_id(state, schema_id, include_deleted=deleted)})
