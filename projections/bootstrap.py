"""Builds the projectors' clients and stores from the settings; nothing at import time.

The Faust app, a rebuild, `shop projections status` and the tests all come
through here (tests with their own settings).
"""

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from opensearchpy import AsyncOpenSearch

from infra.bootstrap import build_codec
from infra.settings import Settings
from projections.dead_letters import KafkaDeadLetters
from projections.decoding import CatalogEventDecoder
from projections.pg_products import ProductTables
from projections.projector import Projector
from projections.search_store import ProductSearchIndex
from projections.settings import ProjectionSettings
from projections.store import ProjectionStore

PRODUCTS = "products"
PRODUCTS_SEARCH = "products_search"
PROJECTORS = (PRODUCTS, PRODUCTS_SEARCH)


class UnknownProjector(ValueError):
    pass


@dataclass
class ProjectionClients:
    settings: Settings
    projection_settings: ProjectionSettings
    pool: asyncpg.Pool
    search: AsyncOpenSearch

    async def close(self) -> None:
        await self.search.close()
        await self.pool.close()


async def connect(settings: Settings, projection_settings: ProjectionSettings) -> ProjectionClients:
    pool = await asyncpg.create_pool(settings.postgres_dsn, min_size=1,
                                     max_size=projection_settings.postgres_pool_size)
    search = AsyncOpenSearch(hosts=[settings.opensearch_url])
    return ProjectionClients(settings, projection_settings, pool, search)


@dataclass(frozen=True)
class ProjectorSpec:
    """Which projector, and (for tests, side by side) under which store names.

    Picklable, so a rebuild's worker processes can build the same projector.
    """

    kind: str  # one of PROJECTORS
    projection: str | None = None  # default: the kind
    target: str | None = None  # view (PostgreSQL) or alias (OpenSearch); default from settings

    def build_store(self, clients: "ProjectionClients") -> ProjectionStore:
        settings = clients.projection_settings
        projection = self.projection or self.kind
        builders: dict[str, Callable[[], ProjectionStore]] = {
            PRODUCTS: lambda: ProductTables(clients.pool, projection,
                                            self.target or settings.products_view),
            PRODUCTS_SEARCH: lambda: ProductSearchIndex(clients.search, clients.pool,
                                                        self.target or settings.search_alias,
                                                        projection),
        }
        if self.kind not in builders:
            raise UnknownProjector(
                f"unknown projector {self.kind!r}; known: {', '.join(PROJECTORS)}")
        return builders[self.kind]()

    def build(self, clients: "ProjectionClients") -> Projector:
        store = self.build_store(clients)
        return Projector(store.projection, store, build_decoder(clients.settings),
                         KafkaDeadLetters(clients.settings.kafka_bootstrap))


def build_store(name: str, clients: ProjectionClients) -> ProjectionStore:
    return ProjectorSpec(name).build_store(clients)


def build_decoder(settings: Settings) -> CatalogEventDecoder:
    return CatalogEventDecoder(build_codec(settings))


def build_projector(name: str, clients: ProjectionClients) -> Projector:
    return ProjectorSpec(name).build(clients)
