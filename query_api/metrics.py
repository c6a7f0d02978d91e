"""Prometheus metrics of the query API, served at /metrics."""

from prometheus_client import Counter, Histogram

REQUESTS = Counter("shop_query_requests_total", "HTTP requests", ["route", "method", "status"])
LATENCY = Histogram("shop_query_request_seconds", "HTTP request latency", ["route", "method"])
CONSISTENCY_WAITS = Counter("shop_query_consistency_waits_total",
                            "Requests that carried a consistency token, by outcome",
                            ["projection", "outcome"])
