"""The product read model in PostgreSQL, through the view the projector keeps pointing
at the live version (see projections/pg_products.py)."""

from typing import Any

import asyncpg

from query_api.models import Category, Product

_COLUMNS = "product_id, name, description, category, price, status, version, created_at, updated_at"


class ProductCatalog:
    def __init__(self, pool: asyncpg.Pool, view: str) -> None:
        self._pool, self._view = pool, view

    async def product(self, product_id: str) -> Product | None:
        row = await self._pool.fetchrow(
            f"SELECT {_COLUMNS} FROM {self._view} WHERE product_id = $1", product_id)
        return None if row is None else Product.from_row(row)

    async def page(self, category: str | None, page: int, size: int) -> tuple[list[Product], int]:
        where, args = ("WHERE category = $1", [category]) if category else ("", [])
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS}, count(*) OVER () AS total FROM {self._view} {where}"
            f" ORDER BY name, product_id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
            *args, size, (page - 1) * size)
        if rows:
            return [Product.from_row(row) for row in rows], int(rows[0]["total"])
        # A page past the end still reports the total.
        total: Any = await self._pool.fetchval(f"SELECT count(*) FROM {self._view} {where}", *args)
        return [], int(total)

    async def categories(self) -> list[Category]:
        rows = await self._pool.fetch(
            f"SELECT category, count(*) AS n FROM {self._view} WHERE status = 'active'"
            " GROUP BY category ORDER BY category")
        return [Category(name=row["category"], product_count=row["n"]) for row in rows]
