"""A refusal to act on a command: returned by `decide`, never raised."""

from dataclasses import dataclass
from enum import Enum


class RejectionKind(Enum):
    NOT_FOUND = "not_found"  # the aggregate does not exist
    CONFLICT = "conflict"  # the command clashes with the aggregate's current state
    INVALID = "invalid"  # the command breaks a rule whatever the state


@dataclass(frozen=True)
class Rejection:
    code: str
    reason: str
    kind: RejectionKind = RejectionKind.CONFLICT
