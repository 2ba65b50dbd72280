"""Demo councils, accounts and content for ``seed --demo``. Never run this on a live installation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from council.accounts import operations as accounts
from council.accounts.models import Account, AccountKind, ConsentDecision, ConsentMethod, MembershipRole, SystemRole
from council.calendar import clock
from council.councils.models import Council, CouncilKind
from council.councils.operations import create_council
from council.extensions import db
from council.plan.models import PlanTask
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
    today = clock.today()
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


def seed_demo_ideas(councils: dict[str, Council]) -> None:
    """Ideas in every state reached so far, at all three tiers; only on the first run."""
    from council.proposals import operations as ideas
    from council.proposals.models import Proposal, RejectReason

    if db.session.scalar(select(Proposal.id).limit(1)) is not None:
        return
    get = accounts.find_account
    child, member, teen = get("child"), get("member"), get("teen")
    facilitator, coordinator, teacher = get("facilitator"), get("coordinator"), get("teacher")
    school, community = councils["dajie-demo-school"], councils["dajie-demo-community"]
    street, district = councils["dajie"], councils["zhoucun"]
    tasks = {t.no: t for t in db.session.scalars(select(PlanTask))}

    def idea(author, council, title, problem, place, idea_text, who, task_no, *, authors=None):
        proposal = ideas.start_draft(author, council, authors=authors)
        ideas.save_draft(proposal, author, step=7, title=title, problem=problem, place=place, idea=idea_text,
                         who_helps=who)
        ideas.choose_topic(proposal, author, tasks.get(task_no))
        return proposal

    def submitted(*args, **kwargs):
        proposal = idea(*args, **kwargs)
        ideas.submit(proposal, args[0])
        return proposal

    def published(moderator, *args, **kwargs):
        proposal = submitted(*args, **kwargs)
        ideas.publish(proposal, moderator)
        return proposal

    swing = published(facilitator, child, school, "公园里的秋千坏了",
                      "和平公园里的两个秋千坏了很久，链子生锈，坐上去会晃。", "和平公园儿童游乐区",
                      "请把秋千修好，旁边再装一个给小朋友用的饮水机。", "常去公园玩的小朋友和带孩子的爷爷奶奶", 28)
    lamp = published(facilitator, member, street, "学校门口的路灯不亮",
                     "放学的时候天已经黑了，学校门口那段路的路灯一直不亮，我们看不清路。", "大街街道示例小学门口",
                     "希望修好路灯，再加一个有灯的斑马线。", "走路上学放学的同学和接孩子的家长", 27)
    pocket = published(coordinator, child, district, "希望周村有更多口袋公园",
                       "我家附近没有可以玩的地方，最近的公园要走很久。", "周村区",
                       "在小区旁边的空地建小小的口袋公园，有滑梯和长椅。", "所有小朋友和老人", 28)
    study = published(facilitator, teen, community, "社区里需要中学生自习室",
                      "周末在家学习很吵，社区活动室总是锁着。", "大街示例社区活动中心",
                      "周末开放活动室，给中学生做自习室，可以借书。", "初中和高中的同学", 29)
    crossing = published(facilitator, teacher, school, "学校旁边的路口需要红绿灯",
                         "二年级同学画了一幅画：学校旁边的路口车很多，过马路很害怕。", "示例小学东边路口",
                         "装一个红绿灯，上学放学时有交警叔叔帮忙。", "全校同学", 37, authors=[child, member])
    for supporter, proposals in ((member, [swing, pocket, study]), (teen, [swing, lamp, pocket, crossing]),
                                 (child, [lamp, study])):
        for proposal in proposals:
            ideas.support(proposal, supporter)

    submitted(member, school, "午休时间太短了",
              "中午只能休息二十分钟，下午上课很困。有事可以打我妈妈电话 138 1234 5678。", "示例小学",
              "希望午休延长到四十分钟，教室里可以趴着睡。", "全校同学", 13)
    back = submitted(member, school, "操场的篮球架太高",
                     "操场的篮球架太高了，我们小学生投不进。", "示例小学操场", "装一个矮一点的篮球架。",
                     "三到六年级同学", 14)
    ideas.return_to_author(back, facilitator, "想法很好！请写一写需要几个篮球架，放在操场的哪一边。",
                           suggestions={"idea": "在操场东边装两个矮一点的篮球架，给小学生用。"})
    copy = submitted(teen, community, "公园秋千要修", "公园的秋千坏了。", "和平公园", "修秋千。", "小朋友", 28)
    ideas.reject(copy, facilitator, RejectReason.duplicate, "已经有同学提过一样的建议了，你可以去支持它！",
                 duplicate_of=swing)
    gone = idea(teen, community, "篮球场晚上开灯", "晚上篮球场太黑。", "社区篮球场", "晚上开灯到九点。",
                "喜欢打球的同学", 29)
    ideas.withdraw(gone, teen, "我发现社区已经在装灯了。")
    idea(child, school, "图书馆周末也开门", "学校图书馆周末不开门。", "", "", "", None)


MEMBER_NICKNAMES = ["小太阳", "小月亮", "小白鸽", "小松鼠", "小企鹅", "小熊猫", "小浪花", "小云朵", "小石榴"]


def seed_demo_members(councils: dict[str, Council]) -> dict[str, list[Account]]:
    """kid01–kid09: members of the demo school, the 大街 street and the district council."""
    today = clock.today()
    term_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    term_end = date(term_start.year + 1, 8, 31)
    teacher = accounts.find_account("teacher")
    seats = {"dajie-demo-school": [], "dajie": [], "zhoucun": []}
    for i, nickname in enumerate(MEMBER_NICKNAMES):
        code = list(seats)[i // 3]
        kid, new = _child(f"kid{i + 1:02d}", nickname, real_name=f"示例儿童{i + 1}",
                          birth_year=today.year - 9 - i % 5, council=councils["dajie-demo-school"],
                          class_name=f"{3 + i % 4}年级")
        if new:
            accounts.record_consent(kid, guardian_name="示例家长", relation="母亲", method=ConsentMethod.paper,
                                    decision=ConsentDecision.granted, actor=teacher)
            accounts.add_membership(kid, councils[code], MembershipRole.member, starts_on=term_start,
                                    ends_on=term_end)
        seats[code].append(kid)
    return seats


def seed_demo_sessions(councils: dict[str, Council], seats: dict[str, list[Account]]) -> None:
    """Closed sessions at each tier; 公园里的秋千坏了 travels community → street → district."""
    from datetime import UTC, datetime, time, timedelta

    from council.proposals import operations as ideas
    from council.proposals.models import Proposal
    from council.sessions import operations as sessions
    from council.sessions.models import Choice, Face, Session

    if db.session.scalar(select(Session.id).limit(1)) is not None:
        return
    get = accounts.find_account
    facilitator, coordinator, child = get("facilitator"), get("coordinator"), get("child")
    by_title = {p.title: p for p in db.session.scalars(select(Proposal))}
    books = ideas.start_draft(child, councils["dajie-demo-school"])
    ideas.save_draft(books, child, title="图书角需要新书", problem="班级图书角的书都看完了。",
                     idea="每学期换一批新书。", who_helps="爱看书的同学")
    ideas.choose_topic(books, child, None)
    ideas.submit(books, child)
    ideas.publish(books, facilitator)

    def held(council_code, moderator, days_ago, votes):
        council = councils[council_code]
        day = clock.today() - timedelta(days=days_ago)
        session = sessions.schedule(council, moderator, title=f"{council.name}第{days_ago // 10}次议事会议",
                                    starts_at=datetime.combine(day, time(7, 30), tzinfo=UTC), place="活动室")
        items = [(sessions.add_to_agenda(session, by_title.get(title) or books, moderator), plan)
                 for title, plan in votes]
        sessions.open_session(session, moderator)
        members = sessions.members_on(council, day)
        sessions.mark_attendance(session, moderator, {m.id for m in members})
        for item, (kind, reason) in items:
            if kind == "defer":
                continue
            sessions.open_vote(item, moderator)
            choice = Choice.for_ if kind == "adopt" else Choice.against
            for member in members:
                sessions.cast(item, member, choice=choice)
            sessions.close_vote(item, moderator, reason=reason)
        sessions.close_session(session, moderator, minutes="大家轮流发言，认真讨论了每一条建议。")
        for member, face in zip(members, [Face.happy, Face.happy, Face.middle], strict=False):
            sessions.give_feedback(session, member, face)
        return items

    held("dajie-demo-school", facilitator, 30, [
        ("公园里的秋千坏了", ("adopt", None)),
        ("学校旁边的路口需要红绿灯", ("reject", "路口已经在交警大队的改造计划里了，议事员们决定先去支持那个计划。")),
        ("图书角需要新书", ("defer", None)),
    ])
    ideas_swing = by_title["公园里的秋千坏了"]
    sessions.forward(ideas_swing, facilitator)
    held("dajie", facilitator, 20, [("公园里的秋千坏了", ("adopt", None)), ("学校门口的路灯不亮", ("adopt", None))])
    sessions.forward(ideas_swing, facilitator)
    held("zhoucun", coordinator, 10, [("公园里的秋千坏了", ("adopt", None)),
                                      ("希望周村有更多口袋公园", ("defer", None))])


DEMO_UNITS = {
    "unit_edu": "区教育和体育局", "unit_traffic": "周村交警大队", "unit_housing": "区住房城乡建设局",
    "unit_city": "区综合行政执法局", "unit_health": "区卫生健康局", "unit_culture": "区文化和旅游局",
}


def children_read_their_messages() -> None:
    """Between the sessions and the units' answers the demo's children open their messages, as children do between
    meetings: the bell then holds the news that came after (the units' answers), not the whole history."""
    from council.notifications.operations import mark_all_read

    mark_all_read(select(Account.id).where(Account.kind == AccountKind.child))  # one statement, however many


def seed_demo_tasks(councils: dict[str, Council]) -> None:
    """Tasks across six units in every state, some overdue, some rated; dated in the past so the
    deadlines and the supervision figures mean something."""
    from datetime import UTC, datetime, time, timedelta

    from council.proposals import operations as ideas
    from council.proposals.models import ProposalState
    from council.tasks import operations as tasks
    from council.tasks.models import Grade, RatingValue, Task

    if db.session.scalar(select(Task.id).limit(1)) is not None:
        return
    today = clock.today()
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    staff = {}
    for username, unit_name in DEMO_UNITS.items():
        account = accounts.find_account(username)
        if account is None:
            account, _ = _adult(username, f"{unit_name} 工作人员", email=f"{username}@example.org")
            accounts.add_unit_staff(account, units[unit_name], starts_on=date(today.year - 1, 1, 1))
        staff[unit_name] = account
    get = accounts.find_account
    coordinator, child, member = get("coordinator"), get("child"), get("member")
    district = councils["zhoucun"]

    def ago(days: int) -> datetime:
        return datetime.combine(today - timedelta(days=days), time(2, 0), tzinfo=UTC)

    def adopted_idea(title, problem, idea_text, author, days):
        proposal = ideas.start_draft(author, district)
        ideas.save_draft(proposal, author, title=title, problem=problem, idea=idea_text, who_helps="小朋友们")
        ideas.choose_topic(proposal, author, None)
        ideas.submit(proposal, author)
        ideas.publish(proposal, coordinator)
        # Demo shortcut: these stand for ideas the district council adopted at earlier sessions.
        ideas.move(proposal, ProposalState.on_agenda, coordinator)
        ideas.move(proposal, ProposalState.adopted, coordinator, tally={"for": 3, "against": 0, "abstain": 0})
        return proposal

    summary = "我们已经按照你们的建议办好了，欢迎你们去看一看，也谢谢你们这么关心身边的事！"

    def case(title, lead, co=(), *, days, steps, author=None):
        proposal = adopted_idea(title, f"{title}，同学们都希望能改一改。", f"请有关部门解决：{title}。",
                                author or child, days)
        routed = tasks.route(proposal, coordinator, lead=units[lead], co_units=[units[c] for c in co],
                             now=ago(days))
        for task in routed:
            person = staff[task.unit.name]
            for step, offset in steps:
                when = ago(days - offset)
                if step == "ack":
                    tasks.acknowledge(task, person, now=when)
                elif step == "progress":
                    tasks.post_progress(task, person, "已经派人到现场查看，正在准备材料。", now=when)
                elif step == "return" and task.role.value == "lead":
                    tasks.send_back(task, person, "这件事不归我们管，建议交给区综合行政执法局。", now=when)
                elif step == "extension":
                    tasks.request_extension(task, person, task.reply_due + timedelta(days=30), "需要等年度预算。")
                elif step in ("A", "B", "C", "D"):
                    tasks.reply(task, person, grade=Grade(step), summary=summary, now=when,
                                reason="这条路明年要整体改造，到时候一起解决。" if step == "D" else "")
        return proposal

    # just sent
    # just sent
    case("图书馆周末开放时间太短", "区文化和旅游局", days=2, steps=[])
    # not acknowledged: overdue
    case("学校操场晚上能开放吗", "区教育和体育局", days=12, steps=[])
    # acknowledged
    case("小区里的健身器材坏了", "区住房城乡建设局", days=6, steps=[("ack", 1)])
    # in progress, with a co-unit
    case("公园门口乱停车", "区综合行政执法局", ["周村交警大队"], days=15, steps=[("ack", 2), ("progress", 6)])
    # sent back
    case("路边摊太多挡住人行道", "区卫生健康局", days=10, steps=[("return", 2)])
    # very overdue
    case("学校附近的网吧", "区文化和旅游局", days=70, steps=[("ack", 3), ("progress", 10)])
    # asks for time
    case("医院儿童候诊区太小", "区卫生健康局", days=20, steps=[("ack", 1), ("extension", 5)])
    # answered and rated: closed
    answered = case("斑马线颜色太淡", "周村交警大队", days=25, steps=[("ack", 1), ("A", 9)])
    tasks.rate(answered, child, RatingValue.satisfied, "斑马线现在好清楚！", now=ago(3))
    # answered late
    case("操场的沙坑太脏", "区教育和体育局", days=40, steps=[("ack", 5), ("B", 30)])
    later = case("希望有儿童友好公交站", "区住房城乡建设局", days=35, steps=[("ack", 2), ("C", 15)],
                 author=member)
    # reopened
    tasks.rate(later, member, RatingValue.not_satisfied, "等太久了。", now=ago(2))
    # enough answers for two units to be ranked in supervision
    for i, (title, unit, grade) in enumerate([
        ("放学时校门口太堵", "周村交警大队", "A"), ("学校旁边需要过街天桥", "周村交警大队", "B"),
        ("公交站没有遮雨棚", "周村交警大队", "C"), ("课间休息时间太短", "区教育和体育局", "A"),
        ("学校饮水机不够", "区教育和体育局", "A"), ("体育课被别的课占用", "区教育和体育局", "B"),
    ]):
        case(title, unit, days=30 + i * 3, steps=[("ack", 1 + i % 4), (grade, 8 + i * 3)])
    # not possible, with a reason
    case("校门口的减速带", "周村交警大队", ["区综合行政执法局"], days=45,
         steps=[("ack", 1), ("D", 12)])

