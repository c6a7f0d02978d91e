"""The projectors draining a backlog: live into PostgreSQL, live into OpenSearch, and a rebuild.

Everything runs over an isolated events topic (6 partitions), database, search
alias and schema registry, removed afterwards. A live projector's rate is
measured from its first applied batch to its last, by polling its checkpoints.
"""

import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from confluent_kafka.admin import AdminClient

from infra.child_process import free_port, start
from infra.settings import Settings
from projections.bootstrap import ProjectorSpec, connect
from projections.pg_control import live_checkpoints
from projections.rebuild import rebuild
from tests.support.catalog_events import CatalogEventWriter, history, unique_id
from tests.support.read_side import ReadSide, isolated_read_side, start_streams

EVENTS_PER_PRODUCT = 4  # created, then three price changes
CHUNK = 5000  # events per Kafka transaction


def _fill(side: ReadSide, events: int) -> int:
    """Append about `events` events; the sum of the partitions' end offsets reached."""
    writer = CatalogEventWriter(side.settings.kafka_bootstrap, side.settings.schema_registry_url,
                                side.topic)
    ends: dict[tuple[str, int], int] = {}
    products = [unique_id() for _ in range(max(1, events // EVENTS_PER_PRODUCT))]
    step = CHUNK // EVENTS_PER_PRODUCT
    for start_at in range(0, len(products), step):
        batch = [e for pid in products[start_at:start_at + step]
                 for e in history(pid, price_changes=["5.00", "6.00", "7.00"])]
        ends.update(writer.append(batch).positions)
    return sum(ends.values())


async def _applied(dsn: str, projection: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return sum((await live_checkpoints(conn, projection)).values())
    except asyncpg.UndefinedTableError:
        return 0
    finally:
        await conn.close()


def _live_rate(side: ReadSide, projector: str, end: int, events: int, timeout: float = 600) -> float:
    """Events/s of `python -m streams <projector>` from its first applied batch to its last."""
    process, _ = start_streams(side, projector, name=f"bench-{projector}")
    try:
        first: tuple[float, int] | None = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            applied = asyncio.run(_applied(side.settings.postgres_dsn, projector))
            now = time.monotonic()
            if applied and first is None:
                first = (now, applied)
            if applied >= end and first is not None:
                offsets = max(1, applied - first[1])
                return offsets * events / end / max(now - first[0], 1e-3)
            time.sleep(0.05)
        raise TimeoutError(f"{projector} did not drain {end} offsets in {timeout} s")
    finally:
        process.stop()


async def _rebuild_rate(side: ReadSide) -> float:
    clients = await connect(side.settings, side.projection_settings)
    try:
        result = await rebuild(ProjectorSpec("products"), clients,
                               workers=side.projection_settings.rebuild_workers,
                               batch_size=side.projection_settings.rebuild_batch_size)
        return result.events / result.seconds
    finally:
        await clients.close()


def run(settings: Settings, events: int = 100_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="projection-bench-") as tmp:
        work = Path(tmp)
        port, schemas = free_port(), f"_schemas_bench_{uuid.uuid4().hex[:8]}"
        registry = start("bench-registry", "schemas.registry.cli", "serve",
                         env={"SHOP_REGISTRY_TOPIC": schemas, "SHOP_REGISTRY_PORT": str(port)},
                         health_url=f"http://127.0.0.1:{port}/subjects", log_dir=work)
        try:
            with isolated_read_side(settings, f"http://127.0.0.1:{port}", work / "side") as side:
                end = _fill(side, events)
                written = (events // EVENTS_PER_PRODUCT) * EVENTS_PER_PRODUCT
                return {
                    "postgres_events_per_second": _live_rate(side, "products", end, written),
                    "search_events_per_second": _live_rate(side, "products_search", end, written),
                    "rebuild_events_per_second": asyncio.run(_rebuild_rate(side)),
                }
        finally:
            registry.stop()
            AdminClient({"bootstrap.servers": settings.kafka_bootstrap}).delete_topics([schemas])


if __name__ == "__main__":
    from infra.logs import configure_logging
    from infra.settings import get_settings

    configure_logging("bench", level="WARNING")
    print(run(get_settings()))
