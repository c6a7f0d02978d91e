"""`shop projections status`: position, lag in events and seconds, dead letters."""

import pytest
from typer.testing import CliRunner, Result

from infra.settings import get_settings
from projections.bootstrap import ProjectionClients
from projections.cli import projections_app
from projections.pg_products import ProductTables
from projections.projector import Projector
from projections.settings import get_projection_settings
from projections.status import projector_status
from tests.projections.conftest import Append, read_back
from tests.support.catalog_events import history, unique_id
from tests.support.read_side import ReadSide

pytestmark = pytest.mark.stack


async def test_status_counts_what_is_not_applied_yet(
        append: Append, pg_projector: Projector,
        product_tables: ProductTables, projection_clients: ProjectionClients,
        read_side: ReadSide) -> None:
    await pg_projector.apply(read_back(read_side, {}))

    async def status() -> object:
        (row,) = await projector_status(projection_clients.pool, read_side.settings.kafka_bootstrap,
                                        read_side.topic, [product_tables.projection])
        return row

    caught_up = await status()
    assert (caught_up.lag_events, caught_up.lag_exact, caught_up.lag_seconds) == (0, True, 0.0)
    assert caught_up.live_version == 1

    records = append(history(unique_id(), price_changes=["1.00", "2.00"]))
    behind = await status()
    assert (behind.lag_events, behind.lag_exact) == (3, True)
    assert behind.lag_seconds > 0

    await pg_projector.apply(records)
    after = await status()
    assert after.lag_events == 0
    assert after.positions == {**caught_up.positions,
                               **{r.partition: r.offset + 1 for r in records}}


def run_cli(read_side: ReadSide, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """`shop projections ARGS` with the session's isolated settings."""
    for key, value in read_side.env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    get_projection_settings.cache_clear()
    try:
        return CliRunner().invoke(projections_app, list(args), env={"COLUMNS": "200"})
    finally:
        get_settings.cache_clear()
        get_projection_settings.cache_clear()


def test_the_rebuild_command_swaps_in_a_new_version_and_says_so(
        read_side: ReadSide, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_cli(read_side, monkeypatch, "rebuild", "products")
    second = run_cli(read_side, monkeypatch, "rebuild", "products")
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "products: version" in second.output and "is live" in second.output
    assert "events/s" in second.output


def test_the_rebuild_command_refuses_an_unknown_projector(
        read_side: ReadSide, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(read_side, monkeypatch, "rebuild", "nope")
    assert result.exit_code == 2 and "unknown projector" in result.output


def test_the_status_command_prints_a_table(read_side: ReadSide,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(read_side, monkeypatch, "status")
    assert result.exit_code == 0, result.output
    assert "products_search" in result.output and "lag (events)" in result.output
