"""Prometheus metrics of the projectors, served on settings.streams_metrics_port."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_APPLIED = Counter("shop_projector_events_applied_total",
                         "Events applied to the read model", ["projector"])
RECORDS_SKIPPED = Counter("shop_projector_records_skipped_total",
                          "Records already applied before (redelivery, replay)", ["projector"])
DEAD_LETTERS = Counter("shop_projector_dead_letters_total",
                       "Poison records sent to the dead-letter topic", ["projector"])
BATCH_SECONDS = Histogram("shop_projector_batch_seconds", "Time to apply one batch", ["projector"],
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
BATCH_FAILURES = Counter("shop_projector_batch_failures_total",
                         "Batches that failed and were retried", ["projector"])
LAG_EVENTS = Gauge("shop_projector_lag_events",
                   "Last stable offset minus the next offset to apply (an upper bound)",
                   ["projector", "topic", "partition"])
LAG_SECONDS = Gauge("shop_projector_lag_seconds",
                    "Age of the newest applied event while behind, else 0", ["projector"])
