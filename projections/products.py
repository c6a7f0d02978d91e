"""Catalog events -> product read-model changes. Pure: no I/O, no clock.

A batch is folded per product into one `ProductChange`: the fields the batch
touched, as they are after its last event, and the aggregate version reached.
When the batch holds the product's creation the change is the whole row;
otherwise it is applied on top of the stored row. A store applies a change only
to a row whose version is lower, so a change older than the row is a no-op.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from aggregates.product import (
    ProductCreated,
    ProductDetailsUpdated,
    ProductDiscontinued,
    ProductPriceChanged,
    ProductStatus,
)
from projections.decoding import DecodedEvent, Poison

ACTIVE = ProductStatus.ACTIVE.value
DISCONTINUED = ProductStatus.DISCONTINUED.value


@dataclass(frozen=True, slots=True)
class ProductRow:
    product_id: str
    name: str
    description: str
    category: str
    price: Decimal
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProductChange:
    product_id: str
    version: int
    updated_at: datetime
    created_at: datetime | None = None  # set when the batch created the product: a whole row
    name: str | None = None
    description: str | None = None
    category: str | None = None
    price: Decimal | None = None
    status: str | None = None

    @property
    def is_whole_row(self) -> bool:
        return self.created_at is not None


def violation(item: DecodedEvent) -> str | None:
    """Why an event cannot be projected, judged on the event alone."""
    event, meta, key = item.event, item.metadata, item.record.key
    if meta.aggregate_id != event.product_id:
        return f"header aggregate_id {meta.aggregate_id!r} is not product {event.product_id!r}"
    if key is not None and key.decode(errors="replace") != event.product_id:
        return f"record key {key!r} is not product {event.product_id!r}"
    is_creation = isinstance(event, ProductCreated)
    if is_creation != (meta.aggregate_version == 1) or meta.aggregate_version < 1:
        return f"{type(event).__name__} at aggregate version {meta.aggregate_version}"
    match event:
        case ProductCreated() | ProductPriceChanged() if not event.price > 0:
            return f"price {event.price} is not positive"
        case ProductCreated() | ProductDetailsUpdated() if not (event.name and event.category):
            return "name and category must not be empty"
    return None


def screen(events: list[DecodedEvent]) -> tuple[list[DecodedEvent], list[Poison]]:
    """Split a batch into projectable events and poison, in log order.

    Besides each event's own invariants, one product's events must come in
    rising version order: a version at or below one already seen is poison.
    """
    valid: list[DecodedEvent] = []
    poison: list[Poison] = []
    seen: dict[str, int] = {}
    for item in events:
        reason = violation(item)
        last = seen.get(item.metadata.aggregate_id)
        if reason is None and last is not None and item.metadata.aggregate_version <= last:
            reason = f"version {item.metadata.aggregate_version} does not follow version {last}"
        if reason is None:
            seen[item.metadata.aggregate_id] = item.metadata.aggregate_version
            valid.append(item)
        else:
            poison.append(Poison(item.record, f"invariant violated: {reason}"))
    return valid, poison


def fold_changes(events: Iterable[DecodedEvent]) -> list[ProductChange]:
    """One change per product, in order of first appearance."""
    fields: dict[str, dict[str, Any]] = {}
    for item in events:
        event = item.event
        change = fields.get(event.product_id)
        if change is None:
            change = fields[event.product_id] = {"product_id": event.product_id}
        # Field by field in a plain dict: this runs once per event, on the hot path.
        change["version"], change["updated_at"] = item.metadata.aggregate_version, event.at
        match event:
            case ProductCreated():
                change.update(created_at=event.at, name=event.name, description=event.description,
                              category=event.category, price=event.price, status=ACTIVE)
            case ProductDetailsUpdated():
                change.update(name=event.name, description=event.description,
                              category=event.category)
            case ProductPriceChanged():
                change["price"] = event.price
            case ProductDiscontinued():
                change["status"] = DISCONTINUED
    return [ProductChange(**change) for change in fields.values()]


def apply_change(row: ProductRow | None, change: ProductChange) -> ProductRow | None:
    """The row after the change; the row unchanged if it is as new; None if unknowable.

    None means a partial change for a product the store has never seen, which
    only happens when the store missed the product's creation.
    """
    if row is not None and row.version >= change.version:
        return row
    if change.created_at is not None:
        return ProductRow(change.product_id, change.name or "", change.description or "",
                          change.category or "", change.price or Decimal("0.00"),
                          change.status or ACTIVE, change.version, change.created_at,
                          change.updated_at)
    if row is None:
        return None
    return ProductRow(
        row.product_id,
        row.name if change.name is None else change.name,
        row.description if change.description is None else change.description,
        row.category if change.category is None else change.category,
        row.price if change.price is None else change.price,
        row.status if change.status is None else change.status,
        change.version, row.created_at, change.updated_at,
    )
