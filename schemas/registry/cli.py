"""`shop registry`: run the schema registry."""

from typing import Annotated

import typer

from schemas.registry.settings import get_registry_settings

registry_app = typer.Typer(help="The schema registry (Confluent's REST API over `_schemas`).",
                           no_args_is_help=True)


@registry_app.callback()
def registry() -> None:
    """The schema registry (Confluent's REST API over `_schemas`)."""


@registry_app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default SHOP_REGISTRY_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SHOP_REGISTRY_PORT)")] = None,
) -> None:
    """Read the schemas topic to its end, then serve the registry API and /metrics."""
    from schemas.registry.server import serve as run_server  # Kafka and uvicorn only when serving

    settings = get_registry_settings()
    run_server(settings, host=host or settings.host, port=port or settings.port)


if __name__ == "__main__":
    registry_app()
