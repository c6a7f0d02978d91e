"""Redis 7 from the Debian package, daemonized with its data under the stack folder."""

import shutil
import subprocess
from dataclasses import dataclass

from infra.stack.component import Component
from infra.stack.packages import apt_install


@dataclass
class RedisServer(Component):
    def install(self) -> None:
        if shutil.which("redis-server") is None:
            apt_install("redis-server")
            # The package starts its own server on the default port; this stack runs its own.
            subprocess.run(["service", "redis-server", "stop"], capture_output=True, check=False)
        self.home.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--daemonize", "yes",
             "--bind", self.host, "--port", str(self.ports[0]),
             "--dir", str(self.home),
             "--pidfile", str(self.pid_file),
             "--logfile", str(self.log_file),
             # Sessions are projections, but a restart should not empty them: AOF, fsync each second.
             "--appendonly", "yes", "--appendfsync", "everysec",
             "--save", ""],
            check=True, capture_output=True,
        )

    def healthy(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host=self.host, port=self.ports[0], socket_timeout=1).ping())
        except redis.RedisError:
            return False
