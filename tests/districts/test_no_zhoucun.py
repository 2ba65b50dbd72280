"""A platform set up for another district shows no Zhoucun name: every page a visitor or the district's coordinator
opens, every open-data endpoint, the annual report (page and PDF) and the mail, in Chinese and in English."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from council.accounts.models import Account
from council.calendar import clock
from council.councils.models import Council
from council.extensions import db
from council.notifications.outbox import message_of, queue
from council.proposals import operations as ideas
from council.units.models import Unit
from tests.districts.conftest import NEW_PASSWORD

ZHOUCUN = re.compile("周村|zhoucun", re.IGNORECASE)
TEXT = ("text/html", "application/json", "text/csv", "text/plain", "text/calendar")


@pytest.fixture
def district(app, client, liangshan, make):
    """The invented district with a child's public idea in 清河镇 and its coordinator's password set."""
    qinghe = db.session.scalar(select(Council).where(Council.code == "qinghe"))
    child = make.child(qinghe, nickname="小河")
    facilitator = make.adult(role="facilitator", council=qinghe)
    idea = ideas.start_draft(child, qinghe)
    ideas.save_draft(idea, child, title="河边要有栏杆", problem="河边没有栏杆，很危险。", idea="在河边装上栏杆。")
    ideas.choose_topic(idea, child, None)
    ideas.submit(idea, child)
    ideas.publish(idea, facilitator)
    db.session.commit()
    path = "/" + liangshan.split("/", 3)[3]
    assert client.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    unit = db.session.scalar(select(Unit).where(Unit.name == "梁山区教育局"))
    return {"council_id": qinghe.id, "unit_id": unit.id, "no": 1, "proposal_id": idea.id,
            "year": clock.today().year}


def pages(app, values: dict) -> list[str]:
    """Every GET address of the app whose parts the district can fill (ids of its council, unit, task, idea)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or not set(rule.arguments) <= set(values):
            continue
        found.append(rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1])
    return sorted(set(found))


def zhoucun_in(client, paths: list[str]) -> tuple[list[str], list[str]]:
    """(pages read, what named Zhoucun) for each of ``paths`` that answers 200 with text."""
    read, found = [], []
    for path in paths:
        response = client.get(path)
        assert response.status_code != 500, path
        disposition = response.headers.get("Content-Disposition", "")
        if ZHOUCUN.search(disposition):
            found.append(f"{path}: {disposition}")
        if response.status_code != 200 or response.mimetype not in TEXT:
            continue
        read.append(path)
        text = response.get_data(as_text=True)
        found += [f"{path}: …{text[max(m.start() - 40, 0):m.end() + 40]}…" for m in ZHOUCUN.finditer(text)]
    return read, found


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_no_page_or_open_data_names_zhoucun(app, client, auth, district, language):
    client.get(f"/lang/{language}")
    paths = pages(app, district)
    read, found = zhoucun_in(client, paths)
    assert found == [] and len(read) >= 30, (found, read)
    api = [p for p in paths if p.startswith("/api/v1") and "/unit/" not in p]
    assert set(api) <= set(read) and len(api) >= 8, api  # every open-data endpoint answered
    for page in ("/", "/councils/", "/plan/", "/privacy", f"/report/{district['year']}", "/stats",
                 f"/ideas/{district['proposal_id']}", f"/units/{district['unit_id']}"):
        assert page in read, page
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert ("Liangshan Children's Council" if language == "en" else "梁山区儿童议事会") in home

    assert auth.login("ls_office", NEW_PASSWORD).status_code == 302
    signed_in, found = zhoucun_in(client, [p for p in paths if p not in ("/logout",)])
    assert found == [] and len(signed_in) > len(read), found
    assert "/coordinator" in signed_in and "/supervision" in signed_in


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_the_annual_report_names_the_district(client, district, language):
    client.get(f"/lang/{language}")
    year = district["year"]
    page = html.unescape(client.get(f"/report/{year}").get_data(as_text=True))
    response = client.get(f"/report/{year}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    title = "Liangshan Children's Council: annual report" if language == "en" else f"梁山区儿童议事会{year}年度报告"
    assert title in page and title in text.replace("\n", "")
    assert not ZHOUCUN.search(page) and not ZHOUCUN.search(text)
    assert "liangshan-children-council" in response.headers["Content-Disposition"]


def test_mail_leaves_in_the_districts_name(app, district):
    mail = queue("parent@example.org", "主题", "正文")
    db.session.flush()
    assert message_of(mail)["From"].startswith("梁山区儿童议事会 <")
    app.config["MAIL_FROM"] = "Liangshan <council@liangshan.example>"
    assert message_of(mail)["From"] == "Liangshan <council@liangshan.example>"


def test_an_empty_platform_names_no_district(client, app):
    """Before anyone set a district up the pages still work, with neutral words."""
    assert db.session.scalar(select(Account.id)) is None
    page = client.get("/").get_data(as_text=True)
    assert "<h1>儿童议事会</h1>" in page and not ZHOUCUN.search(page)
    client.get("/lang/en")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "<h1>Children's Council</h1>" in page and "for a better district" in page and not ZHOUCUN.search(page)
