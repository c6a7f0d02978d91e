"""Sends a command to its context's commands topic and waits, bounded, for the reply."""

import asyncio
import threading
import uuid
from dataclasses import dataclass, replace
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from commands.api.replies import ReplyListener
from commands.replies import Reply
from infra.topics import commands_topic
from schemas.codec import AvroCodec
from schemas.envelope import CommandMetadata


class CommandNotAccepted(RuntimeError):
    """The broker did not acknowledge the command: nothing was written."""


@dataclass(frozen=True)
class Sent:
    command_id: str
    reply: Reply | None  # None: not answered within the wait; ask GET /api/commands/{id}


class CommandBus:
    def __init__(self, bootstrap: str, codec: AvroCodec, replies: ReplyListener,
                 reply_timeout: float, topic_prefix: str = "") -> None:
        self._prefix = topic_prefix
        self._producer = Producer({
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 1,
        })
        self._codec = codec
        self._replies = replies
        self._timeout = reply_timeout
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="producer-poll", daemon=True)

    def start(self) -> None:
        self._poller.start()

    def close(self) -> None:
        self._stop.set()
        self._poller.join(5)
        self._producer.flush(10)

    async def send(self, context: str, meta: CommandMetadata, record_name: str,
                   record: dict[str, Any]) -> Sent:
        known = self._replies.known(meta.command_id)
        if known is not None:
            # A repeat of a command already answered: the first outcome, and no second write.
            return Sent(meta.command_id, replace(known, duplicate=True))
        topic = commands_topic(context, self._prefix)
        value = self._codec.encode(topic, record_name, record)
        loop = asyncio.get_running_loop()
        acked: asyncio.Future[None] = loop.create_future()
        reply = self._replies.expect(meta.command_id)

        def delivered(error: KafkaError | None, _: Message) -> None:
            loop.call_soon_threadsafe(_settle, acked, error)

        try:
            self._producer.produce(topic, key=meta.aggregate_id.encode(), value=value,
                                   headers=meta.to_headers(), on_delivery=delivered)
            async with asyncio.timeout(self._timeout):
                await acked
                return Sent(meta.command_id, await asyncio.shield(reply))
        except TimeoutError:
            if not acked.done():
                raise CommandNotAccepted("the broker did not acknowledge the command in time") from None
            return Sent(meta.command_id, None)
        finally:
            self._replies.forget(meta.command_id, reply)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.05)


def _settle(future: "asyncio.Future[None]", error: KafkaError | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(CommandNotAccepted(str(error)))


def new_id() -> str:
    return str(uuid.uuid4())
