"""The processor alone: a backlog of commands drained, then a paced load for latency."""

from dataclasses import dataclass

from bench.commands_load import ReplyCounter, encode_creates, latencies, produce
from bench.environment import BenchPlatform


@dataclass(frozen=True)
class ProcessorResult:
    commands: int
    commands_per_second: float
    paced_rate: float
    p50_ms: float
    p99_ms: float


def run(platform: BenchPlatform, backlog: int = 50_000, paced_rate: float = 2_000,
        paced_seconds: float = 5) -> ProcessorResult:
    settings = platform.settings
    bootstrap, prefix, codec = settings.kafka_bootstrap, settings.topic_prefix, platform.codec()
    replies = ReplyCounter(bootstrap, prefix)
    try:
        produce(bootstrap, prefix, encode_creates(codec, prefix, backlog))
        platform.start_processor()
        if not replies.wait_for(backlog, timeout=600):
            raise RuntimeError(f"only {len(replies.arrivals)} of {backlog} replies arrived")
        times = sorted(replies.arrivals.values())
        rate = (backlog - 1) / (times[-1] - times[0])

        paced = encode_creates(codec, prefix, int(paced_rate * paced_seconds))
        replies.arrivals.clear()
        sent = produce(bootstrap, prefix, paced, rate=paced_rate)
        replies.wait_for(len(paced), timeout=60)
        observed = latencies(sent, replies.arrivals)
    finally:
        replies.close()
    return ProcessorResult(backlog, rate, paced_rate, observed.p50_ms, observed.p99_ms)
