"""Reads of the registry state, refusing as Confluent does when something is missing."""

from dataclasses import dataclass
from typing import Final, Literal

import avro.schema

from schemas.registry import compatibility, rejections
from schemas.registry.rejections import Rejection
from schemas.registry.state import (
    AVRO,
    RegistryState,
    SchemaVersion,
    effective_level,
    subject_versions,
    versions_with_id,
)

MAX_VERSION = 2**31 - 1
LATEST: Final = "latest"
VersionSpec = int | Literal["latest"]


@dataclass(frozen=True)
class CompatibilityReport:
    is_compatible: bool
    messages: list[str]


def parse_version(text: str) -> VersionSpec | Rejection:
    if text == LATEST or text == "-1":
        return LATEST
    try:
        number = int(text)
    except ValueError:
        return rejections.invalid_version(text)
    if not 1 <= number <= MAX_VERSION:
        return rejections.invalid_version(text)
    return number


def find_version(
    state: RegistryState, subject: str, spec: VersionSpec, include_deleted: bool = False
) -> SchemaVersion | Rejection:
    versions = subject_versions(state, subject, include_deleted)
    if not versions:
        return rejections.subject_not_found(subject)
    if spec == LATEST:
        return versions[-1]
    for version in versions:
        if version.version == spec:
            return version
    return rejections.version_not_found(subject, spec)


def find_schema(state: RegistryState, schema_id: int) -> SchemaVersion | Rejection:
    """Any version holding the id; soft-deleted ones too, so old data stays readable."""
    holders = versions_with_id(state, schema_id, include_deleted=True)
    if not holders:
        return rejections.schema_not_found(f"Schema {schema_id} not found")
    return holders[0]


def lookup(
    state: RegistryState, subject: str, schema_text: str, schema_type: str = AVRO,
    include_deleted: bool = False,
) -> SchemaVersion | Rejection:
    """The subject's version holding this schema (the latest, if several)."""
    versions = subject_versions(state, subject, include_deleted)
    if not versions:
        return rejections.subject_not_found(subject)
    parsed = parse_candidate(schema_text, schema_type)
    if isinstance(parsed, Rejection):
        return parsed
    wanted = compatibility.identity(schema_text)
    for version in reversed(versions):
        if compatibility.identity(version.schema) == wanted:
            return version
    return rejections.schema_not_found(f"Schema not found in subject '{subject}'")


def check_compatibility(
    state: RegistryState, subject: str, spec: VersionSpec | None, schema_text: str,
    schema_type: str = AVRO,
) -> CompatibilityReport | Rejection:
    """Against one version (`spec`), or against the subject as registering would (`None`)."""
    parsed = parse_candidate(schema_text, schema_type)
    if isinstance(parsed, Rejection):
        return parsed
    if spec is None:
        prior = subject_versions(state, subject)
    else:
        found = find_version(state, subject, spec)
        if isinstance(found, Rejection):
            return found
        prior = [found]
    problems = compatibility.incompatibilities(
        effective_level(state, subject), parsed, prior_schemas(prior)
    )
    return CompatibilityReport(is_compatible=not problems, messages=problems)


def compatibility_level(
    state: RegistryState, subject: str | None, default_to_global: bool = False
) -> str | Rejection:
    if subject is None or subject in state.levels or default_to_global:
        return effective_level(state, subject)
    return rejections.level_not_configured(subject)


def parse_candidate(schema_text: str, schema_type: str) -> avro.schema.Schema | Rejection:
    if schema_type != AVRO:
        return rejections.invalid_schema(f"schema type {schema_type} is not supported, only AVRO")
    try:
        return compatibility.parse(schema_text)
    except compatibility.InvalidSchema as error:
        return rejections.invalid_schema(str(error))


def prior_schemas(versions: list[SchemaVersion]) -> list[compatibility.PriorSchema]:
    return [compatibility.PriorSchema(v.version, compatibility.parsed(v.schema)) for v in versions]
