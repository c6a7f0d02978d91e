"""The Product aggregate as a decider: commands in, events out, state folded from events.

Pure: no I/O, no clock, no ids minted here; time and ids arrive with the command.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum

from aggregates.rejection import Rejection, RejectionKind

MAX_PRICE = Decimal("99999999.99")  # DECIMAL(10,2)
CENT = Decimal("0.01")
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 5000


class ProductStatus(Enum):
    ACTIVE = "active"
    DISCONTINUED = "discontinued"


@dataclass(frozen=True)
class Product:
    product_id: str = ""
    version: int = 0
    name: str = ""
    description: str = ""
    category: str = ""
    price: Decimal = Decimal("0.00")
    status: ProductStatus | None = None  # None: never created

    @property
    def exists(self) -> bool:
        return self.status is not None


INITIAL = Product()


# Commands
@dataclass(frozen=True)
class CreateProduct:
    product_id: str
    name: str
    description: str
    category: str
    price: Decimal
    at: datetime


@dataclass(frozen=True)
class UpdateProductDetails:
    product_id: str
    name: str | None
    description: str | None
    category: str | None
    at: datetime


@dataclass(frozen=True)
class ChangeProductPrice:
    product_id: str
    price: Decimal
    at: datetime


@dataclass(frozen=True)
class DiscontinueProduct:
    product_id: str
    reason: str
    at: datetime


ProductCommand = CreateProduct | UpdateProductDetails | ChangeProductPrice | DiscontinueProduct


# Events
@dataclass(frozen=True)
class ProductCreated:
    product_id: str
    name: str
    description: str
    category: str
    price: Decimal
    at: datetime


@dataclass(frozen=True)
class ProductDetailsUpdated:
    product_id: str
    name: str
    description: str
    category: str
    at: datetime


@dataclass(frozen=True)
class ProductPriceChanged:
    product_id: str
    price: Decimal
    previous_price: Decimal
    at: datetime


@dataclass(frozen=True)
class ProductDiscontinued:
    product_id: str
    reason: str
    at: datetime


ProductEvent = ProductCreated | ProductDetailsUpdated | ProductPriceChanged | ProductDiscontinued


def decide(state: Product, command: ProductCommand) -> list[ProductEvent] | Rejection:
    match command:
        case CreateProduct():
            if state.exists:
                return Rejection("product_exists", f"product {command.product_id} already exists")
            if refusal := _check_details(command.name, command.description, command.category) \
                    or _check_price(command.price):
                return refusal
            return [ProductCreated(command.product_id, command.name.strip(), command.description,
                                   command.category.strip(), command.price, command.at)]
        case UpdateProductDetails():
            if refusal := _check_changeable(state, command.product_id):
                return refusal
            name = state.name if command.name is None else command.name.strip()
            description = state.description if command.description is None else command.description
            category = state.category if command.category is None else command.category.strip()
            if refusal := _check_details(name, description, category):
                return refusal
            if (name, description, category) == (state.name, state.description, state.category):
                return []
            return [ProductDetailsUpdated(state.product_id, name, description, category, command.at)]
        case ChangeProductPrice():
            if refusal := _check_changeable(state, command.product_id) or _check_price(command.price):
                return refusal
            if command.price == state.price:
                return []
            return [ProductPriceChanged(state.product_id, command.price, state.price, command.at)]
        case DiscontinueProduct():
            if not state.exists:
                return _not_found(command.product_id)
            if state.status is ProductStatus.DISCONTINUED:
                return []
            return [ProductDiscontinued(state.product_id, command.reason, command.at)]


def evolve(state: Product, event: ProductEvent) -> Product:
    match event:
        case ProductCreated():
            return Product(event.product_id, state.version + 1, event.name, event.description,
                           event.category, event.price, ProductStatus.ACTIVE)
        case ProductDetailsUpdated():
            return replace(state, version=state.version + 1, name=event.name,
                           description=event.description, category=event.category)
        case ProductPriceChanged():
            return replace(state, version=state.version + 1, price=event.price)
        case ProductDiscontinued():
            return replace(state, version=state.version + 1, status=ProductStatus.DISCONTINUED)


def _not_found(product_id: str) -> Rejection:
    return Rejection("product_not_found", f"product {product_id} does not exist",
                     RejectionKind.NOT_FOUND)


def _check_changeable(state: Product, product_id: str) -> Rejection | None:
    if not state.exists:
        return _not_found(product_id)
    if state.status is ProductStatus.DISCONTINUED:
        return Rejection("product_discontinued", f"product {product_id} is discontinued")
    return None


def _check_details(name: str, description: str, category: str) -> Rejection | None:
    if not name.strip() or len(name) > MAX_NAME_LENGTH:
        return Rejection("invalid_name", f"name must be 1 to {MAX_NAME_LENGTH} characters",
                         RejectionKind.INVALID)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        return Rejection("invalid_description",
                         f"description must be at most {MAX_DESCRIPTION_LENGTH} characters",
                         RejectionKind.INVALID)
    if not category.strip():
        return Rejection("invalid_category", "category must not be empty", RejectionKind.INVALID)
    return None


def _check_price(price: Decimal) -> Rejection | None:
    if not price.is_finite() or price <= 0 or price > MAX_PRICE or price != price.quantize(CENT):
        return Rejection("invalid_price",
                         f"price must be positive, at most {MAX_PRICE}, with at most two decimals",
                         RejectionKind.INVALID)
    return None
