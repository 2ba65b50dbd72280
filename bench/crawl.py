"""The slowest and largest pages of the benchmark's district, as each demo account opens them: every page of the
access matrix (tests/test_access.py) and every address those pages link to (up to 400 per account, without
exports), each timed once in one process with the test client, with its size. A list that grows with the district
shows here as a page of megabytes (the admin's accounts were 6 MB, the office's screening queue 1.9 MB).

    .venv/bin/python bench/crawl.py            # the scale-100 SQLite district `make bench` built
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/crawl.py

Times are of one process on a machine whose speed moves: read them for the order of the pages and their sizes;
`make bench` measures speed against a reference."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHOWN = int(os.environ.get("CRAWL_SHOWN", "25"))


def main() -> None:
    from council import create_app
    from tests.test_access import ACCOUNTS, PUBLIC, ROLE_PAGES

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench' / 'scale-100.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "crawl", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})
    found = []
    for username in [None, *ACCOUNTS]:
        client = app.test_client()
        if username:
            client.post("/login", data={"username": username, "password": "zhoucun2026"})
        pages = PUBLIC + [path for path, who in ROLE_PAGES.items() if username in who]
        links: set[str] = set()
        for path in pages:
            answer = client.get(path)
            if answer.mimetype == "text/html":
                links |= set(re.findall(r'href="(/[^"#]*)"', answer.get_data(as_text=True)))
        links = {re.sub(r"\?page=\d+", "", link) for link in links if "export" not in link
                 and not link.startswith("/static") and "logout" not in link}
        for path in dict.fromkeys(pages + sorted(links)[:400]):
            started = time.perf_counter()
            answer = client.get(path)
            found.append(((time.perf_counter() - started) * 1000, len(answer.data) // 1024, answer.status_code,
                          username or "visitor", path))
    print(f"{len(found)} pages; the slowest {SHOWN}:")
    for ms, kb, status, username, path in sorted(found, reverse=True)[:SHOWN]:
        print(f"{ms:8.0f} ms {kb:6d} kB {status} {username:22s} {path}")
    print(f"the largest: {max(found, key=lambda f: f[1])[1]} kB")


if __name__ == "__main__":
    main()
