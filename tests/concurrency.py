"""Running calls at the same moment, for the tests that prove a count stays exact under parallel clicks."""

from __future__ import annotations

import threading


def parallel(calls):
    """Start every call together (a barrier releases them at once) and return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
