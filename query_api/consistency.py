"""Read-your-writes: wait (bounded) until a projection has applied a consistency token.

The token (header `X-Consistency-Token` or query parameter `consistency_token`,
format in projections/consistency.py) names log positions; only those on the
topics the projection reads count. The wait polls the projection's live
checkpoints. When the bound passes first, the request is answered anyway and
marked `X-Consistency: stale` (a 200, not a 504: the client gets the best data
there is and can retry; a timeout error would hide it); when the token is
reached it is marked `consistent`.
"""

import asyncio
import time

import asyncpg

from infra.http_errors import ApiError
from projections.consistency import ConsistencyToken
from projections.pg_control import live_checkpoints

HEADER = "X-Consistency-Token"
QUERY = "consistency_token"
RESULT_HEADER = "X-Consistency"


def parse_token(text: str | None) -> ConsistencyToken | None:
    if not text:
        return None
    try:
        return ConsistencyToken.decode(text)
    except ValueError as error:
        raise ApiError(400, "invalid_consistency_token", str(error), field=HEADER) from error


class ConsistencyGate:
    def __init__(self, pool: asyncpg.Pool, topics: set[str], wait_seconds: float,
                 poll_seconds: float) -> None:
        self._pool, self._topics = pool, topics
        self._wait, self._poll = wait_seconds, poll_seconds

    async def wait(self, token: ConsistencyToken, projection: str) -> bool:
        """True once the projection reached the token; False if the wait bound passed."""
        wanted = ConsistencyToken({position: offset for position, offset in token.positions.items()
                                   if position[0] in self._topics})
        deadline = time.monotonic() + self._wait
        while True:
            if wanted.reached_by(await live_checkpoints(self._pool, projection)):
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(self._poll)
