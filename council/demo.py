"""Demo councils, accounts and content for ``seed --demo``. Never run this on a live installation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from council.accounts import operations as accounts
from council.accounts.models import Account, ConsentDecision, ConsentMethod, MembershipRole, SystemRole
from council.councils.models import Council, CouncilKind
from council.councils.operations import create_council
from council.extensions import db
from council.units.models import Unit

DEMO_PASSWORD = "zhoucun2026"

# Two demo councils under every town and street: one community, one school, named as demo data.
TOWN_SHORT = {
    "sichoulu": ("丝绸路", "Sichoulu"), "dajie": ("大街", "Dajie"), "qingnianlu": ("青年路", "Qingnianlu"),
    "yonganjie": ("永安街", "Yonganjie"), "chengbeilu": ("城北路", "Chengbeilu"), "beijiao": ("北郊", "Beijiao"),
    "nanjiao": ("南郊", "Nanjiao"), "wangcun": ("王村", "Wangcun"), "mengshui": ("萌水", "Mengshui"),
}


def seed_demo_councils() -> dict[str, Council]:
    councils = {c.code: c for c in db.session.scalars(select(Council))}
    for town_code, (short, short_en) in TOWN_SHORT.items():
        town = councils[town_code]
        for suffix, kind, zh, en in (
            ("community", CouncilKind.community, "示例社区", "demo community"),
            ("school", CouncilKind.school, "示例小学", "demo primary school"),
        ):
            code = f"{town_code}-demo-{suffix}"
            if code not in councils:
                councils[code] = create_council(
                    code, f"{short}{zh}儿童议事会（示例）", kind, town,
                    name_en=f"{short_en} {en} children's council (demo)", is_demo=True,
                )
    return councils


def _adult(username, name, **kwargs) -> tuple[Account, bool]:
    existing = accounts.find_account(username)
    if existing:
        return existing, False
    return accounts.create_adult(username, DEMO_PASSWORD, name, **kwargs), True


def _child(username, nickname, *, real_name, birth_year, council, class_name) -> tuple[Account, bool]:
    existing = accounts.find_account(username)
    if existing:
        return existing, False
    child = accounts.create_child(
        username, DEMO_PASSWORD, nickname, real_name=real_name, birth_year=birth_year,
        home_council=council, school=council.name, class_name=class_name,
    )
    return child, True


def seed_demo_accounts(councils: dict[str, Council]) -> None:
    today = date.today()
    term_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    school, community, street = councils["dajie-demo-school"], councils["dajie-demo-community"], councils["dajie"]
    units = {u.name: u for u in db.session.scalars(select(Unit))}

    _adult("admin", "系统管理员", system_role=SystemRole.admin)
    _adult("coordinator", "区妇儿工委办公室 刘主任", system_role=SystemRole.coordinator,
                            email="coordinator@example.org")
    for username, name, council in (
        ("facilitator", "大街街道 张辅导员", street),
        ("facilitator2", "丝绸路街道 陈辅导员", councils["sichoulu"]),
        ("facilitator_community", "示例社区 李儿童主任", community),
    ):
        account, new = _adult(username, name, email=f"{username}@example.org")
        if new:
            accounts.add_membership(account, council, MembershipRole.facilitator, starts_on=term_start)
    teacher, new = _adult("teacher", "示例小学 王老师", email="teacher@example.org")
    if new:
        accounts.add_membership(teacher, school, MembershipRole.teacher, starts_on=term_start)
    for username, name, unit in (
        ("unit_edu", "区教育和体育局 赵科长", "区教育和体育局"),
        ("unit_traffic", "周村交警大队 孙警官", "周村交警大队"),
    ):
        account, new = _adult(username, name, email=f"{username}@example.org")
        if new:
            accounts.add_unit_staff(account, units[unit], starts_on=term_start)

    year = today.year
    child, new = _child("child", "小星星", real_name="王小明", birth_year=year - 10, council=school,
                        class_name="四年级二班")
    if new:
        accounts.record_consent(child, guardian_name="王建国", relation="父亲", method=ConsentMethod.paper,
                                decision=ConsentDecision.granted, actor=teacher)
    member, new = _child("member", "小海豚", real_name="李晓雨", birth_year=year - 12, council=school,
                         class_name="六年级一班")
    if new:
        accounts.record_consent(member, guardian_name="李芳", relation="母亲", method=ConsentMethod.in_person,
                                decision=ConsentDecision.granted, actor=teacher)
        accounts.add_membership(member, school, MembershipRole.chair, starts_on=term_start,
                                ends_on=date(term_start.year + 1, 8, 31))
    _child("child_waiting", "小树苗", real_name="赵小禾", birth_year=year - 8, council=school, class_name="二年级三班")
    _child("teen", "小雄鹰", real_name="孙浩然", birth_year=year - 16, council=community, class_name="高一")


def seed_demo() -> None:
    seed_demo_accounts(seed_demo_councils())
    db.session.flush()
