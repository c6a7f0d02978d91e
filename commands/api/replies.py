"""Waits for the processor's replies: one reader of the replies topic per API process.

Every API instance reads every reply partition (they are small), so whichever
instance is asked `GET /api/commands/{id}` can answer it.
"""

import asyncio
import threading
import time
import uuid
from collections import OrderedDict

import structlog
from confluent_kafka import Consumer, KafkaError, TopicPartition

from commands.replies import Reply
from infra.kafka_batches import next_batch
from infra.topics import replies_topic

log = structlog.get_logger(__name__)


class ReplyListener:
    def __init__(self, bootstrap: str, lookback_seconds: int, keep: int = 200_000,
                 topic_prefix: str = "") -> None:
        self._topic = replies_topic(topic_prefix)
        self._consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": f"command-api-{uuid.uuid4().hex}",  # assign() only, never commits
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
            "fetch.wait.max.ms": 5,
        })
        self._lookback_ms = lookback_seconds * 1000
        self._known: OrderedDict[str, Reply] = OrderedDict()
        self._keep = keep
        self._waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[Reply]]]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reply-listener", daemon=True)

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("reply listener could not join the replies topic")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def expect(self, command_id: str) -> "asyncio.Future[Reply]":
        """A future for the reply; register it before the command is sent."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Reply] = loop.create_future()
        with self._lock:
            known = self._known.get(command_id)
            if known is not None:
                future.set_result(known)
            else:
                self._waiters.setdefault(command_id, []).append((loop, future))
        return future

    def forget(self, command_id: str, future: "asyncio.Future[Reply]") -> None:
        with self._lock:
            waiters = self._waiters.get(command_id, [])
            self._waiters[command_id] = [w for w in waiters if w[1] is not future]
            if not self._waiters[command_id]:
                del self._waiters[command_id]

    def known(self, command_id: str) -> Reply | None:
        with self._lock:
            return self._known.get(command_id)

    def _run(self) -> None:
        topic = self._topic
        metadata = self._consumer.list_topics(topic, timeout=10)
        partitions = list(metadata.topics[topic].partitions)
        since = int(time.time() * 1000) - self._lookback_ms
        starts = self._consumer.offsets_for_times(
            [TopicPartition(topic, p, since) for p in partitions], timeout=10)
        # offsets_for_times gives -1 where nothing is that recent: start at the end there.
        self._consumer.assign([tp if tp.offset >= 0 else TopicPartition(topic, tp.partition, -1)
                               for tp in starts])
        self._ready.set()
        while not self._stop.is_set():
            for message in next_batch(self._consumer, 1000, timeout=0.1):
                if message.error():
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        log.warning("reply read failed", error=str(message.error()))
                    continue
                try:
                    self._deliver(Reply.from_bytes(message.value()))
                except (TypeError, ValueError) as error:
                    log.warning("unreadable reply", error=str(error), offset=message.offset())
        self._consumer.close()

    def _deliver(self, reply: Reply) -> None:
        with self._lock:
            self._known[reply.command_id] = reply
            if len(self._known) > self._keep:
                self._known.popitem(last=False)
            waiters = self._waiters.pop(reply.command_id, [])
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future, reply)


def _resolve(future: "asyncio.Future[Reply]", reply: Reply) -> None:
    if not future.done():
        future.set_result(reply)
