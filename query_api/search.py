"""Full-text product search in OpenSearch, through the alias a rebuild swaps."""

from typing import Any

from opensearchpy import AsyncOpenSearch

from query_api.models import Product, SearchRequest

SEARCH_FIELDS = ["name^3", "category^2", "description"]


def search_body(request: SearchRequest) -> dict[str, Any]:
    """The query DSL: every word must match somewhere (stemmed, synonyms at search time);
    name prefixes help search-as-you-type; exact category and status filter."""
    filters: list[dict[str, Any]] = []
    if request.category:
        filters.append({"term": {"category.keyword": request.category}})
    if not request.include_discontinued:
        filters.append({"term": {"status": "active"}})
    if request.query.strip():
        match: dict[str, Any] = {"bool": {"should": [
            {"multi_match": {"query": request.query, "fields": SEARCH_FIELDS,
                             "type": "cross_fields", "operator": "and"}},
            {"match_bool_prefix": {"name.prefix": {"query": request.query, "operator": "and"}}},
        ], "minimum_should_match": 1}}
    else:
        match = {"match_all": {}}
    return {
        "query": {"bool": {"must": [match], "filter": filters}},
        "sort": ["_score", {"name.keyword": "asc"}, {"productId": "asc"}],
        "from": (request.page - 1) * request.size,
        "size": request.size,
        "track_total_hits": True,
    }


class ProductSearch:
    def __init__(self, client: AsyncOpenSearch, alias: str) -> None:
        self._client, self._alias = client, alias

    async def search(self, request: SearchRequest) -> tuple[list[Product], int]:
        found = await self._client.search(index=self._alias, body=search_body(request))
        hits = found["hits"]
        return [Product.model_validate(hit["_source"]) for hit in hits["hits"]], int(
            hits["total"]["value"])

    async def refresh(self) -> None:
        """Make everything indexed so far searchable (read-your-writes after a wait)."""
        await self._client.indices.refresh(index=self._alias)
