"""The project's own Avro schemas (`schemas/avro/<context>/<events|commands>/*.avsc`), parsed once.

A schema may carry a `version` attribute (default 1); upcasters are keyed by it.
"""

from functools import cache
from pathlib import Path
from typing import Any

import fastavro
import orjson

AVRO_DIR = Path(__file__).resolve().parent / "avro"


def full_name(raw: dict[str, Any]) -> str:
    return f"{raw['namespace']}.{raw['name']}" if "namespace" in raw else str(raw["name"])


class SchemaCatalogue:
    def __init__(self, root: Path = AVRO_DIR) -> None:
        self._raw: dict[str, dict[str, Any]] = {}
        self._text: dict[str, str] = {}
        self._places: dict[str, tuple[str, str]] = {}  # name -> (context, events|commands)
        for path in sorted(root.glob("*/*/*.avsc")):
            text = path.read_text()
            raw = orjson.loads(text)
            name = full_name(raw)
            self._raw[name], self._text[name] = raw, text
            self._places[name] = (path.parent.parent.name, path.parent.name)
        self._parsed = {name: fastavro.parse_schema(raw) for name, raw in self._raw.items()}

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def names(self, context: str | None = None, kind: str | None = None) -> list[str]:
        """Record names, optionally of one context and of one kind (`events` or `commands`)."""
        return [name for name, (ctx, k) in self._places.items()
                if context in (None, ctx) and kind in (None, k)]

    def place(self, name: str) -> tuple[str, str]:
        """(context, `events` or `commands`)."""
        return self._places[name]

    def text(self, name: str) -> str:
        return self._text[name]

    def parsed(self, name: str) -> Any:
        return self._parsed[name]

    def version(self, name: str) -> int:
        return int(self._raw[name].get("version", 1))


@cache
def project_catalogue() -> SchemaCatalogue:
    return SchemaCatalogue()
