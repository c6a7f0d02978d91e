"""Catalog writes. Admin-only once authentication lands; open until then."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from aggregates.product import ChangeProductPrice, CreateProduct, DiscontinueProduct, UpdateProductDetails
from commands.api.deps import (
    Bus,
    CorrelationId,
    ExpectedVersion,
    IdempotencyKey,
    aggregate_id_for,
    command_id_for,
    now,
)
from commands.api.outcomes import respond
from schemas.catalog import command_to_record
from schemas.envelope import CommandMetadata

router = APIRouter(prefix="/api/products", tags=["products"])

Money = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2, allow_inf_nan=False)]
ProductId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateProductBody(Strict):
    productId: str | None = Field(None, pattern=r"^[A-Za-z0-9._:-]{1,64}$")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    category: str = Field(min_length=1, max_length=100)
    price: Money


class UpdateProductBody(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    category: str | None = Field(None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _something_to_change(self) -> "UpdateProductBody":
        if self.name is None and self.description is None and self.category is None:
            raise ValueError("give at least one of name, description, category")
        return self


class ChangePriceBody(Strict):
    price: Money


class DiscontinueBody(Strict):
    reason: str = Field("", max_length=500)


async def _send(bus: Bus, command: object, product_id: str, key: str | None, action: str,
                correlation: str, expected: int | None, created: bool = False) -> JSONResponse:
    name, record = command_to_record(command)  # type: ignore[arg-type]
    meta = CommandMetadata(command_id_for(product_id, key, action), name, product_id, correlation,
                           expected)
    sent = await bus.send("catalog", meta, name, record)
    return respond(sent, "productId", f"/api/products/{product_id}", created=created)


@router.post("", status_code=201)
async def create_product(body: CreateProductBody, bus: Bus, key: IdempotencyKey,
                         correlation: CorrelationId, expected: ExpectedVersion) -> JSONResponse:
    product_id = body.productId or aggregate_id_for(key)
    command = CreateProduct(product_id, body.name, body.description, body.category, body.price, now())
    return await _send(bus, command, product_id, key, "create", correlation, expected, created=True)


@router.put("/{product_id}")
async def update_product(product_id: ProductId, body: UpdateProductBody, bus: Bus, key: IdempotencyKey,
                         correlation: CorrelationId, expected: ExpectedVersion) -> JSONResponse:
    command = UpdateProductDetails(product_id, body.name, body.description, body.category, now())
    return await _send(bus, command, product_id, key, "update", correlation, expected)


@router.put("/{product_id}/price")
async def change_price(product_id: ProductId, body: ChangePriceBody, bus: Bus, key: IdempotencyKey,
                       correlation: CorrelationId, expected: ExpectedVersion) -> JSONResponse:
    command = ChangeProductPrice(product_id, body.price, now())
    return await _send(bus, command, product_id, key, "price", correlation, expected)


@router.post("/{product_id}/discontinue")
async def discontinue_product(product_id: ProductId, body: DiscontinueBody, bus: Bus,
                              key: IdempotencyKey, correlation: CorrelationId,
                              expected: ExpectedVersion) -> JSONResponse:
    command = DiscontinueProduct(product_id, body.reason, now())
    return await _send(bus, command, product_id, key, "discontinue", correlation, expected)
