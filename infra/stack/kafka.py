"""Apache Kafka, one KRaft node acting as broker and controller, run from Maven Central jars."""

import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from infra.stack.component import Component
from infra.stack.maven import maven_repo, resolve_jars
from infra.stack.process import StackError, spawn

STACK_FILES = Path(__file__).resolve().parent
MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"


@dataclass
class KafkaBroker(Component):
    controller_port: int = 9093
    heap: str = "512m"
    partitions: int = 6

    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def config_file(self) -> Path:
        return self.home / "server.properties"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    def install(self) -> None:
        resolve_jars(STACK_FILES / "kafka-pom.xml", self.lib, maven_repo(self.home))
        self.config_file.write_text(self._server_properties())
        if not (self.data_dir / "meta.properties").exists():
            self._format_storage()

    def start(self) -> None:
        spawn(
            [*self._java(), MAIN_CLASS, str(self.config_file)],
            log_file=self.log_file,
            pid_file=self.pid_file,
            cwd=self.home,
        )

    def healthy(self) -> bool:
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient

        admin = AdminClient({"bootstrap.servers": self.address, "log_level": 0})
        try:
            metadata = admin.list_topics(timeout=2)
        except KafkaException:
            return False
        return bool(metadata.brokers)

    def after_start(self) -> None:
        from infra.topics import ensure_topics, project_topics

        ensure_topics(self.address, project_topics(self.partitions))

    def _java(self) -> list[str]:
        return [
            "java",
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={STACK_FILES / 'kafka-log4j2.properties'}",
            "-cp",
            f"{self.lib}/*",
        ]

    def _format_storage(self) -> None:
        cluster_id_file = self.home / "cluster.id"
        if not cluster_id_file.exists():
            # Kafka cluster ids are 22-character url-safe base64 uuids.
            import base64

            raw = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            cluster_id_file.write_text(raw)
        cluster_id = cluster_id_file.read_text().strip()
        result = subprocess.run(
            [*self._java(), STORAGE_TOOL, "format", "--standalone", "--ignore-formatted",
             "-t", cluster_id, "-c", str(self.config_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"kafka storage format failed:\n{result.stdout}\n{result.stderr}")

    def _server_properties(self) -> str:
        broker, controller = self.ports[0], self.controller_port
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": f"{self.host}:{controller}",
            "listeners": f"PLAINTEXT://{self.host}:{broker},CONTROLLER://{self.host}:{controller}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{broker}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            # One node: every internal topic has a single replica.
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "10",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "min.insync.replicas": "1",
            # Topics are created by the project with explicit partitions and configs.
            "auto.create.topics.enable": "false",
            "group.initial.rebalance.delay.ms": "0",
            # A restarted broker is refused until its old session expires: keep it short.
            "broker.session.timeout.ms": "3000",
            "broker.heartbeat.interval.ms": "1000",
            "num.partitions": "1",
        }
        return "".join(f"{key}={value}\n" for key, value in settings.items())
