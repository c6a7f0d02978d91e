"""The query API's clients, built from settings in the app's lifespan (nothing at import)."""

from dataclasses import dataclass

import asyncpg
from opensearchpy import AsyncOpenSearch

from infra.settings import Settings
from projections.bootstrap import PRODUCTS, PRODUCTS_SEARCH
from projections.settings import ProjectionSettings
from query_api.catalog import ProductCatalog
from query_api.consistency import ConsistencyGate
from query_api.search import ProductSearch
from query_api.settings import QueryApiSettings


@dataclass
class ReadSide:
    settings: QueryApiSettings
    pool: asyncpg.Pool
    search_client: AsyncOpenSearch
    catalog: ProductCatalog
    search: ProductSearch
    gate: ConsistencyGate
    catalog_projection: str = PRODUCTS
    search_projection: str = PRODUCTS_SEARCH

    async def close(self) -> None:
        await self.search_client.close()
        await self.pool.close()


async def connect(settings: Settings, projection_settings: ProjectionSettings,
                  query_settings: QueryApiSettings) -> ReadSide:
    pool = await asyncpg.create_pool(settings.postgres_dsn, min_size=1,
                                     max_size=query_settings.postgres_pool_size)
    client = AsyncOpenSearch(hosts=[settings.opensearch_url])
    gate = ConsistencyGate(pool, {projection_settings.events_topic},
                           query_settings.consistency_wait_seconds,
                           query_settings.consistency_poll_seconds)
    return ReadSide(query_settings, pool, client,
                    ProductCatalog(pool, projection_settings.products_view),
                    ProductSearch(client, projection_settings.search_alias), gate)
