"""The Confluent REST API, its media type and its error codes, over both stores."""

import json
from typing import Any

import httpx
import pytest

from tests.schemas.avro_factories import ID, field, record
from tests.schemas.conftest import RunningRegistry

MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"
V1 = record(ID)
V2 = record(ID, field("email", "string", default=""))
INCOMPATIBLE = record(ID, field("email", "string"))


def call(registry: RunningRegistry, method: str, path: str, body: Any = None,
         content_type: str = MEDIA_TYPE) -> httpx.Response:
    content = None if body is None else json.dumps(body)
    headers = {} if body is None else {"Content-Type": content_type}
    response = registry.http.request(method, path, content=content, headers=headers)
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    return response


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def error_code(response: httpx.Response, status: int) -> int:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["message"]
    return int(body["error_code"])


def register(registry: RunningRegistry, subject: str, schema: str) -> int:
    return int(ok(call(registry, "POST", f"/subjects/{subject}/versions", {"schema": schema}))["id"])


def test_register_is_idempotent_and_versions_follow_each_other(
    registry: RunningRegistry, subject: str
) -> None:
    first = register(registry, subject, V1)
    assert register(registry, subject, json.dumps(json.loads(V1), indent=2)) == first
    second = register(registry, subject, V2)
    assert second != first
    assert ok(call(registry, "GET", f"/subjects/{subject}/versions")) == [1, 2]
    latest = ok(call(registry, "GET", f"/subjects/{subject}/versions/latest"))
    assert latest == {"subject": subject, "version": 2, "id": second,
                      "schema": json.dumps(json.loads(V2), separators=(",", ":"))}
    assert ok(call(registry, "GET", f"/subjects/{subject}/versions/1/schema")) == json.loads(V1)
    assert subject in ok(call(registry, "GET", "/subjects"))


def test_the_same_schema_in_two_subjects_has_one_id(
    registry: RunningRegistry, subject: str
) -> None:
    schema = record(ID, field("shared", "int", default=0), name="Shared")
    schema_id = register(registry, subject, schema)
    assert register(registry, f"{subject}-other", schema) == schema_id
    versions = ok(call(registry, "GET", f"/schemas/ids/{schema_id}/versions"))
    assert {"subject": subject, "version": 1} in versions
    assert {"subject": f"{subject}-other", "version": 1} in versions
    assert ok(call(registry, "GET", f"/schemas/ids/{schema_id}/subjects")) == sorted(
        [subject, f"{subject}-other"]
    )


def test_schemas_by_id(registry: RunningRegistry, subject: str) -> None:
    schema_id = register(registry, subject, V1)
    assert json.loads(ok(call(registry, "GET", f"/schemas/ids/{schema_id}"))["schema"]) == (
        json.loads(V1)
    )
    assert ok(call(registry, "GET", f"/schemas/ids/{schema_id}/schema")) == json.loads(V1)
    assert ok(call(registry, "GET", "/schemas/types")) == ["AVRO"]


def test_lookup_answers_subject_version_id_and_schema(
    registry: RunningRegistry, subject: str
) -> None:
    schema_id = register(registry, subject, V1)
    found = ok(call(registry, "POST", f"/subjects/{subject}", {"schema": V1}))
    assert (found["subject"], found["version"], found["id"]) == (subject, 1, schema_id)


def test_not_found_errors(registry: RunningRegistry, subject: str) -> None:
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions"), 404) == 40401
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions/1"), 404) == 40401
    assert error_code(call(registry, "POST", f"/subjects/{subject}", {"schema": V1}), 404) == 40401
    register(registry, subject, V1)
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions/7"), 404) == 40402
    assert error_code(call(registry, "POST", f"/subjects/{subject}", {"schema": V2}), 404) == 40403
    assert error_code(call(registry, "GET", "/schemas/ids/987654"), 404) == 40403
    assert error_code(call(registry, "GET", f"/config/{subject}"), 404) == 40408
    assert error_code(call(registry, "GET", "/no/such/route"), 404) == 404


def test_invalid_input_errors(registry: RunningRegistry, subject: str) -> None:
    bad = call(registry, "POST", f"/subjects/{subject}/versions", {"schema": '{"type": "recrod"}'})
    assert error_code(bad, 422) == 42201
    other_type = {"schema": V1, "schemaType": "PROTOBUF"}
    assert error_code(call(registry, "POST", f"/subjects/{subject}/versions", other_type), 422
                      ) == 42201
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions/0"), 422) == 42202
    assert error_code(call(registry, "PUT", f"/config/{subject}", {"compatibility": "SIDEWAYS"}),
                      422) == 42203
    missing = call(registry, "POST", f"/subjects/{subject}/versions", {"schemata": V1})
    assert error_code(missing, 422) == 422
    assert "schema" in missing.json()["message"]


def test_an_incompatible_schema_is_refused_with_409_and_nothing_is_registered(
    registry: RunningRegistry, subject: str
) -> None:
    register(registry, subject, V1)
    refused = call(registry, "POST", f"/subjects/{subject}/versions", {"schema": INCOMPATIBLE})
    assert error_code(refused, 409) == 409
    assert "email" in refused.json()["message"]
    assert ok(call(registry, "GET", f"/subjects/{subject}/versions")) == [1]


def test_compatibility_checks_against_a_version(registry: RunningRegistry, subject: str) -> None:
    register(registry, subject, V1)
    path = f"/compatibility/subjects/{subject}/versions/latest"
    assert ok(call(registry, "POST", path, {"schema": V2})) == {"is_compatible": True}
    verbose = ok(call(registry, "POST", path + "?verbose=true", {"schema": INCOMPATIBLE}))
    assert verbose["is_compatible"] is False
    assert any("email" in message for message in verbose["messages"])
    missing = call(registry, "POST", f"/compatibility/subjects/{subject}/versions/5",
                   {"schema": V2})
    assert error_code(missing, 404) == 40402


def test_subject_level_lets_an_incompatible_schema_in(
    registry: RunningRegistry, subject: str
) -> None:
    register(registry, subject, V1)
    assert ok(call(registry, "PUT", f"/config/{subject}", {"compatibility": "NONE"})) == {
        "compatibility": "NONE"
    }
    assert ok(call(registry, "GET", f"/config/{subject}")) == {"compatibilityLevel": "NONE"}
    register(registry, subject, INCOMPATIBLE)
    assert ok(call(registry, "DELETE", f"/config/{subject}")) == {"compatibilityLevel": "NONE"}
    assert ok(call(registry, "GET", f"/config/{subject}?defaultToGlobal=true")) == {
        "compatibilityLevel": "BACKWARD_TRANSITIVE"
    }


def test_delete_soft_then_permanent(registry: RunningRegistry, subject: str) -> None:
    schema_id = register(registry, subject, V1)
    register(registry, subject, V2)
    version_path = f"/subjects/{subject}/versions/2"
    assert error_code(call(registry, "DELETE", version_path + "?permanent=true"), 404) == 40407
    assert ok(call(registry, "DELETE", version_path)) == 2
    assert error_code(call(registry, "DELETE", version_path), 404) == 40406
    assert ok(call(registry, "GET", f"/subjects/{subject}/versions")) == [1]
    assert ok(call(registry, "GET", f"/subjects/{subject}/versions?deleted=true")) == [1, 2]
    assert ok(call(registry, "DELETE", version_path + "?permanent=true")) == 2

    subject_path = f"/subjects/{subject}"
    assert error_code(call(registry, "DELETE", subject_path + "?permanent=true"), 404) == 40405
    assert ok(call(registry, "DELETE", subject_path)) == [1]
    assert error_code(call(registry, "DELETE", subject_path), 404) == 40404
    assert subject not in ok(call(registry, "GET", "/subjects"))
    assert subject in ok(call(registry, "GET", "/subjects?deleted=true"))
    # Soft-deleted, the schema still decodes old data.
    assert ok(call(registry, "GET", f"/schemas/ids/{schema_id}/schema")) == json.loads(V1)
    assert ok(call(registry, "DELETE", subject_path + "?permanent=true")) == [1]
    assert subject not in ok(call(registry, "GET", "/subjects?deleted=true"))
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions"), 404) == 40401


@pytest.mark.parametrize(
    "content_type",
    ["application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
     "application/json", "application/json; charset=utf-8"],
)
def test_accepted_request_media_types(
    registry: RunningRegistry, subject: str, content_type: str
) -> None:
    response = call(registry, "POST", f"/subjects/{subject}/versions", {"schema": V1},
                    content_type=content_type)
    assert response.status_code == 200, response.text


def test_another_media_type_is_refused_with_415(registry: RunningRegistry, subject: str) -> None:
    response = call(registry, "POST", f"/subjects/{subject}/versions", {"schema": V1},
                    content_type="text/plain")
    assert error_code(response, 415) == 415
    assert error_code(call(registry, "GET", f"/subjects/{subject}/versions"), 404) == 40401


def test_global_level(fresh_registry: RunningRegistry, subject: str) -> None:
    assert ok(call(fresh_registry, "GET", "/config")) == {
        "compatibilityLevel": "BACKWARD_TRANSITIVE"
    }
    assert ok(call(fresh_registry, "PUT", "/config", {"compatibility": "FORWARD"})) == {
        "compatibility": "FORWARD"
    }
    assert ok(call(fresh_registry, "GET", "/config")) == {"compatibilityLevel": "FORWARD"}
    register(fresh_registry, subject, V1)
    # Under FORWARD, adding a required field is fine: old readers skip it.
    register(fresh_registry, subject, INCOMPATIBLE)
    assert ok(call(fresh_registry, "DELETE", "/config")) == {"compatibilityLevel": "FORWARD"}
    assert ok(call(fresh_registry, "GET", "/config")) == {
        "compatibilityLevel": "BACKWARD_TRANSITIVE"
    }
