"""GET /api/products/{id}, GET /api/products, POST /api/products/search."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from infra.http_errors import ApiError
from query_api.deps import CatalogConsistent, ReadSideDep, TokenDep, await_projection
from query_api.models import Product, ProductPage, SearchRequest

router = APIRouter(prefix="/api/products", tags=["products"])

Page = Annotated[int, Query(ge=1, le=10000)]
Size = Annotated[int, Query(ge=1, le=100)]


@router.get("", response_model=ProductPage, dependencies=[CatalogConsistent])
async def list_products(side: ReadSideDep, category: Annotated[str | None, Query(max_length=200)] = None,
                        page: Page = 1, size: Size = 20) -> ProductPage:
    items, total = await side.catalog.page(category, page, size)
    return ProductPage(items=items, page=page, size=size, total=total)


@router.post("/search", response_model=ProductPage)
async def search_products(body: SearchRequest, side: ReadSideDep, token: TokenDep,
                          request: Request) -> ProductPage:
    if await await_projection(side, token, side.search_projection, request):
        await side.search.refresh()  # what the token covers is indexed; make it searchable
    items, total = await side.search.search(body)
    return ProductPage(items=items, page=body.page, size=body.size, total=total)


@router.get("/{product_id}", response_model=Product, dependencies=[CatalogConsistent])
async def get_product(product_id: str, side: ReadSideDep) -> Product:
    product = await side.catalog.product(product_id)
    if product is None:
        raise ApiError(404, "product_not_found", f"product {product_id} does not exist")
    return product
