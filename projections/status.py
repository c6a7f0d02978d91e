"""Where each projector is: position, lag in events and in seconds, dead letters.

Lag against the last stable offset counts transaction markers too, so where it
is small the unapplied records are read and counted; beyond `exact_limit` per
partition the figure is the offset difference (an upper bound, marked estimated).
Lag in seconds is the age of the oldest record not yet applied.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from projections.log_offsets import LogOffsets
from projections.log_reader import LogReader
from projections.pg_control import versioned


@dataclass(frozen=True)
class ProjectorStatus:
    projection: str
    live_version: int | None
    building_version: int | None
    positions: dict[int, int]  # partition -> next offset to apply
    lag_events: int
    lag_exact: bool
    lag_seconds: float
    dead_letters: int
    updated_at: datetime | None


@dataclass(frozen=True)
class Unapplied:
    count: int
    exact: bool
    oldest_ms: int | None


def unapplied(bootstrap: str, topic: str, positions: dict[int, int], ends: dict[int, int],
              exact_limit: int = 10000) -> dict[int, Unapplied]:
    """Per partition, the committed records between the position and the end (blocking)."""
    behind = {p: positions.get(p, 0) for p, end in ends.items() if end > positions.get(p, 0)}
    if not behind:
        return {}
    counts, oldest = dict.fromkeys(behind, 0), dict.fromkeys(behind)
    reader = LogReader(bootstrap, topic, {**ends, **behind}, batch_size=1000)
    try:
        deadline = time.monotonic() + 10
        while not reader.at_end and time.monotonic() < deadline and any(
                counts[p] <= exact_limit for p in behind):
            for record in reader.read(timeout=0.05):
                if record.partition in counts:
                    counts[record.partition] += 1
                    if oldest[record.partition] is None:
                        oldest[record.partition] = record.timestamp_ms
    finally:
        reader.close()
    exact = reader.at_end
    return {p: Unapplied(counts[p] if exact else ends[p] - behind[p], exact, oldest[p])
            for p in behind}


async def projector_status(pool: asyncpg.Pool, bootstrap: str, topic: str,
                           projections: list[str]) -> list[ProjectorStatus]:
    ends = await asyncio.to_thread(LogOffsets(bootstrap).end_offsets, topic)
    rows = []
    for projection in projections:
        pointer = await pool.fetchrow("SELECT live_version, building_version FROM projection_versions"
                                      " WHERE projection = $1", projection)
        live = pointer["live_version"] if pointer else None
        checkpoints = await pool.fetch(
            "SELECT partition, next_offset, dead_letters, updated_at FROM projection_checkpoints"
            " WHERE projection = $1 AND topic = $2",
            versioned(projection, live or 0), topic)
        positions = {row["partition"]: row["next_offset"] for row in checkpoints}
        behind = await asyncio.to_thread(unapplied, bootstrap, topic, positions, ends)
        oldest = [u.oldest_ms for u in behind.values() if u.oldest_ms is not None]
        rows.append(ProjectorStatus(
            projection, live, pointer["building_version"] if pointer else None, positions,
            sum(u.count for u in behind.values()), all(u.exact for u in behind.values()),
            max(0.0, time.time() - min(oldest) / 1000) if oldest else 0.0,
            sum(row["dead_letters"] for row in checkpoints),
            max((row["updated_at"] for row in checkpoints), default=None)))
    return rows
