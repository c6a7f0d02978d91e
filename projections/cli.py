"""`shop projections`: rebuild a read model, and see where every projector is.

Mounted by infra/cli.py as `app.add_typer(projections_app, name="projections")`.
"""

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from infra.settings import get_settings
from projections.bootstrap import PROJECTORS, ProjectorSpec, UnknownProjector, connect
from projections.pg_control import ensure_control_tables
from projections.rebuild import RebuildProgress, RebuildRefused, RebuildResult, rebuild
from projections.settings import get_projection_settings
from projections.status import ProjectorStatus, projector_status

projections_app = typer.Typer(help="The read models: rebuild one, see where they are.",
                              no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@projections_app.command("rebuild")
def rebuild_command(
    name: Annotated[str, typer.Argument(help=f"Projector: {', '.join(PROJECTORS)}")],
) -> None:
    """Build NAME afresh from offset 0 into a new version, swap it in, drop the old one."""
    try:
        result = asyncio.run(_rebuild(name))
    except (RebuildRefused, UnknownProjector) as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(f"[green]{result.projection}: version {result.new_version} is live[/green] "
                  f"(was {result.old_version}; {result.events} events in {result.seconds:.1f} s, "
                  f"{result.events / max(result.seconds, 1e-6):,.0f}/s)")


async def _rebuild(name: str) -> RebuildResult:
    settings, projection_settings = get_settings(), get_projection_settings()
    clients = await connect(settings, projection_settings)
    try:
        spec = ProjectorSpec(name)
        spec.build_store(clients)  # an unknown name fails here, before anything starts
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TaskProgressColumn(), TextColumn("{task.fields[rate]:>9,.0f} events/s"),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"{name}: building", total=None, rate=0.0)

            def report(step: RebuildProgress) -> None:
                progress.update(task, completed=step.done, total=step.total, rate=step.rate,
                                description=f"{name}: {step.phase}")

            return await rebuild(spec, clients, workers=projection_settings.rebuild_workers,
                                 batch_size=projection_settings.rebuild_batch_size, report=report)
    finally:
        await clients.close()


@projections_app.command("status")
def status_command() -> None:
    """Per projector: live version, position, lag in events and seconds, dead letters."""
    rows = asyncio.run(_status())
    table = Table("projector", "live", "position", "lag (events)", "lag (s)", "dead letters",
                  "last applied")
    for row in rows:
        lag = f"{row.lag_events:,}" if row.lag_exact else f"≤{row.lag_events:,}"
        live = "not set up" if row.live_version is None else f"v{row.live_version}" + (
            f" (building v{row.building_version})" if row.building_version else "")
        position = " ".join(f"{p}:{o}" for p, o in sorted(row.positions.items())) or "-"
        colour = "green" if row.lag_events == 0 else "yellow"
        table.add_row(row.projection, live, position, f"[{colour}]{lag}[/{colour}]",
                      f"{row.lag_seconds:.1f}", str(row.dead_letters),
                      f"{row.updated_at:%Y-%m-%d %H:%M:%S}" if row.updated_at else "-")
    console.print(table)


async def _status() -> list[ProjectorStatus]:
    settings, projection_settings = get_settings(), get_projection_settings()
    clients = await connect(settings, projection_settings)
    try:
        async with clients.pool.acquire() as conn:
            await ensure_control_tables(conn)
        return await projector_status(clients.pool, settings.kafka_bootstrap,
                                      projection_settings.events_topic, list(PROJECTORS))
    finally:
        await clients.close()
