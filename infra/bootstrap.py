"""One place that builds clients from settings; every process calls it, tests pass their own."""

from functools import cache

from confluent_kafka.schema_registry import SchemaRegistryClient

from infra.settings import Settings
from schemas.catalogue import project_catalogue
from schemas.codec import AvroCodec
from schemas.upcasting import Upcasters


@cache
def _registry(url: str) -> SchemaRegistryClient:
    # Caches ids and schemas: steady-state encoding and decoding make no HTTP call.
    return SchemaRegistryClient({"url": url})


def build_codec(settings: Settings, upcasters: Upcasters | None = None) -> AvroCodec:
    return AvroCodec(_registry(settings.schema_registry_url), project_catalogue(), upcasters)
