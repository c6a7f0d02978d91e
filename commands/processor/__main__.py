"""`python -m commands.processor`: run one command-processor instance."""

from prometheus_client import start_http_server

from commands.contexts import AGGREGATE_TYPES
from commands.processor.runner import CommandProcessor
from commands.settings import ProcessorSettings
from infra.bootstrap import build_codec
from infra.logs import configure_logging
from infra.settings import get_settings
from infra.topics import events_topic
from schemas.catalogue import project_catalogue


def main() -> None:
    settings, processor_settings = get_settings(), ProcessorSettings()
    configure_logging(f"processor-{processor_settings.context}")
    kind = AGGREGATE_TYPES[processor_settings.context]
    codec = build_codec(settings)
    # Fail at start, not on the first command, if the registry refuses our schemas.
    codec.register_all(events_topic(kind.context, settings.topic_prefix),
                       project_catalogue().names(kind.context, "events"))
    if processor_settings.metrics_port:
        start_http_server(processor_settings.metrics_port, addr="127.0.0.1")
    CommandProcessor(settings.kafka_bootstrap, kind, codec, processor_settings,
                     settings.topic_prefix).run()


if __name__ == "__main__":
    main()
