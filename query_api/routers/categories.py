"""GET /api/categories: the categories of active products, with how many each has."""

from fastapi import APIRouter

from query_api.deps import CatalogConsistent, ReadSideDep
from query_api.models import Categories

router = APIRouter(prefix="/api/categories", tags=["categories"])


@router.get("", response_model=Categories, dependencies=[CatalogConsistent])
async def list_categories(side: ReadSideDep) -> Categories:
    return Categories(items=await side.catalog.categories())
