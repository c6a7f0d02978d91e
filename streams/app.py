"""The Faust application: one service per projector, each its own consumer-group member.

Each `ProjectorService` reads committed records in batches of thousands, hands
them to its projector, which applies them to its store and records the position
there, exactly once in effect; only then are the offsets committed to the
group. Partitions start from the store's checkpoints, so a crash at any point
replays from the last applied batch and the store skips what it already has. A
batch that keeps failing crashes the worker rather than being skipped, so the
process manager restarts it from the checkpoints.

Each projector has its own consumer group (`<prefix>-<projector>`): workers
running the same projector (`python -m streams products`) share its partitions.
"""

from collections.abc import Sequence
from typing import Any

import faust
from faust.app.base import BootStrategy
from mode.types.signals import BaseSignalT

from infra.settings import Settings
from projections.bootstrap import PROJECTORS
from projections.settings import ProjectionSettings
from streams.runtime import ProjectorRuntime
from streams.service import ProjectorService

LAG_INTERVAL = 5.0


def build_app(settings: Settings, projection_settings: ProjectionSettings,
              projectors: Sequence[str] = PROJECTORS) -> faust.App:
    datadir = settings.stack_dir / "faust"
    datadir.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    app = faust.App(
        "-".join([projection_settings.consumer_group_prefix, "app", *projectors]),
        broker=[f"kafka://{address}" for address in settings.kafka_bootstrap.split(",")],
        topic_disable_leader=True,  # no leader topic: this app declares no topics at all
        web_enabled=False,  # /metrics is served by prometheus_client (streams.__main__)
        datadir=str(datadir),
    )
    # Faust's own consumer and producer stay off: with no agents it would subscribe to
    # nothing (which aiokafka refuses); each ProjectorService owns its Kafka consumer.
    app.boot_strategy = BootStrategy(app, enable_kafka=False)
    runtime = ProjectorRuntime(settings, projection_settings)
    services = [ProjectorService(name, runtime, loop=app.loop, beacon=app.beacon)
                for name in projectors]

    @app.task
    async def start_projectors() -> None:
        for service in services:  # children of the app: stopped (and crashing) with it
            await app.add_runtime_dependency(service)

    app.timer(LAG_INTERVAL)(runtime.update_lag)

    async def close_clients(sender: Any, /, *args: Any, signal: BaseSignalT[Any],
                            **kwargs: Any) -> None:
        await runtime.close()

    app.on_before_shutdown.connect(close_clients)
    app.runtime = runtime  # type: ignore[attr-defined]  # for tests and diagnostics
    return app
