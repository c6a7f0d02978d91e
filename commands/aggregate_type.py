"""What the command processor needs to know about one kind of aggregate.

The processor is generic: a context plugs in its decider, its Avro mappers and
its snapshot form here, and the loop stays free of domain rules.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from aggregates.rejection import Rejection

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")

Record = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class AggregateType(Generic[S, C, E]):
    context: str
    initial: S
    decide: Callable[[S, C], Sequence[E] | Rejection]
    evolve: Callable[[S, E], S]
    command_from_record: Callable[[str, dict[str, Any]], C]
    event_to_record: Callable[[E], Record]
    event_from_record: Callable[[str, dict[str, Any]], E]
    command_time: Callable[[C], datetime]
    state_to_snapshot: Callable[[S], dict[str, Any]]
    state_from_snapshot: Callable[[dict[str, Any]], S]
