"""Commands through the real HTTP API: closed-loop throughput, then a paced load for latency.

The load generator is aiohttp: httpx's connection pool tops out near 200
requests/s on this machine, which measured the client instead of the API.
"""

import asyncio
import time
import uuid
from dataclasses import dataclass

import aiohttp

from bench.stats import Latencies


@dataclass(frozen=True)
class HttpResult:
    commands_per_second: float
    concurrency: int
    paced_rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def _body(index: int) -> dict[str, str]:
    return {"name": f"Bench product {index}", "description": "from the HTTP benchmark",
            "category": f"category-{index % 20}", "price": "19.90"}


async def _post(session: aiohttp.ClientSession, index: int) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        async with session.post("/api/products", json=_body(index),
                                headers={"Idempotency-Key": uuid.uuid4().hex}) as response:
            await response.read()
            ok = response.status in (200, 201)
    except aiohttp.ClientError:
        ok = False
    return time.perf_counter() - started, ok


def _session(url: str, connections: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=connections),
                                 timeout=aiohttp.ClientTimeout(total=30))


async def _closed_loop(url: str, concurrency: int, seconds: float) -> tuple[int, int, float]:
    done = errors = 0
    deadline = time.perf_counter() + seconds
    async with _session(url, concurrency) as session:
        async def worker(offset: int) -> None:
            nonlocal done, errors
            index = offset
            while time.perf_counter() < deadline:
                _, ok = await _post(session, index)
                done, errors, index = done + ok, errors + (not ok), index + concurrency
        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return done, errors, time.perf_counter() - started


async def _paced(url: str, rate: float, seconds: float) -> tuple[Latencies, int]:
    results: list[tuple[float, bool]] = []
    async with _session(url, 200) as session:
        async def one(index: int) -> None:
            results.append(await _post(session, index))
        started, tasks = time.perf_counter(), []
        for index in range(int(rate * seconds)):
            # Open loop: a request leaves on schedule whether or not the last one returned.
            await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
    return Latencies([t for t, ok in results if ok]), sum(not ok for _, ok in results)


def run(url: str, concurrency: int = 64, seconds: float = 10, paced_rate: float = 300) -> HttpResult:
    asyncio.run(_closed_loop(url, 8, 2))  # warm-up: connections, schema ids, caches
    done, errors, elapsed = asyncio.run(_closed_loop(url, concurrency, seconds))
    latencies, paced_errors = asyncio.run(_paced(url, paced_rate, seconds))
    return HttpResult(done / elapsed, concurrency, paced_rate, latencies.p50_ms, latencies.p99_ms,
                      errors + paced_errors)
