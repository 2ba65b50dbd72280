"""Public means ``Proposal.is_public``, everywhere: an idea hidden by children's reports is gone from every page a
visitor can reach and from every open API document, not only from its own page."""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from council.accounts.operations import find_account
from council.extensions import db
from council.proposals.models import Proposal
from council.reports import operations
from council.reports.models import FlagReason
from council.reports.targets import TARGETS

HIDDEN = "斑马线颜色太淡"  # answered by 周村交警大队 and rated: on the unit's page, the statistics and the open data
LINK = re.compile(r"""(?:href|src|action)="([^"#]+)""")
SKIP = ("/static/", "/lang/", "/login", "/logout", "/help", "/uploads/")
LIMIT = 700  # pages; the demo district has about 400 a visitor can reach


def _links(base: str, response) -> list[str]:
    if response.mimetype == "application/json":
        text = response.get_data(as_text=True)
        return [value for value in re.findall(r'"(/[^"\s]*)"', text)]
    if response.mimetype != "text/html":
        return []
    return [urljoin(base, href.replace("&amp;", "&")) for href in LINK.findall(response.get_data(as_text=True))]


def _start(app) -> list[str]:
    """Every GET route that takes no value, and the open API's."""
    return sorted(str(rule.rule) for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(SKIP))


def test_an_idea_hidden_by_reports_shows_on_no_public_page_and_in_no_api_document(app, client, demo):
    idea = db.session.scalar(select(Proposal).where(Proposal.title == HIDDEN))
    idea_id = idea.id
    assert client.get(f"/ideas/{idea_id}").status_code == 200
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    operations.flag(find_account("kid04"), TARGETS["proposal"], idea, FlagReason.unkind, "")
    db.session.commit()
    assert not db.session.get(Proposal, idea_id).is_public

    seen: set[str] = set()
    queue = deque(_start(app))
    found: list[str] = []
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        parts = urlsplit(path)
        if parts.netloc not in ("", "localhost") or path in seen or parts.path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        body = response.get_data()
        response.close()  # pictures and downloads are files
        assert response.status_code < 500, path
        if HIDDEN.encode() in body or json.dumps(HIDDEN).encode() in body:
            found.append(path)
        if response.status_code == 200:
            queue.extend(link for link in _links(path, response) if link not in seen)

    assert found == []
    assert len(seen) > 100 and not queue, (len(seen), len(queue))  # the crawl reached every page it found
    for path in (f"/ideas/{idea_id}", f"/api/v1/proposals/{idea_id}"):
        assert client.get(path).status_code == 404
    unit_pages = [p for p in seen if p.startswith("/units/") and p.rstrip("/") != "/units"]
    assert unit_pages, "the crawl visited the units' pages"
