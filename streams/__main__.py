"""`python -m streams [PROJECTOR ...]`: run the projectors (default: all) in one Faust worker.

Logs are JSON lines on stdout; Faust's own logging stays at WARN. Prometheus
metrics are on 127.0.0.1:SHOP_STREAMS_METRICS_PORT (default 6066) at /metrics.
"""

import logging
import sys

import faust
from prometheus_client import start_http_server

from infra.logs import configure_logging
from infra.settings import get_settings
from projections.bootstrap import PROJECTORS
from projections.settings import get_projection_settings
from streams.app import build_app


def main(argv: list[str]) -> None:
    projectors = tuple(argv) or PROJECTORS
    unknown = set(projectors) - set(PROJECTORS)
    if unknown:
        sys.exit(f"unknown projector(s) {', '.join(sorted(unknown))}; known: {', '.join(PROJECTORS)}")
    settings = get_settings()
    configure_logging("streams", "WARNING")
    for name in ("streams", "projections"):
        logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger("streams.service").setLevel(logging.WARNING)  # mode's service chatter
    start_http_server(settings.streams_metrics_port, addr="127.0.0.1")
    app = build_app(settings, get_projection_settings(), projectors)
    worker = faust.Worker(app, loglevel="warn", quiet=True, redirect_stdouts=False,
                          override_logging=False)
    worker.execute_from_commandline()


if __name__ == "__main__":
    main(sys.argv[1:])
