"""The project's schema registry: Confluent's REST API, stored in the compacted `_schemas` topic.

- `state`, `records`: the state folded from the topic, and the topic's wire format;
- `compatibility`, `queries`, `decisions`: pure reads and changes of that state;
- `log`: the Kafka-backed store (`memory`: one in memory, for tests);
- `app`: the FastAPI app, `create_app(store)`; `server`, `cli`: the process.

Any Confluent-compatible registry can replace it: point SHOP_SCHEMA_REGISTRY_URL at it.
"""
