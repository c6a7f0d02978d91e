"""A rebuild's bulk phase in several processes, each reading its share of the partitions.

Decoding Avro is CPU-bound Python: processes, not threads, are what use more
cores. Each worker writes to the new version only (its own partitions, so its
own products and checkpoints); the parent holds the rebuild lock and does the
catch-up and the swap.
"""

import asyncio
import multiprocessing
from collections.abc import Callable
from typing import Any

from infra.settings import Settings
from projections.bootstrap import ProjectionClients, ProjectorSpec, connect
from projections.log_reader import LogReader
from projections.pump import Pump
from projections.settings import ProjectionSettings


async def bulk_in_processes(spec: ProjectorSpec, clients: ProjectionClients, version: int,
                             workers: int, batch_size: int, progress: Callable[[int], None]) -> int:
    """Each process reads its share of the partitions to the end into `version`.

    Decoding is CPU-bound Python; processes, not threads, are what use more cores.
    """
    partitions = LogReader.partitions_of(clients.settings.kafka_bootstrap,
                                         clients.projection_settings.events_topic)
    context = multiprocessing.get_context("spawn")  # fork is unsafe with librdkafka threads
    counters = [context.Value("q", 0) for _ in range(workers)]
    processes = [
        context.Process(target=_bulk_worker, name=f"rebuild-{spec.kind}-{i}", daemon=True,
                        args=(spec, clients.settings, clients.projection_settings, version,
                              partitions[i::workers], batch_size, counters[i]))
        for i in range(workers) if partitions[i::workers]]
    for process in processes:
        process.start()
    try:
        while any(process.is_alive() for process in processes):
            progress(sum(int(counter.value) for counter in counters))
            await asyncio.sleep(0.25)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            await asyncio.to_thread(process.join)
    failed = [p.name for p in processes if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"rebuild worker(s) {', '.join(failed)} failed; nothing was swapped")
    return sum(int(counter.value) for counter in counters)


def _bulk_worker(spec: ProjectorSpec, settings: Settings, projection_settings: ProjectionSettings,
                 version: int, partitions: list[int], batch_size: int, counter: Any) -> None:
    async def run() -> None:
        clients = await connect(settings, projection_settings)
        reader = LogReader(settings.kafka_bootstrap, projection_settings.events_topic,
                           batch_size=batch_size, partitions=partitions)
        try:
            pump = Pump(reader, spec.build(clients), version)
            while not pump.at_end:
                await pump.step()
                counter.value = pump.done
            await pump.drain()
            counter.value = pump.done
        finally:
            reader.close()
            await clients.close()

    asyncio.run(run())
