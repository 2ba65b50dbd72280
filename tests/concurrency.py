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


def signed_in_clients(app, username: str, count: int, password: str | None = None) -> list:
    """``count`` test clients of ``app``, each signed in as ``username`` on its own (English pages): the taps."""
    from tests.conftest import PASSWORD

    clients = []
    for _i in range(count):
        client = app.test_client()
        client.set_cookie("lang", "en")
        client.post("/login", data={"username": username, "password": password or PASSWORD})
        clients.append(client)
    return clients


def count_rows(model, *where) -> int:
    from sqlalchemy import func, select

    from council.extensions import db

    return db.session.scalar(select(func.count()).select_from(model).where(*where))
