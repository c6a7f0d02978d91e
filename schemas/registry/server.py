"""The registry as a process: the Kafka-backed store, the API, /metrics, JSON logs."""

import logging

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from infra.logs import configure_logging
from infra.topics import TopicSpec, ensure_topics
from schemas.registry.app import create_app
from schemas.registry.log import KafkaRegistryLog
from schemas.registry.settings import RegistrySettings
from schemas.registry.state import subjects

log = logging.getLogger(__name__)


def build_store(settings: RegistrySettings) -> KafkaRegistryLog:
    if settings.create_topic:
        compacted = {"cleanup.policy": "compact", "min.insync.replicas": "1"}
        created = ensure_topics(
            settings.kafka_bootstrap, [TopicSpec(settings.topic, 1, compacted)], settings.timeout_s
        )
        if created:
            log.info("created topic %s", settings.topic)
    return KafkaRegistryLog(
        settings.kafka_bootstrap,
        settings.topic,
        transactional_id=settings.transactional_id,
        default_level=settings.default_compatibility,
        timeout_s=settings.timeout_s,
    )


def build_app(store: KafkaRegistryLog) -> FastAPI:
    """The API with a Prometheus /metrics endpoint about this store."""
    app = create_app(store)
    # A registry per app, so several apps (tests) can live in one process.
    metrics = CollectorRegistry()
    ProcessCollector(registry=metrics)
    PlatformCollector(registry=metrics)
    Gauge("schema_registry_subjects", "Subjects with a live version", registry=metrics
          ).set_function(lambda: len(subjects(store.current())))
    Gauge("schema_registry_schemas", "Distinct schema ids", registry=metrics).set_function(
        lambda: len({v.schema_id for versions in store.current().versions.values()
                     for v in versions.values()})
    )
    Gauge("schema_registry_log_position", "Next offset of the schemas topic to read",
          registry=metrics).set_function(lambda: store.position)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics), media_type=CONTENT_TYPE_LATEST)

    return app


def serve(settings: RegistrySettings, host: str, port: int) -> None:
    """Read the whole topic, then serve until interrupted."""
    configure_logging("schema-registry", settings.log_level.upper())
    store = build_store(settings)
    store.start()
    log.info("read %s up to offset %d", settings.topic, store.position)
    try:
        # No log_config: uvicorn's loggers then propagate to the JSON root handler.
        uvicorn.run(build_app(store), host=host, port=port, log_config=None)
    finally:
        store.stop()
