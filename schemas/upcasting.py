"""Upcasters: for schema changes Avro resolution cannot express (a field split in two,
a changed meaning), a function per event type turns a version-n payload into n+1.

The chain runs on read, in the codec, so the processor, the projectors and a
rebuild all see every stored event in the current shape.
"""

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


class Upcasters:
    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}

    def register(self, record_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def add(step: Upcaster) -> Upcaster:
            self._steps[(record_name, from_version)] = step
            return step

        return add

    def has_chain(self, record_name: str, from_version: int) -> bool:
        return (record_name, from_version) in self._steps

    def upcast(self, record_name: str, from_version: int, to_version: int, payload: Payload) -> Payload:
        for version in range(from_version, to_version):
            step = self._steps.get((record_name, version))
            if step is None:
                raise ValueError(f"no upcaster for {record_name} v{version} -> v{version + 1}")
            payload = step(payload)
        return payload
