"""Refusals, with Confluent Schema Registry's error codes so its clients understand them."""

from dataclasses import dataclass

SUBJECT_NOT_FOUND = 40401
VERSION_NOT_FOUND = 40402
SCHEMA_NOT_FOUND = 40403
SUBJECT_SOFT_DELETED = 40404
SUBJECT_NOT_SOFT_DELETED = 40405
VERSION_SOFT_DELETED = 40406
VERSION_NOT_SOFT_DELETED = 40407
SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408
INCOMPATIBLE_SCHEMA = 409
INVALID_SCHEMA = 42201
INVALID_VERSION = 42202
INVALID_COMPATIBILITY_LEVEL = 42203
STORE_ERROR = 50001
STORE_TIMEOUT = 50002


@dataclass(frozen=True)
class Rejection:
    error_code: int
    message: str

    @property
    def http_status(self) -> int:
        # Confluent's five-digit codes start with their HTTP status: 40401 is a 404.
        return self.error_code // 100 if self.error_code >= 10000 else self.error_code


def subject_not_found(subject: str) -> Rejection:
    return Rejection(SUBJECT_NOT_FOUND, f"Subject '{subject}' not found.")


def version_not_found(subject: str, version: int | str) -> Rejection:
    return Rejection(VERSION_NOT_FOUND, f"Version {version} not found for subject '{subject}'.")


def schema_not_found(detail: str = "Schema not found") -> Rejection:
    return Rejection(SCHEMA_NOT_FOUND, detail)


def invalid_schema(reason: str) -> Rejection:
    return Rejection(INVALID_SCHEMA, f"Invalid schema: {reason}")


def invalid_version(version: str) -> Rejection:
    return Rejection(
        INVALID_VERSION,
        f"The specified version '{version}' is not a valid version id. "
        'Allowed values are between [1, 2^31-1] and the string "latest"',
    )


def invalid_level(level: object) -> Rejection:
    return Rejection(INVALID_COMPATIBILITY_LEVEL, f"Invalid compatibility level: {level}")


def level_not_configured(subject: str) -> Rejection:
    return Rejection(
        SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
        f"Subject '{subject}' does not have subject-level compatibility configured",
    )


def incompatible(subject: str, problems: list[str]) -> Rejection:
    return Rejection(
        INCOMPATIBLE_SCHEMA,
        f"Schema being registered is incompatible with an earlier schema for subject "
        f"'{subject}', details: {problems}",
    )
