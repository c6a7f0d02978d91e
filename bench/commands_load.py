"""Commands straight to Kafka, and their replies read back: the processor alone."""

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from confluent_kafka import Consumer, Producer, TopicPartition

from aggregates.product import CreateProduct
from bench.stats import Latencies
from commands.replies import Reply
from infra.kafka_batches import next_batch
from infra.topics import commands_topic, replies_topic
from schemas.catalog import command_to_record
from schemas.codec import AvroCodec
from schemas.envelope import CommandMetadata


@dataclass(frozen=True)
class EncodedCommand:
    command_id: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def encode_creates(codec: AvroCodec, prefix: str, count: int) -> list[EncodedCommand]:
    topic = commands_topic("catalog", prefix)
    at = datetime.now(UTC)
    commands = []
    for index in range(count):
        product_id = str(uuid.uuid4())
        name, record = command_to_record(CreateProduct(
            product_id, f"Product {index}", "A product for the benchmark", f"category-{index % 20}",
            Decimal("19.90"), at))
        meta = CommandMetadata(str(uuid.uuid4()), name, product_id, "bench")
        commands.append(EncodedCommand(meta.command_id, product_id.encode(),
                                       codec.encode(topic, name, record), meta.to_headers()))
    return commands


class ReplyCounter:
    """Reads the replies topic from its current end and notes when each reply arrives."""

    def __init__(self, bootstrap: str, prefix: str, keep_replies: bool = False) -> None:
        self.arrivals: dict[str, float] = {}
        self.replies: dict[str, list[Reply]] = {}  # every reply per command id, if kept
        self._keep = keep_replies
        self._consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-{uuid.uuid4().hex}",
                                   "isolation.level": "read_committed", "enable.auto.commit": False,
                                   "fetch.wait.max.ms": 5})
        topic = replies_topic(prefix)
        partitions = self._consumer.list_topics(topic, timeout=10).topics[topic].partitions
        self._consumer.assign([TopicPartition(topic, p, self._consumer.get_watermark_offsets(
            TopicPartition(topic, p), timeout=10)[1]) for p in partitions])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for message in next_batch(self._consumer, 1000, timeout=0.05):
                if message.error() is None:
                    reply = Reply.from_bytes(message.value())
                    self.arrivals[reply.command_id] = time.perf_counter()
                    if self._keep:
                        self.replies.setdefault(reply.command_id, []).append(reply)

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while len(self.arrivals) < count and time.perf_counter() < deadline:
            time.sleep(0.01)
        return len(self.arrivals) >= count

    def wait_for_replies(self, command_id: str, count: int, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while len(self.replies.get(command_id, [])) < count and time.perf_counter() < deadline:
            time.sleep(0.01)
        return len(self.replies.get(command_id, [])) >= count

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._consumer.close()


def produce(bootstrap: str, prefix: str, commands: list[EncodedCommand],
            rate: float | None = None) -> dict[str, float]:
    """Send the commands (paced at `rate` per second if given); returns send times by command id."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 1 if rate else 5})
    topic = commands_topic("catalog", prefix)
    sent: dict[str, float] = {}
    started = time.perf_counter()
    for index, command in enumerate(commands):
        if rate:
            due = started + index / rate
            while (now := time.perf_counter()) < due:
                time.sleep(min(due - now, 0.001))
                producer.poll(0)
        sent[command.command_id] = time.perf_counter()
        producer.produce(topic, key=command.key, value=command.value, headers=command.headers)
        producer.poll(0)
    producer.flush(60)
    return sent


def latencies(sent: dict[str, float], arrivals: dict[str, float]) -> Latencies:
    return Latencies([arrivals[c] - t for c, t in sent.items() if c in arrivals])
