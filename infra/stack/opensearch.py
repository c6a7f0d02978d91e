"""OpenSearch, one node embedded from Maven Central jars by a single-file Java launcher."""

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from infra.stack.component import Component
from infra.stack.maven import maven_repo, resolve_jars
from infra.stack.process import spawn

STACK_FILES = Path(__file__).resolve().parent


@dataclass
class OpenSearchNode(Component):
    heap: str = "512m"

    @property
    def lib(self) -> Path:
        return self.home / "lib"

    def install(self) -> None:
        resolve_jars(STACK_FILES / "opensearch-pom.xml", self.lib, maven_repo(self.home))

    def start(self) -> None:
        http_port, transport_port = self.ports
        spawn(
            ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC",
             "-Djava.awt.headless=true",
             f"-Dshop.log4j2={STACK_FILES / 'opensearch-log4j2.properties'}",
             "-cp", f"{self.lib}/*", str(STACK_FILES / "Launcher.java"),
             str(self.home / "home"),
             f"network.host={self.host}", f"http.port={http_port}",
             f"transport.port={transport_port}"],
            log_file=self.log_file,
            pid_file=self.pid_file,
            cwd=self.home,
        )

    def healthy(self) -> bool:
        try:
            with urlopen(f"http://{self.address}/_cluster/health", timeout=2) as response:
                status = json.load(response).get("status")
        except (URLError, OSError, ValueError):
            return False
        return status in ("green", "yellow")
