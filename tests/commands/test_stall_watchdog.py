"""The watchdog fires only when one batch outlives the limit."""

import threading
import time

from commands.processor.watchdog import StallWatchdog


def test_a_batch_that_outlives_the_limit_triggers_the_restart() -> None:
    fired = threading.Event()
    watchdog = StallWatchdog(0.2, on_stall=fired.set, check_every=0.02)
    watchdog.start()

    watchdog.busy()

    assert fired.wait(2)


def test_short_batches_never_trigger_it() -> None:
    fired = threading.Event()
    watchdog = StallWatchdog(0.2, on_stall=fired.set, check_every=0.02)
    watchdog.start()
    for _ in range(10):
        watchdog.busy()
        time.sleep(0.05)
        watchdog.idle()

    assert not fired.wait(0.4)
    watchdog.stop()
