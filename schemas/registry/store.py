"""What the HTTP API needs from a registry store; `log.py` and `memory.py` provide it."""

from collections.abc import Callable
from typing import Protocol, TypeVar

from schemas.registry.decisions import Decision
from schemas.registry.rejections import Rejection
from schemas.registry.state import RegistryState

Reply = TypeVar("Reply")


class RegistryStore(Protocol):
    def current(self) -> RegistryState:
        """The latest state this instance has read."""
        ...

    def write(self, decide: Callable[[RegistryState], Decision[Reply] | Rejection]) -> Reply | Rejection:
        """Decide on an up-to-date state, append the records, return once they are readable."""
        ...


class RegistryStoreError(Exception):
    """The store could not be read or written."""


class RegistryStoreTimeout(RegistryStoreError):
    """The store did not answer in time."""
