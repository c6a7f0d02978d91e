"""The processor's answer to one command, as written to the replies topic."""

from dataclasses import dataclass

import orjson


@dataclass(frozen=True)
class Reply:
    command_id: str
    aggregate_id: str
    status: str  # accepted | rejected
    version: int
    code: str = ""
    reason: str = ""
    kind: str = ""  # for rejections: not_found | conflict | invalid | version_mismatch | malformed
    consistency_token: str = ""
    duplicate: bool = False

    def to_bytes(self) -> bytes:
        return orjson.dumps(self)  # orjson serializes dataclasses natively, without a copy

    @classmethod
    def from_bytes(cls, data: bytes) -> "Reply":
        return cls(**orjson.loads(data))
