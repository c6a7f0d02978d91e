"""A registry store in memory: for tests and tools that need a registry but no Kafka.

It folds the same records as the Kafka log, so it answers exactly as the real
store does; the API contract tests run against both.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

from schemas.registry.compatibility import DEFAULT_LEVEL
from schemas.registry.decisions import Decision
from schemas.registry.rejections import Rejection
from schemas.registry.state import Record, RegistryState, apply

Reply = TypeVar("Reply")


class InMemoryRegistryStore:
    def __init__(self, default_level: str = DEFAULT_LEVEL) -> None:
        self._state = RegistryState(default_level=default_level)
        self._lock = threading.Lock()
        self.appended: list[Record] = []

    def current(self) -> RegistryState:
        return self._state

    def write(self, decide: Callable[[RegistryState], Decision[Reply] | Rejection]) -> Reply | Rejection:
        with self._lock:
            outcome = decide(self._state)
            if isinstance(outcome, Rejection):
                return outcome
            for record in outcome.records:
                self._state = apply(self._state, record)
            self.appended += outcome.records
            return outcome.reply
