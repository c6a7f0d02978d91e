"""The OpenSearch products index: analysis, mapping, and the document shape.

Text is stemmed (english) at index and search time; synonyms apply at search
time only (`synonym_graph` in the search analyzer), so the synonym list can grow
without reindexing. `name.prefix` holds edge n-grams for search-as-you-type.
Prices are `scaled_float` (cents) for ranges and sorting while `_source` keeps
the exact two-decimal string: money is never a float on the way out.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from projections.products import ProductRow

SYNONYMS = [
    "sneakers, running shoes, trainers",
    "tee, t-shirt, tshirt",
    "hoodie, hooded sweatshirt",
    "laptop, notebook computer",
    "sofa, couch",
    "phone, smartphone, mobile phone",
]

_TEXT_FILTERS = ["english_possessive", "lowercase", "english_stop", "english_stemmer"]


def index_body(refresh_interval: str = "1s") -> dict[str, Any]:
    return {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "refresh_interval": refresh_interval,
            "analysis": {
                "filter": {
                    "english_possessive": {"type": "stemmer", "language": "possessive_english"},
                    "english_stop": {"type": "stop", "stopwords": "_english_"},
                    "english_stemmer": {"type": "stemmer", "language": "english"},
                    "product_synonyms": {"type": "synonym_graph", "synonyms": SYNONYMS},
                    "prefixes": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
                },
                "analyzer": {
                    "product_text": {"tokenizer": "standard", "filter": _TEXT_FILTERS},
                    "product_search": {
                        "tokenizer": "standard",
                        "filter": ["english_possessive", "lowercase", "product_synonyms",
                                   "english_stop", "english_stemmer"],
                    },
                    "prefix_index": {"tokenizer": "standard", "filter": ["lowercase", "prefixes"]},
                    "prefix_search": {"tokenizer": "standard", "filter": ["lowercase"]},
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "productId": {"type": "keyword"},
                "name": {
                    "type": "text", "analyzer": "product_text", "search_analyzer": "product_search",
                    "fields": {
                        "keyword": {"type": "keyword"},
                        "prefix": {"type": "text", "analyzer": "prefix_index",
                                   "search_analyzer": "prefix_search"},
                    },
                },
                "description": {"type": "text", "analyzer": "product_text",
                                "search_analyzer": "product_search"},
                "category": {
                    "type": "text", "analyzer": "product_text", "search_analyzer": "product_search",
                    "fields": {"keyword": {"type": "keyword"}},
                },
                "price": {"type": "scaled_float", "scaling_factor": 100},
                "status": {"type": "keyword"},
                "version": {"type": "long"},
                "createdAt": {"type": "date"},
                "updatedAt": {"type": "date"},
            },
        },
    }


def to_document(row: ProductRow) -> dict[str, Any]:
    return {
        "productId": row.product_id, "name": row.name, "description": row.description,
        "category": row.category, "price": f"{row.price:.2f}", "status": row.status,
        "version": row.version, "createdAt": row.created_at.isoformat(),
        "updatedAt": row.updated_at.isoformat(),
    }


def from_document(doc: dict[str, Any]) -> ProductRow:
    return ProductRow(
        doc["productId"], doc["name"], doc["description"], doc["category"],
        Decimal(str(doc["price"])), doc["status"], int(doc["version"]),
        datetime.fromisoformat(doc["createdAt"]), datetime.fromisoformat(doc["updatedAt"]),
    )
