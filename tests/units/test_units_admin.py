"""The office's list of responsible units: Zhoucun's 9 street offices and town governments are units of their own
councils; the office adds a unit in both languages and switches one off (no longer offered for routing, its
history, tasks and figures kept) and on again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from council.accounts.models import Account, SystemRole
from council.accounts.operations import add_unit_staff
from council.audit.models import Event
from council.calendar import clock
from council.councils.models import Council, Tier
from council.errors import DomainError
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import ProposalState
from council.seed import load_data, seed_reference
from council.tasks import operations as tasks
from council.tasks import stats
from council.units.models import Unit, UnitKind
from tests.conftest import PASSWORD

GOVERNMENTS = {"sichoulu": "丝绸路街道办事处", "dajie": "大街街道办事处", "qingnianlu": "青年路街道办事处",
               "yonganjie": "永安街街道办事处", "chengbeilu": "城北路街道办事处", "beijiao": "北郊镇人民政府",
               "nanjiao": "南郊镇人民政府", "wangcun": "王村镇人民政府", "mengshui": "萌水镇人民政府"}


def _as(app, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def _unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


@pytest.fixture
def office(reference, make):
    coordinator = make.adult("coord", system_role=SystemRole.coordinator)
    make.adult("fac", role="facilitator", council=db.session.scalar(select(Council).where(Council.code == "beijiao")))
    db.session.commit()
    return coordinator


def test_the_nine_town_and_street_governments_are_units_of_their_councils(reference):
    assert set(load_data("units.json")["offices"]) == {t["code"] for t in load_data("councils.json")["towns"]}
    for code, name in GOVERNMENTS.items():
        unit = _unit(name)
        council = db.session.scalar(select(Council).where(Council.code == code))
        assert (unit.kind, unit.tier, unit.council_id, unit.is_active) == (UnitKind.office, Tier.town, council.id, True)
        assert unit.routable and unit.name_en and not any("\u4e00" <= ch <= "\u9fff" for ch in unit.name_en)
    assert _unit("北郊镇人民政府").name_en == "Beijiao Town Government"


def test_seeding_again_changes_nothing_and_never_switches_a_unit_back_on(reference):
    _unit("萌水镇人民政府").is_active = False
    db.session.commit()
    seed_reference()
    db.session.commit()
    assert len([u for u in db.session.scalars(select(Unit)) if u.kind is UnitKind.office]) == 9
    assert _unit("萌水镇人民政府").is_active is False


def test_a_town_councils_idea_goes_to_its_own_government(office, make):
    beijiao = db.session.scalar(select(Council).where(Council.code == "beijiao"))
    author = make.child(beijiao, username="kid", nickname="小北")
    proposal = ideas.start_draft(author, beijiao)
    ideas.save_draft(proposal, author, title="镇上的小广场", problem="没有地方玩。", idea="建一个小广场。")
    ideas.choose_topic(proposal, author, None)
    ideas.submit(proposal, author)
    ideas.publish(proposal, office)
    proposal.state = ProposalState.adopted
    government = _unit("北郊镇人民政府")
    assert tasks.suggested_units(proposal)[0] == government
    facilitator = db.session.scalar(select(Account).where(Account.username == "fac"))
    (task,) = tasks.route(proposal, facilitator, lead=government)
    assert task.unit == government and proposal.state is ProposalState.routed


def test_the_office_adds_a_unit_in_both_languages(app, office):
    client = _as(app, "coord")
    page = client.get("/units/manage")
    assert page.status_code == 200 and "添加单位" in page.get_data(as_text=True)
    group = _unit("区财政局等各行业主管部门")
    council = db.session.scalar(select(Council).where(Council.code == "dajie"))
    added = client.post("/units/manage", data={"name": "区农业农村局", "name_en": "District Agriculture Bureau",
                                               "kind": "department", "group": str(group.id), "council": ""})
    assert added.status_code == 302
    unit = _unit("区农业农村局")
    assert (unit.name_en, unit.kind, unit.tier, unit.is_active) == (
        "District Agriculture Bureau", UnitKind.department, Tier.district, True)
    db.session.refresh(group)
    assert unit in group.members
    street = client.post("/units/manage", data={"name": "大街街道某社区居委会", "name_en": "A Dajie residents' "
                                                "committee", "kind": "office", "group": "", "council": str(council.id)})
    assert street.status_code == 302
    assert (_unit("大街街道某社区居委会").council_id, _unit("大街街道某社区居委会").tier) == (council.id, Tier.town)
    assert [e.data["unit"] for e in db.session.scalars(select(Event).where(Event.action == "unit_added"))] == [
        "区农业农村局", "大街街道某社区居委会"]
    assert "区农业农村局" in client.get("/units/manage").get_data(as_text=True)
    client.get("/lang/en")
    assert "District Agriculture Bureau" in client.get("/units/manage").get_data(as_text=True)


def test_a_refused_unit_keeps_what_was_typed_and_says_why(app, office):
    client = _as(app, "coord")
    empty = client.post("/units/manage", data={"name": "", "name_en": "Somebody", "kind": "department"})
    body = empty.get_data(as_text=True)
    assert empty.status_code == 400 and "请填写单位的中文名称" in body and 'value="Somebody"' in body
    twice = client.post("/units/manage", data={"name": "区教育和体育局", "name_en": "Again", "kind": "department",
                                               "group": "", "council": ""})
    assert twice.status_code == 400 and "已经有同名的单位了" in twice.get_data(as_text=True)
    assert len(db.session.scalars(select(Unit).where(Unit.name == "区教育和体育局")).all()) == 1


def test_only_the_office_manages_units(app, office, make):
    make.adult("someone")
    db.session.commit()
    other = _as(app, "someone")
    edu = _unit("区教育和体育局")
    assert other.get("/units/manage").status_code == 403
    assert other.post(f"/units/{edu.id}/switch", data={"on": "0"}).status_code == 403
    assert other.post("/units/manage", data={"name": "某局", "name_en": "A bureau", "kind": "department"}
                      ).status_code == 403
    db.session.refresh(edu)
    assert edu.is_active and _unit("某局") is None


def test_a_unit_switched_off_is_not_offered_but_keeps_its_tasks_and_figures(app, office, make):
    edu = _unit("区教育和体育局")
    staff = make.adult("staff", email="staff@example.org")
    add_unit_staff(staff, edu, starts_on=date(2020, 1, 1))
    district = db.session.scalar(select(Council).where(Council.code == "zhoucun"))
    author = make.child(district, username="kid", nickname="小作者")
    old = []
    for title in ("操场的灯", "图书角"):
        proposal = ideas.start_draft(author, district)
        ideas.save_draft(proposal, author, title=title, problem="问题。", idea="想法。")
        ideas.choose_topic(proposal, author, None)
        ideas.submit(proposal, author)
        ideas.publish(proposal, office)
        proposal.state = ProposalState.adopted
        old.append(proposal)
    (task,) = tasks.route(old[0], office, lead=edu)
    db.session.commit()

    client = _as(app, "coord")
    off = client.post(f"/units/{edu.id}/switch", data={"on": "0"})
    assert off.status_code == 302
    db.session.refresh(edu)
    assert edu.is_active is False
    assert db.session.scalar(select(Event).where(Event.action == "unit_switched_off")).subject_id == edu.id
    route_page = client.get(f"/ideas/{old[1].id}/route").get_data(as_text=True)
    assert f'value="{edu.id}"' not in route_page
    with pytest.raises(DomainError):
        tasks.route(old[1], office, lead=edu)
    db.session.rollback()
    # Its task stays with its staff, its page and figures stay.
    tasks.acknowledge(db.session.merge(task), staff)
    db.session.commit()
    assert client.get(f"/units/{edu.id}").status_code == 200
    assert any(f.unit.id == edu.id and f.dispatched == 1 for f in stats.unit_figures(None, None, clock.today()))
    again = client.post(f"/units/{edu.id}/switch", data={"on": "0"}, follow_redirects=True)
    assert "已经是停用状态" in again.get_data(as_text=True)

    assert client.post(f"/units/{edu.id}/switch", data={"on": "1"}).status_code == 302
    db.session.refresh(edu)
    assert edu.is_active is True
    assert f'value="{edu.id}"' in client.get(f"/ideas/{old[1].id}/route").get_data(as_text=True)
    new = tasks.route(old[1], office, lead=edu)
    assert new[0].unit == edu
