"""The aggregates of one partition, in memory, and the pure handling of a command.

Changes made while handling a batch go to an overlay that becomes the state
only when the batch's Kafka transaction commits; an abort drops it, so memory
never runs ahead of the log.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic

from aggregates.rejection import Rejection
from commands.aggregate_type import AggregateType, C, E, S
from schemas.envelope import CommandMetadata

RecentCommand = tuple[int, int, datetime]  # (version after, next offset, at)
RecentCommands = dict[str, RecentCommand]  # command id -> outcome, oldest first


@dataclass(frozen=True)
class Entry(Generic[S]):
    state: S
    version: int = 0


@dataclass(frozen=True)
class Accepted(Generic[E]):
    events: list[E]
    first_version: int
    version: int


@dataclass(frozen=True)
class Duplicate:
    version: int
    next_offset: int


@dataclass(frozen=True)
class VersionMismatch:
    expected: int
    current: int


@dataclass(frozen=True)
class Refused:
    rejection: Rejection
    version: int


Decision = Accepted[Any] | Duplicate | VersionMismatch | Refused


@dataclass
class IdempotencyWindow:
    """How long, and how many, command ids an aggregate remembers."""

    period: timedelta = timedelta(hours=24)
    max_ids: int = 1000

    def trim(self, recent: RecentCommands, now: datetime) -> None:
        """Forget from the oldest end, in place: O(1) per id forgotten."""
        while recent:
            oldest = next(iter(recent))
            if len(recent) <= self.max_ids and now - recent[oldest][2] <= self.period:
                return
            del recent[oldest]


class PartitionState(Generic[S, C, E]):
    def __init__(self, kind: AggregateType[S, C, E], window: IdempotencyWindow | None = None) -> None:
        self.kind = kind
        self.window = window or IdempotencyWindow()
        self.entries: dict[str, Entry[S]] = {}
        self.recent: dict[str, RecentCommands] = {}  # per aggregate, committed
        self._overlay: dict[str, Entry[S]] = {}
        self._overlay_recent: dict[str, RecentCommands] = {}  # this batch's accepted commands
        self.dirty: set[str] = set()  # changed since the last snapshot
        self._snapshot_taken: set[str] | None = None  # dirty set as it was, if this batch snapshots

    def entry(self, aggregate_id: str) -> Entry[S]:
        found = self._overlay.get(aggregate_id) or self.entries.get(aggregate_id)
        return found if found is not None else Entry(self.kind.initial)

    def seen(self, aggregate_id: str, command_id: str) -> RecentCommand | None:
        pending = self._overlay_recent.get(aggregate_id)
        if pending is not None and command_id in pending:
            return pending[command_id]
        return self.recent.get(aggregate_id, {}).get(command_id)

    def handle(self, meta: CommandMetadata, command: C) -> Decision:
        entry = self.entry(meta.aggregate_id)
        if (seen := self.seen(meta.aggregate_id, meta.command_id)) is not None:
            return Duplicate(seen[0], seen[1])
        if meta.expected_version is not None and meta.expected_version != entry.version:
            return VersionMismatch(meta.expected_version, entry.version)
        result = self.kind.decide(entry.state, command)
        if isinstance(result, Rejection):
            return Refused(result, entry.version)
        events = list(result)
        if not events:
            return Accepted([], entry.version, entry.version)
        state = entry.state
        for event in events:
            state = self.kind.evolve(state, event)
        version = entry.version + len(events)
        self._overlay[meta.aggregate_id] = Entry(state, version)
        self._overlay_recent.setdefault(meta.aggregate_id, {})[meta.command_id] = (
            version, -1, self.kind.command_time(command))
        return Accepted(events, entry.version + 1, version)

    def record_offset(self, aggregate_id: str, command_id: str, next_offset: int) -> None:
        """Once the events are delivered, remember where they ended for duplicate replies."""
        pending = self._overlay_recent[aggregate_id]
        version, _, at = pending[command_id]
        pending[command_id] = (version, next_offset, at)

    def take_snapshot_ids(self) -> set[str]:
        """The aggregates to snapshot in this batch's transaction, this batch's changes included."""
        self._snapshot_taken = set(self.dirty)
        self.dirty.clear()
        return self._snapshot_taken | set(self._overlay)

    def commit(self) -> None:
        self.entries.update(self._overlay)
        for aggregate_id, pending in self._overlay_recent.items():
            self._remember(aggregate_id, pending)
        if self._snapshot_taken is None:
            self.dirty.update(self._overlay)
        self._snapshot_taken = None
        self._overlay.clear()
        self._overlay_recent.clear()

    def abort(self) -> None:
        if self._snapshot_taken is not None:
            self.dirty |= self._snapshot_taken  # the snapshots were aborted with the batch
        self._snapshot_taken = None
        self._overlay.clear()
        self._overlay_recent.clear()

    def pending(self) -> dict[str, Entry[S]]:
        return self._overlay

    def _remember(self, aggregate_id: str, outcomes: RecentCommands) -> None:
        recent = self.recent.setdefault(aggregate_id, {})
        recent.update(outcomes)
        self.window.trim(recent, max(at for *_, at in outcomes.values()))

    # Rebuilding from the log.
    def apply_stored(self, aggregate_id: str, version: int, event: E, causation_id: str,
                     next_offset: int, at: datetime) -> None:
        entry = self.entries.get(aggregate_id) or Entry(self.kind.initial)
        if version <= entry.version:
            return  # already in the snapshot
        self.entries[aggregate_id] = Entry(self.kind.evolve(entry.state, event), version)
        self._remember(aggregate_id, {causation_id: (version, next_offset, at)})
        # Not in any snapshot yet: the next marker must not be written past it unsnapshotted.
        self.dirty.add(aggregate_id)

    def restore(self, aggregate_id: str, snapshot: dict[str, Any]) -> None:
        self.entries[aggregate_id] = Entry(self.kind.state_from_snapshot(snapshot["state"]),
                                           snapshot["version"])
        self.recent[aggregate_id] = {cid: (version, offset, datetime.fromisoformat(at))
                                     for cid, version, offset, at in snapshot["recent"]}

    def snapshot(self, aggregate_id: str) -> dict[str, Any]:
        entry = self.entry(aggregate_id)
        recent = {**self.recent.get(aggregate_id, {}), **self._overlay_recent.get(aggregate_id, {})}
        return {
            "version": entry.version,
            "state": self.kind.state_to_snapshot(entry.state),
            "recent": [[cid, version, offset, at.isoformat()]
                       for cid, (version, offset, at) in recent.items()],
        }
