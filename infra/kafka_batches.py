"""Take what a consumer has fetched, without waiting out a timeout when records are there.

confluent-kafka's `consume(n, timeout)` returns only when n records arrived or
the timeout ran out, so a short batch always costs the whole timeout. `poll`
returns on the first record; what is already fetched is then taken at once.
"""

from confluent_kafka import Consumer, Message


def next_batch(consumer: Consumer, max_messages: int, timeout: float) -> list[Message]:
    first = consumer.poll(timeout)
    if first is None:
        return []
    return [first, *consumer.consume(max_messages - 1, timeout=0)]
