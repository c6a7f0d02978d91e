"""Restart the processor in place when a batch stops making progress.

librdkafka's `send_offsets_to_transaction` can block forever, past its
timeout, when the group coordinator went away, e.g. across a broker restart
(confluentinc/librdkafka#5456 and #5511, open). Nothing in the process can
unblock that call, so the watchdog re-executes the process: same pid, fresh
clients. The stable transactional id aborts the stuck transaction and static
group membership hands the partitions straight back; nothing acknowledged is
lost, since the batch was never committed.
"""

import os
import sys
import threading
import time
from collections.abc import Callable

import structlog

log = structlog.get_logger(__name__)


def restart_process() -> None:
    log.error("batch stalled; restarting the processor (librdkafka#5456)")
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


class StallWatchdog:
    def __init__(self, limit_seconds: float, on_stall: Callable[[], None] = restart_process,
                 check_every: float = 1.0) -> None:
        self._limit = limit_seconds
        self._on_stall = on_stall
        self._check_every = check_every
        self._busy_since: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def busy(self) -> None:
        self._busy_since = time.monotonic()

    def idle(self) -> None:
        self._busy_since = None

    def _watch(self) -> None:
        while not self._stop.wait(self._check_every):
            since = self._busy_since
            if since is not None and time.monotonic() - since > self._limit:
                self._stop.set()
                self._on_stall()
