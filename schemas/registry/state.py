"""The registry's state, folded from the records of its log (the `_schemas` topic).

Each record is keyed like Confluent's (a subject version, or a subject's config)
and `apply` keeps only the last record per key, so folding the log before or
after Kafka compacts it gives the same state.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from schemas.registry.compatibility import DEFAULT_LEVEL

AVRO = "AVRO"


@dataclass(frozen=True)
class SchemaVersion:
    """A schema registered under a subject, as its record carries it."""

    subject: str
    version: int
    schema_id: int
    schema: str
    schema_type: str = AVRO
    deleted: bool = False  # soft-deleted: hidden from listings, still readable by id


@dataclass(frozen=True)
class SchemaVersionRemoved:
    """The tombstone of a permanently deleted version."""

    subject: str
    version: int


@dataclass(frozen=True)
class CompatibilitySet:
    subject: str | None  # None is the global level
    level: str


@dataclass(frozen=True)
class CompatibilityCleared:
    subject: str | None


Record = SchemaVersion | SchemaVersionRemoved | CompatibilitySet | CompatibilityCleared


@dataclass(frozen=True)
class RegistryState:
    versions: Mapping[str, Mapping[int, SchemaVersion]] = field(default_factory=dict)
    levels: Mapping[str | None, str] = field(default_factory=dict)
    default_level: str = DEFAULT_LEVEL
    # Never goes down, so an id is not handed out twice while its record is in the log.
    last_schema_id: int = 0


def apply(state: RegistryState, record: Record) -> RegistryState:
    match record:
        case SchemaVersion(subject=subject, version=version):
            in_subject = {**state.versions.get(subject, {}), version: record}
            return replace(
                state,
                versions={**state.versions, subject: in_subject},
                last_schema_id=max(state.last_schema_id, record.schema_id),
            )
        case SchemaVersionRemoved(subject=subject, version=version):
            remaining = {v: sv for v, sv in state.versions.get(subject, {}).items() if v != version}
            versions = {s: vs for s, vs in state.versions.items() if s != subject}
            if remaining:
                versions[subject] = remaining
            return replace(state, versions=versions)
        case CompatibilitySet(subject=subject, level=level):
            return replace(state, levels={**state.levels, subject: level})
        case CompatibilityCleared(subject=subject):
            return replace(state, levels={s: lv for s, lv in state.levels.items() if s != subject})


def fold(records: list[Record], state: RegistryState | None = None) -> RegistryState:
    state = state if state is not None else RegistryState()
    for record in records:
        state = apply(state, record)
    return state


def subject_versions(
    state: RegistryState, subject: str, include_deleted: bool = False
) -> list[SchemaVersion]:
    """The subject's versions, oldest first."""
    versions = state.versions.get(subject, {})
    return [versions[v] for v in sorted(versions) if include_deleted or not versions[v].deleted]


def subjects(state: RegistryState, include_deleted: bool = False) -> list[str]:
    return sorted(s for s in state.versions if subject_versions(state, s, include_deleted))


def versions_with_id(
    state: RegistryState, schema_id: int, include_deleted: bool = True
) -> list[SchemaVersion]:
    return [
        version
        for subject in sorted(state.versions)
        for version in subject_versions(state, subject, include_deleted)
        if version.schema_id == schema_id
    ]


def effective_level(state: RegistryState, subject: str | None) -> str:
    if subject is not None and subject in state.levels:
        return state.levels[subject]
    return state.levels.get(None, state.default_level)
