"""Catalog commands and events <-> Avro records (`shop.catalog.*`).

The aggregate module never serializes; these mappers are the only place where
the Python names meet the wire names integrators see.
"""

from decimal import Decimal
from typing import Any

from aggregates.product import (
    ChangeProductPrice,
    CreateProduct,
    DiscontinueProduct,
    Product,
    ProductCommand,
    ProductCreated,
    ProductDetailsUpdated,
    ProductDiscontinued,
    ProductEvent,
    ProductPriceChanged,
    ProductStatus,
    UpdateProductDetails,
)

NAMESPACE = "shop.catalog"
CENT = Decimal("0.01")

Record = tuple[str, dict[str, Any]]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def event_to_record(event: ProductEvent) -> Record:
    match event:
        case ProductCreated():
            return f"{NAMESPACE}.ProductCreated", {
                "productId": event.product_id, "name": event.name, "description": event.description,
                "category": event.category, "price": _money(event.price), "timestamp": event.at}
        case ProductDetailsUpdated():
            return f"{NAMESPACE}.ProductDetailsUpdated", {
                "productId": event.product_id, "name": event.name, "description": event.description,
                "category": event.category, "timestamp": event.at}
        case ProductPriceChanged():
            return f"{NAMESPACE}.ProductPriceChanged", {
                "productId": event.product_id, "price": _money(event.price),
                "previousPrice": _money(event.previous_price), "timestamp": event.at}
        case ProductDiscontinued():
            return f"{NAMESPACE}.ProductDiscontinued", {
                "productId": event.product_id, "reason": event.reason, "timestamp": event.at}


def event_from_record(name: str, r: dict[str, Any]) -> ProductEvent:
    match name.removeprefix(f"{NAMESPACE}."):
        case "ProductCreated":
            return ProductCreated(r["productId"], r["name"], r["description"], r["category"],
                                  r["price"], r["timestamp"])
        case "ProductDetailsUpdated":
            return ProductDetailsUpdated(r["productId"], r["name"], r["description"], r["category"],
                                         r["timestamp"])
        case "ProductPriceChanged":
            return ProductPriceChanged(r["productId"], r["price"], r["previousPrice"], r["timestamp"])
        case "ProductDiscontinued":
            return ProductDiscontinued(r["productId"], r["reason"], r["timestamp"])
    raise ValueError(f"not a catalog event: {name}")


def command_to_record(command: ProductCommand) -> Record:
    match command:
        case CreateProduct():
            return f"{NAMESPACE}.CreateProduct", {
                "productId": command.product_id, "name": command.name,
                "description": command.description, "category": command.category,
                "price": command.price, "timestamp": command.at}
        case UpdateProductDetails():
            return f"{NAMESPACE}.UpdateProductDetails", {
                "productId": command.product_id, "name": command.name,
                "description": command.description, "category": command.category,
                "timestamp": command.at}
        case ChangeProductPrice():
            return f"{NAMESPACE}.ChangeProductPrice", {
                "productId": command.product_id, "price": command.price, "timestamp": command.at}
        case DiscontinueProduct():
            return f"{NAMESPACE}.DiscontinueProduct", {
                "productId": command.product_id, "reason": command.reason, "timestamp": command.at}


def command_from_record(name: str, r: dict[str, Any]) -> ProductCommand:
    match name.removeprefix(f"{NAMESPACE}."):
        case "CreateProduct":
            return CreateProduct(r["productId"], r["name"], r["description"], r["category"],
                                 r["price"], r["timestamp"])
        case "UpdateProductDetails":
            return UpdateProductDetails(r["productId"], r["name"], r["description"], r["category"],
                                        r["timestamp"])
        case "ChangeProductPrice":
            return ChangeProductPrice(r["productId"], r["price"], r["timestamp"])
        case "DiscontinueProduct":
            return DiscontinueProduct(r["productId"], r["reason"], r["timestamp"])
    raise ValueError(f"not a catalog command: {name}")


def product_to_snapshot(state: Product) -> dict[str, Any]:
    return {"productId": state.product_id, "version": state.version, "name": state.name,
            "description": state.description, "category": state.category, "price": str(state.price),
            "status": state.status.value if state.status else None}


def product_from_snapshot(data: dict[str, Any]) -> Product:
    return Product(data["productId"], data["version"], data["name"], data["description"],
                   data["category"], Decimal(data["price"]),
                   ProductStatus(data["status"]) if data["status"] else None)
