"""Changes to the registry: each decides, from the state alone, the records to append or a refusal.

Nothing here writes; the store appends the records and only then answers with
the reply (see `log.py`).
"""

from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from schemas.registry import compatibility, rejections
from schemas.registry.queries import LATEST, VersionSpec, parse_candidate, prior_schemas
from schemas.registry.rejections import Rejection
from schemas.registry.state import (
    AVRO,
    CompatibilityCleared,
    CompatibilitySet,
    Record,
    RegistryState,
    SchemaVersion,
    SchemaVersionRemoved,
    effective_level,
    subject_versions,
)

Reply = TypeVar("Reply")


@dataclass(frozen=True)
class Decision(Generic[Reply]):
    records: tuple[Record, ...]
    reply: Reply


def register(
    state: RegistryState, subject: str, schema_text: str, schema_type: str = AVRO
) -> Decision[int] | Rejection:
    """Register a schema under a subject; the reply is its id."""
    parsed = parse_candidate(schema_text, schema_type)
    if isinstance(parsed, Rejection):
        return parsed
    wanted = compatibility.identity(schema_text)
    live = subject_versions(state, subject)
    for version in live:
        if compatibility.identity(version.schema) == wanted:
            return Decision((), version.schema_id)  # already there: registering again is a no-op
    problems = compatibility.incompatibilities(
        effective_level(state, subject), parsed, prior_schemas(live)
    )
    if problems:
        return rejections.incompatible(subject, problems)
    # The same schema keeps its id across subjects, as Confluent's registry does.
    existing = _registered_anywhere(state, wanted)
    schema_id, text = (
        (existing.schema_id, existing.schema) if existing
        else (state.last_schema_id + 1, compatibility.compact(schema_text))
    )
    # Soft-deleted versions keep their numbers: a new version comes after all of them.
    number = max(state.versions.get(subject, {}), default=0) + 1
    return Decision((SchemaVersion(subject, number, schema_id, text, schema_type),), schema_id)


def delete_version(
    state: RegistryState, subject: str, spec: VersionSpec, permanent: bool
) -> Decision[int] | Rejection:
    """Soft-delete a version, or remove a soft-deleted one for good; the reply is its number."""
    everything = subject_versions(state, subject, include_deleted=True)
    if not everything:
        return rejections.subject_not_found(subject)
    if spec == LATEST:
        candidates = everything if permanent else [v for v in everything if not v.deleted]
        target = candidates[-1] if candidates else None
    else:
        target = next((v for v in everything if v.version == spec), None)
    if target is None:
        return rejections.version_not_found(subject, spec)
    if permanent and not target.deleted:
        return Rejection(
            rejections.VERSION_NOT_SOFT_DELETED,
            f"Subject '{subject}' Version {target.version} was not deleted first before "
            "being permanently deleted",
        )
    if not permanent and target.deleted:
        return Rejection(
            rejections.VERSION_SOFT_DELETED,
            f"Subject '{subject}' Version {target.version} was soft deleted. "
            "Set permanent=true to delete permanently",
        )
    record: Record = (
        SchemaVersionRemoved(subject, target.version) if permanent else replace(target, deleted=True)
    )
    return Decision((record,), target.version)


def delete_subject(
    state: RegistryState, subject: str, permanent: bool
) -> Decision[list[int]] | Rejection:
    """Soft-delete every version, or remove a soft-deleted subject; the reply is the versions."""
    everything = subject_versions(state, subject, include_deleted=True)
    if not everything:
        return rejections.subject_not_found(subject)
    live = [v for v in everything if not v.deleted]
    if permanent:
        if live:
            return Rejection(
                rejections.SUBJECT_NOT_SOFT_DELETED,
                f"Subject '{subject}' was not deleted first before being permanently deleted",
            )
        records: list[Record] = [SchemaVersionRemoved(subject, v.version) for v in everything]
        if subject in state.levels:
            records.append(CompatibilityCleared(subject))
        return Decision(tuple(records), [v.version for v in everything])
    if not live:
        return Rejection(
            rejections.SUBJECT_SOFT_DELETED,
            f"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently",
        )
    return Decision(tuple(replace(v, deleted=True) for v in live), [v.version for v in live])


def set_level(state: RegistryState, subject: str | None, level: object) -> Decision[str] | Rejection:
    """Set the compatibility level of a subject, or the global one (`subject` None)."""
    if not isinstance(level, str) or not compatibility.is_valid_level(level.upper()):
        return rejections.invalid_level(level)
    level = level.upper()
    unchanged = state.levels.get(subject) == level
    return Decision(() if unchanged else (CompatibilitySet(subject, level),), level)


def clear_level(state: RegistryState, subject: str | None) -> Decision[str] | Rejection:
    """Forget a subject's level (it follows the global one), or reset the global one.

    The reply is the level in force before.
    """
    if subject is not None and subject not in state.levels:
        return rejections.level_not_configured(subject)
    previous = effective_level(state, subject)
    records = (CompatibilityCleared(subject),) if subject in state.levels else ()
    return Decision(records, previous)


def _registered_anywhere(state: RegistryState, identity: str) -> SchemaVersion | None:
    for subject in sorted(state.versions):
        for version in subject_versions(state, subject, include_deleted=True):
            if compatibility.identity(version.schema) == identity:
                return version
    return None
