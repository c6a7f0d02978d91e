"""`shop schemas`: publish the project's Avro schemas, or check them against the registry.

Subjects follow the topic-record name strategy, `<topic>-<record full name>`:
events under `<context>.events`, commands under `<context>.commands`.
"""

from pathlib import Path
from typing import Annotated

import typer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from rich.console import Console
from rich.table import Table

from infra.settings import get_settings
from infra.topics import commands_topic, events_topic
from schemas.catalogue import AVRO_DIR, SchemaCatalogue
from schemas.codec import subject_name

schemas_app = typer.Typer(help="The project's Avro schemas and the schema registry.",
                          no_args_is_help=True)
console = Console()

AvroDir = Annotated[Path, typer.Option(help="Folder of <context>/<events|commands>/*.avsc")]
SUBJECT_NOT_FOUND = 40401


def project_subjects(catalogue: SchemaCatalogue, prefix: str) -> list[tuple[str, str]]:
    """(subject, record name) for every schema of the project."""
    subjects = []
    for name in catalogue.names():
        context, kind = catalogue.place(name)
        topic = events_topic(context, prefix) if kind == "events" else commands_topic(context, prefix)
        subjects.append((subject_name(topic, name), name))
    return subjects


def _project_schemas(avro_dir: Path) -> tuple[SchemaRegistryClient, list[tuple[str, Schema]]]:
    """The configured registry, and (subject, schema) for every schema of the project."""
    settings = get_settings()
    catalogue = SchemaCatalogue(avro_dir)
    return SchemaRegistryClient({"url": settings.schema_registry_url}), [
        (subject, Schema(catalogue.text(name), "AVRO"))
        for subject, name in project_subjects(catalogue, settings.topic_prefix)]


@schemas_app.command("register")
def register(avro_dir: AvroDir = AVRO_DIR) -> None:
    """Register every schema (a schema already registered keeps its id)."""
    client, schemas = _project_schemas(avro_dir)
    table = Table("subject", "schema id")
    for subject, schema in schemas:
        table.add_row(subject, str(client.register_schema(subject, schema)))
    console.print(table)


@schemas_app.command("check")
def check(avro_dir: AvroDir = AVRO_DIR) -> None:
    """Exit 1 if any schema is incompatible with what the registry holds under its subject."""
    client, schemas = _project_schemas(avro_dir)
    table = Table("subject", "result")
    incompatible = 0
    for subject, schema in schemas:
        try:
            compatible = client.test_compatibility(subject, schema)
            result = "compatible" if compatible else "[red]INCOMPATIBLE[/red]"
        except SchemaRegistryError as error:
            if error.error_code != SUBJECT_NOT_FOUND:
                raise
            compatible, result = True, "new subject"
        incompatible += not compatible
        table.add_row(subject, result)
    console.print(table)
    if incompatible:
        console.print(f"[red]{incompatible} schema(s) incompatible with the registry[/red]")
        raise typer.Exit(1)
