"""The setup import's rules: what each row means against the platform, applying once, all or nothing, the event
log, the set-password links, and reading a whole district with a few statements."""

import collections
from datetime import date

import pytest
from sqlalchemy import func, select

from council.accounts.models import Account, Membership, MembershipRole, SystemRole
from council.accounts.welcome import WelcomeLink
from council.audit.models import Event
from council.councils.models import Council, CouncilKind
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import OutboxMail
from council.setup import operations
from council.setup.models import SetupImport
from council.units.models import Unit, UnitKind, UnitStaff
from tests.setup.conftest import ADULT_HEADER, COUNCIL_HEADER, UNIT_HEADER, csv, district_files, xlsx
from tests.test_planner import statements

COUNCILS = [COUNCIL_HEADER, ["和平社区", "社区", "大街街道", "和平路"], ["东村", "村", "北郊镇", ""],
            ["实验小学", "学校", "丝绸路街道", ""], ["阳光幼儿园", "幼儿园", "南郊镇", "阳光路"]]
UNITS = [UNIT_HEADER, ["儿童友好工作组", "Child-Friendly Group", "工作组", "", ""],
         ["区档案馆", "District Archives", "部门", "区财政局等各行业主管部门", ""],
         ["区图书馆", "District Library", "部门", "儿童友好工作组", "王老师 0533-6412345"]]
ADULTS = [ADULT_HEADER,
          ["张丽", "138 0000 0001", "zhangli@example.cn", "辅导员", "和平社区", "", "2026-09-01", "2028-08-31"],
          ["李明", "13800000002", "", "教师", "实验小学", "", "2026-09-01", ""],
          ["王强", "0533-6412345", "", "单位工作人员", "", "区图书馆", "2026-09-01", ""],
          ["赵敏", "", "zhaomin@example.cn", "妇儿工委办公室", "", "", "", ""]]


def files(**given):
    return {kind: (f"{kind}.csv", csv(rows)) for kind, rows in given.items()}


def everything():
    return files(councils=COUNCILS, units=UNITS, adults=ADULTS)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Council, Unit, Account, Membership, UnitStaff, Event, WelcomeLink, OutboxMail)}


def problems(pending, kind):
    return {row["line"]: [code for code, _v in row["problems"]] for row in pending.rows[kind] if row["problems"]}


def test_only_the_office_may_set_up_the_district(office, make):
    teacher = make.adult("teacher9")
    with pytest.raises(PermissionDenied):
        operations.preview(teacher, everything())


def test_a_preview_changes_nothing_but_keeps_the_rows(office):
    before = counts()
    pending = operations.preview(office, everything())
    db.session.commit()
    assert counts() == before
    assert pending.summary == {"councils": {"create": 4, "change": 0, "same": 0, "problem": 0},
                               "units": {"create": 3, "change": 0, "same": 0, "problem": 0},
                               "adults": {"create": 4, "change": 0, "same": 0, "problem": 0}}
    assert db.session.scalar(select(func.count(SetupImport.id))) == 1


def test_apply_creates_the_councils_units_and_adults(office):
    pending = operations.preview(office, everything())
    done = operations.apply(pending, office)
    db.session.commit()
    assert (done.created, done.changed) == (11, 0)
    heping = db.session.scalar(select(Council).where(Council.name == "和平社区"))
    assert (heping.kind, heping.parent.name, heping.area) == (CouncilKind.community, "大街街道儿童议事会", "和平路")
    assert heping.path == heping.parent.path + heping.code + "/" and heping.code.startswith("dajie-")
    assert db.session.scalar(select(Council).where(Council.name == "东村")).kind is CouncilKind.village
    assert db.session.scalar(select(Council).where(Council.name == "阳光幼儿园")).kind is CouncilKind.kindergarten
    library = db.session.scalar(select(Unit).where(Unit.name == "区图书馆"))
    group = db.session.scalar(select(Unit).where(Unit.name == "儿童友好工作组"))
    assert (library.name_en, library.kind, library.contact) == ("District Library", UnitKind.department,
                                                                "王老师 0533-6412345")
    assert group.kind is UnitKind.group and library in group.members
    finance = db.session.scalar(select(Unit).where(Unit.name == "区财政局等各行业主管部门"))
    assert db.session.scalar(select(Unit).where(Unit.name == "区档案馆")) in finance.members
    zhang = db.session.scalar(select(Account).where(Account.phone == "13800000001"))
    assert (zhang.display_name, zhang.email) == ("张丽", "zhangli@example.cn")
    assert [(m.council.name, m.role, m.starts_on, m.ends_on) for m in zhang.memberships] == [
        ("和平社区", MembershipRole.facilitator, date(2026, 9, 1), date(2028, 8, 31))]
    wang = db.session.scalar(select(Account).where(Account.phone == "05336412345"))
    assert [(s.unit.name, s.starts_on, s.ends_on) for s in wang.unit_roles] == [("区图书馆", date(2026, 9, 1), None)]
    zhao = db.session.scalar(select(Account).where(Account.email == "zhaomin@example.cn"))
    assert zhao.system_role is SystemRole.coordinator and zhao.phone is None
    assert zhang.username.startswith("u") and "13800000001" not in zhang.username


def test_new_adults_get_a_link_mailed_or_printed(office):
    pending = operations.preview(office, everything())
    done = operations.apply(pending, office)
    db.session.commit()
    mails = set(db.session.scalars(select(OutboxMail.recipient).where(OutboxMail.kind == "welcome_link")))
    assert mails == {"zhangli@example.cn", "zhaomin@example.cn"}
    assert done.mailed == 2
    assert sorted(account.display_name for account, _url, _day in done.sheet) == ["李明", "王强"]
    assert all("/welcome/" in url for _a, url, _d in done.sheet)
    assert {a.display_name for a in operations.waiting_accounts(pending)} == {"张丽", "李明", "王强", "赵敏"}


def test_new_links_end_the_earlier_ones(office):
    pending = operations.preview(office, everything())
    first = operations.apply(pending, office).sheet
    db.session.commit()
    again = operations.new_links(pending, office)
    db.session.commit()
    assert len(again) == 4  # also those whose link was mailed: nobody has set a password yet
    from council.accounts import welcome

    old_token = first[0][1].rsplit("/", 1)[1]
    assert welcome.link_state(welcome.find_link(old_token)) == welcome.REVOKED
    li = next(url for account, url, _d in again if account.display_name == "李明")
    welcome.redeem(li.rsplit("/", 1)[1], password="a long sentence to keep", again="a long sentence to keep")
    db.session.commit()
    assert {a.display_name for a in operations.waiting_accounts(pending)} == {"张丽", "王强", "赵敏"}


def test_apply_works_once(office):
    pending = operations.preview(office, everything())
    operations.apply(pending, office)
    db.session.commit()
    before = counts()
    with pytest.raises(operations.AlreadyApplied):
        operations.apply(pending, office)
    db.session.rollback()
    assert counts() == before


def test_the_same_files_again_find_everything_there(office):
    operations.apply(operations.preview(office, everything()), office)
    db.session.commit()
    before = counts()
    again = operations.preview(office, everything())
    assert {kind: again.summary[kind]["same"] for kind in again.summary} == {"councils": 4, "units": 3, "adults": 4}
    assert again.count("create") == again.count("change") == again.count("problem") == 0
    done = operations.apply(again, office)
    db.session.commit()
    assert (done.created, done.changed, done.sheet) == (0, 0, [])
    after = counts()
    assert after.pop("Event") == before.pop("Event") + 1  # the import itself, and nothing else
    assert after == before


def test_differences_are_shown_and_applied_as_changes(office):
    operations.apply(operations.preview(office, everything()), office)
    db.session.commit()
    councils = [COUNCIL_HEADER, ["和平社区儿童议事会", "学校", "青年路街道", "新地址"]]
    units = [UNIT_HEADER, ["区图书馆", "Zhoucun Library", "部门", "", "李老师"]]
    adults = [ADULT_HEADER, ["张丽华", "13800000001", "", "辅导员", "和平社区", "", "2026-09-01", "2027-08-31"],
              ["李明", "13800000002", "li@example.cn", "辅导员", "东村", "", "2026-09-01", ""],
              ["王强", "0533-6412345", "", "妇儿工委办公室", "", "", "", ""]]
    pending = operations.preview(office, files(councils=councils, units=units, adults=adults))
    assert [r["changes"] for r in pending.rows["councils"]] == [[
        ["kind", "community", "school"], ["town", "大街街道儿童议事会", "青年路街道儿童议事会"],
        ["area", "和平路", "新地址"]]]
    assert [r["changes"] for r in pending.rows["units"]] == [[
        ["name_en", "District Library", "Zhoucun Library"], ["contact", "王老师 0533-6412345", "李老师"]]]
    assert [r["changes"] for r in pending.rows["adults"]] == [
        [["name", "张丽", "张丽华"], ["ends_on", "2028-08-31", "2027-08-31"]],
        [["email", None, "li@example.cn"], ["role", None, "facilitator"]],
        [["role", None, "office"]]]
    done = operations.apply(pending, office)
    db.session.commit()
    assert (done.created, done.changed) == (0, 5)
    heping = db.session.scalar(select(Council).where(Council.name == "和平社区"))
    assert (heping.kind, heping.parent.code, heping.area) == (CouncilKind.school, "qingnianlu", "新地址")
    assert heping.path == "/zhoucun/qingnianlu/" + heping.code + "/"
    zhang = db.session.scalar(select(Account).where(Account.phone == "13800000001"))
    assert zhang.display_name == "张丽华" and zhang.memberships[0].ends_on == date(2027, 8, 31)
    li = db.session.scalar(select(Account).where(Account.phone == "13800000002"))
    assert {(m.council.name, m.role) for m in li.memberships} == {("实验小学", MembershipRole.teacher),
                                                                  ("东村", MembershipRole.facilitator)}
    assert db.session.scalar(select(Account).where(Account.phone == "05336412345")).is_coordinator
    actions = set(db.session.scalars(select(Event.action).where(Event.actor_id == office.id)))
    assert {"council_changed", "unit_changed", "account_changed", "membership_changed", "membership_added",
            "system_role_given", "setup_imported"} <= actions


def test_every_change_is_on_the_event_log(office):
    pending = operations.preview(office, everything())
    operations.apply(pending, office)
    db.session.commit()
    mine = list(db.session.scalars(select(Event).where(Event.actor_id == office.id)))
    actions = [e.action for e in mine]
    assert actions.count("council_created") == 4
    assert actions.count("unit_added") == 3
    assert actions.count("account_created") == 4
    assert actions.count("membership_added") == 2 and actions.count("unit_staff_added") == 1
    assert actions.count("welcome_link_issued") == 4
    summary = next(e for e in mine if e.action == "setup_imported")
    assert (summary.subject_id, summary.data["created"], summary.data["changed"]) == (pending.id, 11, 0)
    # the log names nobody: no adult's name, phone or e-mail in any event's data
    for e in mine:
        assert not {"张丽", "13800000001", "zhangli@example.cn"} & {str(v) for v in e.data.values()}


def test_a_file_with_mistakes_shows_them_all_and_apply_creates_nothing(office):
    councils = [COUNCIL_HEADER, ["和平社区", "社区", "大街街道", ""], ["和平社区", "社区", "北郊镇", ""],
                ["新村", "村", "火星镇", ""], ["丝绸路街道儿童议事会", "社区", "丝绸路街道", ""],
                ["医院", "医院", "大街街道", ""]]
    units = [UNIT_HEADER, ["新局", "New Bureau", "部门", "没有的组", ""], ["新局2", "", "委员会", "", ""],
             ["区教育和体育局", "Education", "部门", "区教育和体育局", ""]]
    adults = [ADULT_HEADER, ["甲", "12345", "", "辅导员", "和平社区", "", "2026-09-01", ""],
              ["乙", "", "bad@", "教师", "和平社区", "", "2026-09-01", ""],
              ["丙", "13800000003", "", "校长", "和平社区", "", "2026-09-01", ""],
              ["丁", "13800000004", "", "辅导员", "和平社区", "", "2026-09-01", "2026-01-01"],
              ["戊", "13800000005", "", "辅导员", "不存在的社区", "", "2026-09-01", ""],
              ["己", "13800000006", "", "单位工作人员", "", "不存在的单位", "2026-09-01", ""],
              ["庚", "13800000006", "", "单位工作人员", "", "区财政局等各行业主管部门", "2026-09-01", ""]]
    before = counts()
    pending = operations.preview(office, files(councils=councils, units=units, adults=adults))
    db.session.commit()
    assert problems(pending, "councils") == {3: ["duplicate"], 4: ["unknown_town"], 5: ["other_tier"],
                                             6: ["council_kind"]}
    assert problems(pending, "units") == {2: ["unknown_group"], 3: ["missing", "unit_kind"], 4: ["own_group"]}
    assert problems(pending, "adults") == {2: ["phone"], 3: ["email"], 4: ["role"], 5: ["end_before_start"],
                                           6: ["unknown_council"], 7: ["unknown_unit"],
                                           8: ["duplicate_person", "not_routable"]}
    with pytest.raises(DomainError):
        operations.apply(pending, office)
    db.session.rollback()
    assert counts() == {**before, "Event": before["Event"]}


def test_a_row_that_changed_meaning_since_the_preview_refuses_the_whole_import(office, make):
    pending = operations.preview(office, everything())
    db.session.commit()
    from council.councils.operations import create_council

    dajie = db.session.scalar(select(Council).where(Council.code == "dajie"))
    create_council("dajie-x", "阳光幼儿园", CouncilKind.kindergarten, dajie)  # someone was quicker
    db.session.commit()
    before = counts()
    with pytest.raises(DomainError) as refused:
        operations.apply(pending, office)
    db.session.rollback()
    assert "changed since this preview" in refused.value.message or "预览之后" in refused.value.message
    assert counts() == before
    assert db.session.get(SetupImport, pending.id).applied_at is None


def test_an_adult_may_name_a_council_or_unit_only_when_it_exists_or_comes_in_the_same_import(office):
    alone = operations.preview(office, files(adults=ADULTS))
    assert problems(alone, "adults") == {2: ["unknown_council"], 3: ["unknown_council"], 4: ["unknown_unit"]}
    together = operations.preview(office, everything())
    assert problems(together, "adults") == {}


def test_an_existing_phone_or_email_is_the_same_person(office, make):
    child_council = db.session.scalar(select(Council).where(Council.code == "dajie"))
    child = make.child(child_council)
    child.email = "kid@example.cn"
    other = make.adult("someone", email="someone@example.cn")
    other.phone = "13900000000"
    db.session.commit()
    adults = [ADULT_HEADER, ["某人", "", "kid@example.cn", "妇儿工委办公室", "", "", "", ""],
              ["某人2", "13900000000", "zhaomin@example.cn", "妇儿工委办公室", "", "", "", ""]]
    make.adult("zhaomin", email="zhaomin@example.cn")
    db.session.commit()
    pending = operations.preview(office, files(adults=adults))
    assert problems(pending, "adults") == {2: ["child_account"], 3: ["two_accounts"]}


def whole_district() -> dict:
    """300 councils, 600 adults and 45 units, as three Excel files."""
    return {kind: (f"{kind}.xlsx", xlsx(rows)) for kind, rows in district_files(300, 600, 45).items()}


def test_reading_a_whole_district_takes_a_few_statements(office, app):
    """300 councils, 600 adults and 45 units: one query per kind for what exists, not one per row."""
    with statements(db.engine) as seen:
        pending = operations.preview(office, whole_district())
        db.session.flush()
    assert pending.count("problem") == 0
    assert (pending.summary["councils"]["create"], pending.summary["units"]["create"],
            pending.summary["adults"]["create"]) == (300, 45, 600)
    assert len(seen) <= 10


def test_applying_a_whole_district_reads_and_locks_per_kind_not_per_row(office, app):
    """945 rows (300 councils, 45 units, 600 adults with their terms, posts and set-password links) are applied
    with a few statements besides the rows they insert: one row at a time took 13 s on PostgreSQL, and a district's
    largest files (4,200 rows) 35 s, past the server's 30 s limit for a request."""
    pending = operations.preview(office, whole_district())
    db.session.commit()
    with statements(db.engine) as seen:
        done = operations.apply(pending, office)
        db.session.flush()
    kinds = [statement.split()[0].upper() for statement in seen]
    assert done.created == 945 and done.mailed + len(done.sheet) == 600
    assert len([kind for kind in kinds if kind != "INSERT"]) <= 200, collections.Counter(kinds)
    assert db.session.scalar(select(func.count(WelcomeLink.id))) >= 600
    assert db.session.scalar(select(func.count(Event.id)).where(Event.action == "welcome_link_issued")) >= 600


def test_a_second_term_that_overlaps_one_held_is_a_problem(office):
    operations.apply(operations.preview(office, everything()), office)
    db.session.commit()
    later = [ADULT_HEADER, ["张丽", "13800000001", "", "辅导员", "和平社区", "", "2027-01-01", ""],
             ["李明", "13800000002", "", "教师", "实验小学", "", "2030-01-01", ""]]
    pending = operations.preview(office, files(adults=later))
    assert problems(pending, "adults") == {2: ["role_overlaps"], 3: ["role_overlaps"]}
    after = [ADULT_HEADER, ["张丽", "13800000001", "", "辅导员", "和平社区", "", "2028-09-01", ""]]
    assert operations.preview(office, files(adults=after)).rows["adults"][0]["changes"] == [
        ["role", None, "facilitator"]]
