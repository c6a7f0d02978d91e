"""Shared fixtures: the settings, and a check that the real stack is up.

Tests marked `stack` run against the services `make test` starts; when one is
down they fail with the command to start it rather than skipping quietly.
"""

import pytest

from infra import stack as local_stack
from infra.settings import Settings, get_settings

# The read side's isolated database, topics, index prefix and registry (session fixtures).
pytest_plugins = ["tests.support.read_side"]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def running_stack(settings: Settings) -> Settings:
    down = [row for row in local_stack.status(local_stack.components(settings))
            if not row.state.startswith("healthy")]
    if down:
        pytest.fail(
            "the local stack is not healthy: "
            + ", ".join(f"{row.name} ({row.state})" for row in down)
            + " — start it with `make up`",
            pytrace=False,
        )
    return settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("stack"):
            item.fixturenames.insert(0, "running_stack")
