"""An in-memory schema registry for unit tests of the codec path (integration tests use
the project's real registry process)."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StoredSchema:
    schema_str: str


class InMemoryRegistry:
    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._schemas: dict[int, StoredSchema] = {}

    def register_schema(self, subject_name: str, schema: Any) -> int:
        text = schema.schema_str
        if text not in self._ids:
            self._ids[text] = len(self._ids) + 1
            self._schemas[self._ids[text]] = StoredSchema(text)
        return self._ids[text]

    def get_schema(self, schema_id: int) -> StoredSchema:
        return self._schemas[schema_id]
