"""`python -m bench` (`make bench`): every benchmark in one run, a table, and a JSON file.

Each figure is printed beside its target and, where there is one, the ceiling
(a bare producer) or the peer (the `eventsourcing` library on PostgreSQL)
measured in the same run on the same machine.
"""

import json
import os
import platform
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import aggregate_load, ceiling, http_bench, processor_bench, projection_bench
from bench.environment import bench_platform
from infra.logs import configure_logging
from infra.settings import get_settings

RESULTS = Path(__file__).resolve().parent / "results"
console = Console()


def main() -> None:
    configure_logging("bench", level="WARNING")
    settings = get_settings()
    started = time.perf_counter()
    results: dict[str, Any] = {}
    log_dir = settings.stack_dir / "bench-logs" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with bench_platform(settings, log_dir) as bench:
        codec, prefix = bench.codec(), bench.settings.topic_prefix
        console.print("processor alone ...")
        results["processor"] = asdict(processor_bench.run(bench))
        console.print("HTTP ...")
        results["http"] = asdict(http_bench.run(bench.start_command_api()))
        console.print("aggregate load ...")
        results["aggregate_load"] = asdict(aggregate_load.run(settings.kafka_bootstrap, codec, prefix))
        console.print("ceiling ...")
        sample = len(codec.encode(f"{prefix}catalog.events", "shop.catalog.ProductCreated", {
            "productId": "8c1f0d2e-0000-4000-8000-000000000000", "name": "Product 1000",
            "description": "A product for the benchmark", "category": "category-1",
            "price": Decimal("19.90"), "timestamp": datetime.now(UTC)}))
        results["ceiling"] = asdict(ceiling.run(settings.kafka_bootstrap, prefix, sample))
    console.print("projections and rebuild ...")
    results["projection"] = projection_bench.run(settings)
    results.update(_optional_sections(settings))
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                          "platform": platform.platform(), "seconds": round(time.perf_counter() - started)}
    _report(results)


def _optional_sections(settings: Any) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    try:
        from bench.peer_eventsourcing import run_peer_benchmark
    except ImportError as error:  # the bench extra is not installed
        sections["peer_eventsourcing"] = {"skipped": str(error)}
    else:
        console.print("peer: eventsourcing on PostgreSQL ...")
        sections["peer_eventsourcing"] = asdict(run_peer_benchmark({
            "host": settings.postgres_host, "port": str(settings.postgres_port),
            "user": settings.postgres_user, "password": settings.postgres_password.get_secret_value(),
            "dbname": settings.postgres_db}))
    return sections


def _report(results: dict[str, Any]) -> None:
    p, h, a, c = results["processor"], results["http"], results["aggregate_load"], results["ceiling"]
    peer = results.get("peer_eventsourcing", {})
    table = Table("measure", "ours", "target", "compared with")
    table.add_row("processor commands/s", f"{p['commands_per_second']:,.0f}", ">= 5,000",
                  f"ceiling {c['records_per_second']:,.0f} records/s "
                  f"({p['commands_per_second'] / c['records_per_second']:.2f}x)")
    if "commands_per_second" in peer:
        table.add_row("", "", "", f"peer {peer['commands_per_second']:,.0f} commands/s sequential, "
                      f"{peer['commands_per_second_concurrent']:,.0f} concurrent "
                      f"({p['commands_per_second'] / peer['commands_per_second_concurrent']:.1f}x)")
    table.add_row(f"processor latency at {p['paced_rate']:,.0f}/s", f"p50 {p['p50_ms']:.1f} ms, "
                  f"p99 {p['p99_ms']:.1f} ms", "", "")
    table.add_row(f"HTTP commands/s ({h['concurrency']} clients)", f"{h['commands_per_second']:,.0f}",
                  ">= 1,000", "")
    table.add_row(f"HTTP latency at {h['paced_rate']:.0f}/s", f"p50 {h['p50_ms']:.1f} ms, "
                  f"p99 {h['p99_ms']:.1f} ms", "p99 <= 50 ms", f"{h['errors']} errors")
    table.add_row(f"aggregate load, {a['events']:,} events", f"{a['without_snapshot_seconds'] * 1000:.0f} ms",
                  "", f"peer {peer.get('load_10k_seconds', float('nan')) * 1000:.0f} ms")
    table.add_row("  ... from a snapshot", f"{a['with_snapshot_seconds'] * 1000:.0f} ms", "",
                  f"peer {peer.get('load_10k_snapshot_seconds', float('nan')) * 1000:.0f} ms")
    projection = results["projection"]
    for label, key, target in [("projection into PostgreSQL", "postgres_events_per_second", ">= 20,000"),
                               ("projection into OpenSearch", "search_events_per_second", ""),
                               ("rebuild of PostgreSQL", "rebuild_events_per_second", ">= 20,000")]:
        table.add_row(f"{label}, events/s", f"{projection[key]:,.0f}", target, "")
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    console.print(f"written to {path}")


if __name__ == "__main__":
    main()
