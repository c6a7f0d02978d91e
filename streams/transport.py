"""Faust's aiokafka transport, reading committed records only.

The command processor appends events in Kafka transactions; a reader that sees
uncommitted records would project events of transactions that are later
aborted. Faust asks aiokafka for `read_committed` only when
`processing_guarantee="exactly_once"` (`AIOKafkaConsumerThread.
_create_worker_consumer` in faust/transport/drivers/aiokafka.py), and that mode
is what we avoid: faust-streaming's transactional path has open bugs and hangs
on rebalance, and the projectors get their exactly-once effect from store
checkpoints instead.

So the consumer thread builds the consumer exactly as Faust does and switches
it to `read_committed` before it starts: aiokafka keeps the constructor's
isolation level in `_isolation_level` until `start()` builds its fetcher. That
is one private attribute, checked loudly, instead of a copy of Faust's whole
constructor call; the transport is installed through the App's public
`transport` setter, with no monkeypatching and no custom URL scheme. High
watermarks become last stable offsets, as Faust does in its transactional mode,
so its lag and stall checks agree with what a committed reader can see.
"""

from collections.abc import Mapping
from typing import Any

import aiokafka
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

READ_COMMITTED = "read_committed"


class ReadCommittedConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: faust_aiokafka.Transport) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        if not hasattr(consumer, "_isolation_level"):
            raise RuntimeError("this aiokafka no longer keeps _isolation_level; "
                               "streams/transport.py needs updating")
        consumer._isolation_level = READ_COMMITTED
        return consumer

    def highwater(self, tp: TP) -> int:
        return int(self._ensure_consumer().last_stable_offset(tp))

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        consumer = self._ensure_consumer()
        return {tp: consumer.last_stable_offset(tp) for tp in partitions}


class ReadCommittedConsumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)


class ReadCommittedTransport(faust_aiokafka.Transport):
    Consumer = ReadCommittedConsumer


def install(app: Any) -> None:
    """Give `app` the read-committed transport; call before the app starts."""
    app.transport = ReadCommittedTransport(app.conf.broker_consumer, app)
