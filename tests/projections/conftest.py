"""Projectors over the real stack: records written to the session's topic through the
real registry, read back with a read_committed consumer, applied to real stores."""

import uuid
from collections.abc import Callable, Sequence
from typing import cast

import pytest

from projections.bootstrap import (
    PRODUCTS,
    PRODUCTS_SEARCH,
    ProjectionClients,
    ProjectorSpec,
    build_decoder,
)
from projections.dead_letters import KafkaDeadLetters
from projections.decoding import CatalogEventDecoder
from projections.pg_products import ProductTables
from projections.projector import Projector
from projections.records import Headers, SourceRecord
from projections.search_store import ProductSearchIndex
from projections.store import setup
from tests.support.catalog_events import CatalogEventWriter, Envelope
from tests.support.kafka import end_offsets
from tests.support.read_side import ReadSide, read_topic

Append = Callable[[Sequence[Envelope]], list[SourceRecord]]


@pytest.fixture(scope="session")
def decoder(read_side: ReadSide) -> CatalogEventDecoder:
    return build_decoder(read_side.settings)


@pytest.fixture(scope="session")
def dead_letters(read_side: ReadSide) -> KafkaDeadLetters:
    return KafkaDeadLetters(read_side.settings.kafka_bootstrap)


@pytest.fixture
def append(read_side: ReadSide, event_writer: CatalogEventWriter) -> Append:
    """Append events in one transaction; the records as a read_committed reader gets them."""
    def run(items: Sequence[Envelope]) -> list[SourceRecord]:
        since = end_offsets(read_side.settings.kafka_bootstrap, read_side.topic)
        event_writer.append(items)
        return read_back(read_side, since)
    return run


@pytest.fixture
def append_raw(read_side: ReadSide, event_writer: CatalogEventWriter
               ) -> Callable[[Sequence[tuple[bytes, bytes | None, Headers]]], list[SourceRecord]]:
    def run(records: Sequence[tuple[bytes, bytes | None, Headers]]) -> list[SourceRecord]:
        since = end_offsets(read_side.settings.kafka_bootstrap, read_side.topic)
        event_writer.append_raw(records)
        return read_back(read_side, since)
    return run


def read_back(read_side: ReadSide, since: dict[int, int]) -> list[SourceRecord]:
    return read_topic(read_side.settings.kafka_bootstrap, read_side.topic, since)


@pytest.fixture
async def pg_spec(projection_clients: ProjectionClients) -> ProjectorSpec:
    """A PostgreSQL products projection of its own, set up, beside any other."""
    name = f"products_{uuid.uuid4().hex[:8]}"
    spec = ProjectorSpec(PRODUCTS, projection=name, target=name)
    await setup(spec.build_store(projection_clients))
    return spec


@pytest.fixture
async def search_spec(projection_clients: ProjectionClients, read_side: ReadSide) -> ProjectorSpec:
    suffix = uuid.uuid4().hex[:8]
    spec = ProjectorSpec(PRODUCTS_SEARCH, projection=f"products_search_{suffix}",
                         target=f"{read_side.projection_settings.search_alias}-{suffix}")
    await setup(spec.build_store(projection_clients))
    return spec


@pytest.fixture
def product_tables(pg_spec: ProjectorSpec, projection_clients: ProjectionClients) -> ProductTables:
    return cast(ProductTables, pg_spec.build_store(projection_clients))


@pytest.fixture
def search_index(search_spec: ProjectorSpec,
                 projection_clients: ProjectionClients) -> ProductSearchIndex:
    return cast(ProductSearchIndex, search_spec.build_store(projection_clients))


@pytest.fixture
def pg_projector(pg_spec: ProjectorSpec, projection_clients: ProjectionClients) -> Projector:
    return pg_spec.build(projection_clients)


@pytest.fixture
def search_projector(search_spec: ProjectorSpec, projection_clients: ProjectionClients) -> Projector:
    return search_spec.build(projection_clients)
