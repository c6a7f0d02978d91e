"""The aggregate types the command processor can own, by context name."""

from typing import Any

from aggregates import product
from commands.aggregate_type import AggregateType
from schemas import catalog

CATALOG: AggregateType[Any, Any, Any] = AggregateType(
    context="catalog",
    initial=product.INITIAL,
    decide=product.decide,
    evolve=product.evolve,
    command_from_record=catalog.command_from_record,
    event_to_record=catalog.event_to_record,
    event_from_record=catalog.event_from_record,
    command_time=lambda command: command.at,
    state_to_snapshot=catalog.product_to_snapshot,
    state_from_snapshot=catalog.product_from_snapshot,
)

AGGREGATE_TYPES: dict[str, AggregateType[Any, Any, Any]] = {CATALOG.context: CATALOG}
