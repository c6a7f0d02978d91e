"""`shop`: the operator's command line."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from infra import platform
from infra import stack as local_stack
from infra.settings import get_settings
from projections.cli import projections_app
from schemas.cli import schemas_app
from schemas.registry.cli import registry_app

app = typer.Typer(help="Operate the shop platform.", no_args_is_help=True)
stack_app = typer.Typer(help="The local stack: Kafka, PostgreSQL, Redis, OpenSearch.",
                        no_args_is_help=True)
topics_app = typer.Typer(help="The project's Kafka topics.", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
app.add_typer(topics_app, name="topics")
app.add_typer(schemas_app, name="schemas")
app.add_typer(registry_app, name="registry")
app.add_typer(projections_app, name="projections")
platform_app = typer.Typer(help="The platform's processes: registry, processor, APIs, streams.",
                           no_args_is_help=True)
app.add_typer(platform_app, name="platform")

console = Console()
err = Console(stderr=True)

Names = Annotated[list[str] | None, typer.Argument(help="Components (default: all)")]


def _components(names: list[str] | None) -> list[local_stack.Component]:
    try:
        return local_stack.select(local_stack.components(get_settings()), names)
    except local_stack.StackError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error


@stack_app.command("up")
def stack_up(
    names: Names = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each component")] = 120.0,
) -> None:
    """Install what is missing and start the components, in dependency order."""
    try:
        local_stack.up(_components(names), timeout=timeout, report=console.print)
    except local_stack.StackError as error:
        err.print(f"[red]{error}[/red]", markup=False, highlight=False)
        raise typer.Exit(1) from error


@stack_app.command("down")
def stack_down(names: Names = None) -> None:
    """Stop the components (data stays under the stack folder)."""
    local_stack.down(_components(names), report=console.print)


@stack_app.command("status")
def stack_status(names: Names = None) -> None:
    """A table of component, address and state; exits 1 unless all are healthy."""
    rows = local_stack.status(_components(names))
    table = Table("component", "address", "state")
    for row in rows:
        colour = "green" if row.state.startswith("healthy") else "red"
        table.add_row(row.name, row.address, f"[{colour}]{row.state}[/{colour}]")
    console.print(table)
    if not all(row.state.startswith("healthy") for row in rows):
        raise typer.Exit(1)


@stack_app.command("logs")
def stack_logs(
    name: Annotated[str, typer.Argument(help="Component")],
    lines: Annotated[int, typer.Option("-n", help="How many lines")] = 50,
) -> None:
    """The last lines of a component's log."""
    (component,) = _components([name])
    console.print(f"[bold]{component.log_file}[/bold]")
    print(component.log_tail(lines))


@topics_app.command("create")
def topics_create() -> None:
    """Create the project's topics that are missing."""
    from infra.topics import ensure_topics, project_topics

    settings = get_settings()
    created = ensure_topics(settings.kafka_bootstrap,
                            project_topics(settings.kafka_partitions, settings.topic_prefix))
    console.print(f"created {len(created)} topic(s): {', '.join(created) or '-'}")


@topics_app.command("list")
def topics_list() -> None:
    """The project's topics with their partition counts, as the broker reports them."""
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": get_settings().kafka_bootstrap})
    metadata = admin.list_topics(timeout=10)
    table = Table("topic", "partitions")
    for name in sorted(metadata.topics):
        table.add_row(name, str(len(metadata.topics[name].partitions)))
    console.print(table)


@platform_app.command("up")
def platform_up(
    demo_data: Annotated[bool, typer.Option(help="Load the demo catalog if it is empty")] = False,
) -> None:
    """Start the platform's processes (the stack must be up) and print where to look."""
    settings = get_settings()
    try:
        platform.up(settings, platform.platform_processes(settings), report=console.print)
    except local_stack.StackError as error:
        err.print(str(error), markup=False, highlight=False)
        raise typer.Exit(1) from error
    if demo_data:
        from infra.demo import load_demo_catalog

        console.print(load_demo_catalog(f"http://127.0.0.1:{settings.command_api_port}"))
    print(platform.where_to_look(settings))


@platform_app.command("down")
def platform_down() -> None:
    """Stop the platform's processes."""
    settings = get_settings()
    platform.down(settings, platform.platform_processes(settings), report=console.print)


if __name__ == "__main__":
    app()
