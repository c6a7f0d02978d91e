"""The project's Kafka topics, as code: names, partition counts and configs.

Each bounded context has a commands topic and an events topic with the same
partition count, so that one aggregate id lands on the same partition number in
both and one processor owns both sides of it.
"""

from dataclasses import dataclass, field

CONTEXTS = ("users", "catalog", "orders", "inventory", "payments")

FOREVER = "-1"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


def commands_topic(context: str, prefix: str = "") -> str:
    return f"{prefix}{context}.commands"


def events_topic(context: str, prefix: str = "") -> str:
    return f"{prefix}{context}.events"


def snapshots_topic(context: str, prefix: str = "") -> str:
    return f"{prefix}{context}.snapshots"


def dead_letter_topic(context: str, prefix: str = "") -> str:
    return f"{prefix}{context}.events.dlq"


def replies_topic(prefix: str = "") -> str:
    return f"{prefix}{REPLIES_TOPIC}"


REPLIES_TOPIC = "commands.replies"
SCHEMAS_TOPIC = "_schemas"


def project_topics(partitions: int = 6, prefix: str = "") -> list[TopicSpec]:
    """Every topic of the project; `prefix` gives an isolated set (tests, side-by-side runs)."""
    log_of_record = {
        "cleanup.policy": "delete",
        "retention.ms": FOREVER,
        "retention.bytes": FOREVER,
        "min.insync.replicas": "1",  # one broker; raise with the replication factor
    }
    compacted = {"cleanup.policy": "compact", "min.insync.replicas": "1"}
    specs = [
        TopicSpec(f"{prefix}{SCHEMAS_TOPIC}", 1, compacted),
        # Replies only need to live as long as a client waits for one.
        TopicSpec(replies_topic(prefix), partitions, {"retention.ms": str(24 * 3600 * 1000)}),
    ]
    for context in CONTEXTS:
        specs += [
            TopicSpec(commands_topic(context, prefix), partitions,
                      {"retention.ms": str(7 * 24 * 3600 * 1000)}),
            TopicSpec(events_topic(context, prefix), partitions, log_of_record),
            TopicSpec(snapshots_topic(context, prefix), partitions, compacted),
            TopicSpec(dead_letter_topic(context, prefix), 1, log_of_record),
        ]
    return specs


def ensure_topics(bootstrap: str, specs: list[TopicSpec] | None = None, timeout: float = 30) -> list[str]:
    """Create the topics that are missing; returns the names created."""
    from confluent_kafka.admin import AdminClient, NewTopic

    specs = specs if specs is not None else project_topics()
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [spec for spec in specs if spec.name not in existing]
    if not missing:
        return []
    futures = admin.create_topics(
        [NewTopic(s.name, num_partitions=s.partitions, replication_factor=1, config=s.config)
         for s in missing],
        operation_timeout=timeout,
    )
    for future in futures.values():
        future.result()
    return [spec.name for spec in missing]
