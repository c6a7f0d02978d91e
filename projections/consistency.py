"""Consistency tokens: the log positions a command's events were appended at.

A command reply carries one; the query API, given it, waits (bounded) until its
projections have applied at least those positions — read-your-writes. The text
form is `topic:partition:next_offset` items joined by commas.
"""

from dataclasses import dataclass

Position = tuple[str, int]  # (topic, partition)


@dataclass(frozen=True)
class ConsistencyToken:
    positions: dict[Position, int]  # next offset to apply, per (topic, partition)

    def encode(self) -> str:
        return ",".join(f"{topic}:{partition}:{offset}"
                        for (topic, partition), offset in sorted(self.positions.items()))

    @classmethod
    def decode(cls, text: str) -> "ConsistencyToken":
        positions: dict[Position, int] = {}
        for item in filter(None, text.split(",")):
            try:
                topic, partition_text, offset = item.rsplit(":", 2)
                position = (topic, int(partition_text))
                positions[position] = max(int(offset), positions.get(position, 0))
            except ValueError as error:
                raise ValueError(f"malformed consistency token item {item!r}") from error
        return cls(positions)

    def reached_by(self, applied: dict[Position, int]) -> bool:
        return all(applied.get(position, 0) >= offset for position, offset in self.positions.items())
