"""Response bodies. Money is a string with two decimals ("12.50"), never a float."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

Money = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.2f}", return_type=str)]


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Product(CamelModel):
    product_id: str
    name: str
    description: str
    category: str
    price: Money
    status: str
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> "Product":
        return cls(**{name: row[name] for name in cls.model_fields})


class ProductPage(CamelModel):
    items: list[Product]
    page: int
    size: int
    total: int


class Category(CamelModel):
    name: str
    product_count: int


class Categories(CamelModel):
    items: list[Category]


class SearchRequest(CamelModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    query: str = Field("", max_length=200, description="Full-text query; empty lists everything")
    category: str | None = Field(None, max_length=200)
    include_discontinued: bool = False
    page: int = Field(1, ge=1, le=1000)
    size: int = Field(20, ge=1, le=100)
