"""Each stack component is the real server: data goes in and comes back out."""

import uuid

import asyncpg
import pytest
import redis.asyncio as aioredis
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from opensearchpy import AsyncOpenSearch

from infra.settings import Settings

pytestmark = pytest.mark.stack


@pytest.fixture
def topic(settings: Settings) -> str:
    name = f"test.smoke.{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])[name].result()
    yield name
    admin.delete_topics([name])[name].result()


def read_all(settings: Settings, topic: str, isolation: str) -> list[bytes]:
    consumer = Consumer({
        "bootstrap.servers": settings.kafka_bootstrap,
        "group.id": f"smoke-{uuid.uuid4().hex}",
        "isolation.level": isolation,
        "enable.auto.commit": False,
    })
    partition = TopicPartition(topic, 0, 0)
    consumer.assign([partition])
    _, high = consumer.get_watermark_offsets(partition, timeout=10)
    values: list[bytes] = []
    try:
        while True:
            message = consumer.poll(2.0)
            if message is None:
                break
            if message.error():
                raise KafkaException(message.error())
            values.append(message.value())
            if message.offset() >= high - 1:
                break
    finally:
        consumer.close()
    return values


def test_a_record_produced_to_kafka_is_consumed_back(settings: Settings, topic: str) -> None:
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap,
                         "enable.idempotence": True, "acks": "all"})
    producer.produce(topic, key=b"k", value=b"hello kafka")
    assert producer.flush(10) == 0

    assert read_all(settings, topic, "read_committed") == [b"hello kafka"]


def test_read_committed_sees_committed_transactions_and_not_aborted_ones(
    settings: Settings, topic: str
) -> None:
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap,
                         "transactional.id": f"smoke-{uuid.uuid4().hex}"})
    producer.init_transactions(30)
    producer.begin_transaction()
    producer.produce(topic, value=b"committed")
    producer.commit_transaction(30)
    producer.begin_transaction()
    producer.produce(topic, value=b"aborted")
    producer.flush(10)
    producer.abort_transaction(30)

    assert read_all(settings, topic, "read_committed") == [b"committed"]
    assert b"aborted" in read_all(settings, topic, "read_uncommitted")


async def test_postgres_answers_a_query(settings: Settings) -> None:
    connection = await asyncpg.connect(settings.postgres_dsn)
    try:
        version = await connection.fetchval("SHOW server_version")
        total = await connection.fetchval("SELECT sum(x) FROM generate_series(1, 100) AS x")
    finally:
        await connection.close()
    assert int(version.split(".")[0]) >= 15
    assert total == 5050


async def test_redis_round_trips_a_key(settings: Settings) -> None:
    client = aioredis.from_url(settings.redis_url)
    key = f"smoke:{uuid.uuid4().hex}"
    try:
        await client.set(key, "value", ex=60)
        assert await client.get(key) == b"value"
    finally:
        await client.delete(key)
        await client.aclose()


async def test_opensearch_finds_running_shoes_with_run_shoe(settings: Settings) -> None:
    client = AsyncOpenSearch(settings.opensearch_url)
    index = f"smoke-{uuid.uuid4().hex[:8]}"
    body = {
        "settings": {"analysis": {
            "filter": {"shoe_synonyms": {"type": "synonym_graph",
                                         "synonyms": ["sneakers, running shoes"]}},
            "analyzer": {"english_search": {"tokenizer": "standard",
                                            "filter": ["lowercase", "shoe_synonyms",
                                                       "porter_stem"]}},
        }},
        "mappings": {"properties": {"name": {"type": "text", "analyzer": "english",
                                             "search_analyzer": "english_search"}}},
    }
    try:
        await client.indices.create(index=index, body=body)
        await client.index(index=index, id="1", body={"name": "Running Shoes"}, refresh=True)
        await client.index(index=index, id="2", body={"name": "Wool Socks"}, refresh=True)

        stemmed = await client.search(index=index, body={"query": {"match": {"name": "run shoe"}}})
        synonym = await client.search(index=index, body={"query": {"match": {"name": "sneakers"}}})
    finally:
        await client.indices.delete(index=index, ignore_unavailable=True)
        await client.close()
    assert [hit["_id"] for hit in stemmed["hits"]["hits"]] == ["1"]
    assert [hit["_id"] for hit in synonym["hits"]["hits"]] == ["1"]
