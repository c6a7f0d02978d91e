"""The local stack: Kafka, PostgreSQL, Redis and OpenSearch, started from packages.

`up` is idempotent: a component already running from this stack folder is left
alone; a port held by anything else stops the whole start before any process is
launched, naming the port and the component.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

from infra.settings import Settings
from infra.stack.component import Component
from infra.stack.kafka import KafkaBroker
from infra.stack.opensearch import OpenSearchNode
from infra.stack.postgres import PostgresServer
from infra.stack.process import StackError
from infra.stack.redis import RedisServer

__all__ = ["Component", "ComponentStatus", "StackError", "components", "down", "status", "up"]

RETRY_HINT = "retry with: shop stack up   (logs: shop stack logs {name})"


def components(settings: Settings) -> list[Component]:
    """The stack in start order."""
    stack = settings.stack_dir
    kafka_host, kafka_port = settings.kafka_bootstrap.split(",")[0].rsplit(":", 1)
    search = urlparse(settings.opensearch_url)
    cache = urlparse(settings.redis_url)
    return [
        PostgresServer("postgres", settings.postgres_host, (settings.postgres_port,),
                       stack / "postgres", user=settings.postgres_user,
                       password=settings.postgres_password.get_secret_value(),
                       database=settings.postgres_db),
        RedisServer("redis", cache.hostname or "127.0.0.1", (cache.port or 6379,), stack / "redis"),
        KafkaBroker("kafka", kafka_host, (int(kafka_port), settings.kafka_controller_port),
                    stack / "kafka", controller_port=settings.kafka_controller_port,
                    heap=settings.kafka_heap, partitions=settings.kafka_partitions),
        OpenSearchNode("opensearch", search.hostname or "127.0.0.1",
                       (search.port or 9200, settings.opensearch_transport_port),
                       stack / "opensearch", heap=settings.opensearch_heap),
    ]


def select(stack: list[Component], names: Iterable[str] | None) -> list[Component]:
    if not names:
        return stack
    wanted = set(names)
    unknown = wanted - {c.name for c in stack}
    if unknown:
        raise StackError(f"unknown component(s): {', '.join(sorted(unknown))}")
    return [c for c in stack if c.name in wanted]


def up(
    stack: list[Component],
    *,
    timeout: float = 120.0,
    report: Callable[[str], None] = print,
) -> None:
    # Ports first: a second stack on the same ports must fail before it installs anything.
    _refuse_foreign_ports(stack)
    for component in stack:
        component.install()
    for component in stack:
        if component.running():
            report(f"{component.name}: already running at {component.address}")
        else:
            report(f"{component.name}: starting at {component.address}")
            component.start()
        _wait_healthy(component, timeout)
        component.after_start()
        report(f"{component.name}: healthy")


def down(stack: list[Component], *, report: Callable[[str], None] = print) -> None:
    for component in reversed(stack):
        stopped = component.stop()
        report(f"{component.name}: {'stopped' if stopped else 'not running'}")


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    address: str
    state: str


def status(stack: list[Component]) -> list[ComponentStatus]:
    rows = []
    for component in stack:
        if component.healthy():
            state = "healthy" if component.running() else "healthy (not started by this stack)"
        elif component.running():
            state = "starting or unhealthy"
        else:
            state = "stopped"
        rows.append(ComponentStatus(component.name, component.address, state))
    return rows


def _refuse_foreign_ports(stack: list[Component]) -> None:
    conflicts = [
        f"  {component.name}: port {port} on {component.host} is in use by another process"
        for component in stack
        if not component.running()
        for port in component.busy_ports()
    ]
    if conflicts:
        raise StackError(
            "cannot start the stack, ports are taken:\n" + "\n".join(conflicts)
            + "\nStop whatever holds them (another checkout's `shop stack down`), or point the"
            " settings (SHOP_KAFKA_BOOTSTRAP, SHOP_POSTGRES_PORT, ...) at other ports."
        )


def _wait_healthy(component: Component, timeout: float) -> None:
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if component.healthy():
            return
        # A daemon writes its pid file a moment after it forks; give it that moment.
        if not component.running() and time.monotonic() - started > 3:
            break
        time.sleep(0.25)
    raise StackError(
        f"{component.name} did not become healthy at {component.address} "
        f"within {timeout:.0f} s. Last lines of {component.log_file}:\n"
        f"{component.log_tail()}\n" + RETRY_HINT.format(name=component.name)
    )
