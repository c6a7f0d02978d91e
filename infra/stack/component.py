"""What every stack component is: something installed, started, probed and stopped."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from infra.stack.process import port_is_open, read_pid, tail, terminate


@dataclass
class Component(ABC):
    name: str
    host: str
    ports: tuple[int, ...]
    home: Path

    @property
    def address(self) -> str:
        return f"{self.host}:{self.ports[0]}"

    @property
    def log_file(self) -> Path:
        return self.home / f"{self.name}.log"

    @property
    def pid_file(self) -> Path:
        return self.home / f"{self.name}.pid"

    def install(self) -> None:
        """Fetch and prepare what the component needs; cheap when already done."""
        return None

    @abstractmethod
    def start(self) -> None:
        """Start the process; `healthy` says when it is ready."""

    @abstractmethod
    def healthy(self) -> bool: ...

    def after_start(self) -> None:
        """Idempotent set-up that needs the running server (roles, databases, topics)."""
        return None

    def running(self) -> bool:
        return read_pid(self.pid_file) is not None

    def stop(self) -> bool:
        return terminate(self.pid_file)

    def busy_ports(self) -> list[int]:
        return [port for port in self.ports if port_is_open(self.host, port)]

    def log_tail(self, lines: int = 30) -> str:
        return tail(self.log_file, lines)
