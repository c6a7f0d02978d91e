"""Real platform processes for tests (shared with the benchmarks)."""

from infra.child_process import RunningProcess, free_port, start

__all__ = ["RunningProcess", "free_port", "start"]
