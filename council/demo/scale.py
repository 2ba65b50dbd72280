"""A large synthetic district for benchmarks and soak tests: ``flask --app council seed --demo --scale N``.

About N×1,000 ideas, N×500 children, N×10,000 supports, N×200 unit tasks, council sessions and their agendas,
built with bulk inserts (on SQLite one statement per table and batch, on PostgreSQL ``COPY``; ids assigned here)
so scale 100 takes minutes on either. The text is Chinese made from places, problems and wishes a child would
write, so search and the two-character index see realistic words. Stored counters (supports) equal the rows, and
every adopted idea has its adoption event, so the statistics read the same as on a real district. Deterministic: the
same N gives the same district."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, inspect, select, text

from council.accounts.models import Account, AccountKind, ChildProfile, Membership, MembershipRole
from council.audit.models import Event
from council.calendar import clock
from council.councils.models import Council, CouncilKind, Tier
from council.extensions import db
from council.plan.models import PlanTask
from council.proposals.models import MILESTONES, Proposal, ProposalAuthor, ProposalState, SearchTerm, Support
from council.proposals.search import terms_of
from council.sessions.models import Session, SessionStatus
from council.tasks.models import Grade, Task, TaskRole, TaskState
from council.units.models import Unit, UnitKind

BATCH = 5_000
S = ProposalState

PLACES = ["学校门口", "社区公园", "操场", "图书馆", "公交站", "小区里", "十字路口", "河边步道", "菜市场旁边",
          "体育馆", "少年宫", "卫生院", "古商城", "周村大街", "丝绸路", "幼儿园外面", "放学的路上", "健身广场"]
PROBLEMS = ["路灯不亮", "没有斑马线", "垃圾桶太少", "滑梯坏了", "车开得太快", "没有遮阳的地方", "厕所太脏",
            "秋千太少", "没有饮水机", "台阶太高", "书太旧了", "晚上太黑", "没有自行车道", "座椅坏了", "地面有积水",
            "树荫太少", "噪音太大", "没有无障碍通道"]
WISHES = ["希望修一修", "希望多装几个", "希望画一条斑马线", "希望种更多的树", "希望有人定期打扫", "希望加一个护栏",
          "希望开放给小朋友", "希望装一个饮水机", "希望放学时有人指挥交通", "希望建一个小书架", "希望装上路灯",
          "希望设一个安静的角落"]
WHO = ["上学的小朋友", "爷爷奶奶", "残疾人朋友", "来玩的孩子们", "骑车的同学", "附近的居民", "幼儿园的小朋友"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "子涵欣怡梓轩浩然雨桐思远一诺可馨宇航诗琪俊杰佳怡明轩若曦嘉懿晨阳语桐"
NICK = ["小星星", "小海豚", "小蜜蜂", "小树苗", "小雄鹰", "小太阳", "小彩虹", "小云朵", "小熊猫", "小兔子", "小松鼠",
        "小企鹅", "小向日葵", "小帆船", "小火车", "小鲸鱼"]

# The state mix of a district a year or two in: most ideas public, a third adopted, many answered.
STATE_MIX = [
    (S.draft, 6), (S.submitted, 6), (S.returned, 3), (S.rejected, 4), (S.withdrawn, 1), (S.published, 30),
    (S.on_agenda, 5), (S.not_adopted, 7), (S.forwarded, 2), (S.adopted, 3), (S.routed, 9), (S.answered, 12),
    (S.reopened, 1), (S.closed, 11),
]
ADOPTED_STATES = {S.adopted, S.forwarded, S.routed, S.answered, S.reopened, S.closed}
PUBLIC = {S.published, S.on_agenda, S.not_adopted, S.forwarded, S.adopted, S.routed, S.answered, S.reopened,
          S.closed}


def _insert(model, rows: list[dict]) -> None:
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        _copy(model, rows)
        return
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def _copy(model, rows: list[dict]) -> None:
    """PostgreSQL's ``COPY … FROM STDIN`` in the session's transaction: a million rows in seconds, where INSERTs of
    a few thousand rows each take minutes. Each value goes through its column type's own conversion (enums, JSON),
    and columns a row leaves out take their Python defaults, as an INSERT would; every row names the same columns."""
    dialect = db.engine.dialect
    mapper = inspect(model)
    given = [mapper.attrs[key].columns[0] for key in rows[0]]
    defaulted = [column for column in model.__table__.columns
                 if column not in given and column.default is not None and not column.default.is_sequence]
    columns = given + defaulted
    convert = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)

    def values(row: dict) -> list:
        found = list(row.values()) + [column.default.arg(None) if column.default.is_callable else column.default.arg
                                      for column in defaulted]
        return [value if how is None or value is None else how(value)
                for value, how in zip(found, convert, strict=True)]

    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {model.__tablename__} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        # The table's statistics, taken now: PostgreSQL keeps each foreign-key check's plan for the connection's
        # life, and one planned while the table was small (the demo's few ideas, seeded just before on the same
        # connection) scans the whole table for every row a later COPY checks against it: 700,000 search terms
        # against 20,000 ideas ran for more than five minutes. ANALYZE makes every plan on the table be made again.
        cursor.execute(f"ANALYZE {model.__tablename__}")


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _fix_sequences(*models) -> None:
    """On PostgreSQL, ids given here leave the serial sequences behind: move them past the largest id."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def _councils(n: int) -> list[Council]:
    """Communities and schools under each town or street, enough for the children to spread over."""
    towns = list(db.session.scalars(select(Council).where(Council.tier == Tier.town).order_by(Council.id)))
    existing = {code for code in db.session.scalars(select(Council.code).where(Council.code.like("scale-%")))}
    wanted = max(20, n * 2)
    new = []
    next_id = _next_id(Council)
    for i in range(wanted):
        code = f"scale-{i:05d}"
        if code in existing:
            continue
        town = towns[i % len(towns)]
        kind = CouncilKind.school if i % 3 == 0 else CouncilKind.community
        place = f"第{i}小学" if kind is CouncilKind.school else f"{i}号社区"
        name = f"{town.name.removesuffix('儿童议事会')}{place}儿童议事会"
        new.append({"id": next_id, "code": code, "name": name, "name_en": None, "tier": Tier.community, "kind": kind,
                    "parent_id": town.id, "path": f"{town.path}{code}/", "is_demo": True,
                    "created_at": clock.now()})
        next_id += 1
    _insert(Council, new)
    return list(db.session.scalars(select(Council).where(Council.code.like("scale-%")).order_by(Council.id)))


def seed_scale(n: int, *, seed: int = 2026) -> dict[str, int]:
    """Add the synthetic district on top of the reference data and the demo; returns the rows added per table."""
    if db.session.scalar(select(Account.id).where(Account.username.like(f"s{seed}-%")).limit(1)) is not None:
        return {}  # built before: the district is grown once, never twice
    rng = random.Random(seed + n)
    now = clock.now().replace(microsecond=0)

    def past(moment):
        """A moment of a story that began recently is at most now: nothing in the district happens in the future."""
        return min(moment, now)
    from council.accounts.operations import hash_password

    password = hash_password("zhoucun2026")
    coordinator_id = db.session.scalar(select(Account.id).where(Account.username == "coordinator"))
    communities = _councils(n)
    tasks_plan = list(db.session.scalars(select(PlanTask.id)))
    units = [u for u in db.session.scalars(select(Unit)) if u.kind in (UnitKind.department, UnitKind.office)]

    # Children, each in one community or school council.
    first_account = _next_id(Account)
    children, profiles, memberships = [], [], []
    today = clock.today()
    for i in range(n * 500):
        account_id = first_account + i
        home = communities[i % len(communities)]
        children.append({"id": account_id, "username": f"s{seed}-{account_id}", "password_hash": password,
                         "display_name": f"{rng.choice(NICK)}{account_id % 1000}", "kind": AccountKind.child,
                         "system_role": None, "email": None, "locale": None, "active": True,
                         "created_at": now - timedelta(days=rng.randint(30, 700)), "last_login_at": None})
        profiles.append({"account_id": account_id, "real_name": rng.choice(SURNAMES) + rng.choice(GIVEN) * 2,
                         "birth_year": today.year - rng.randint(14, 17), "school": None, "class_name": None,
                         "home_council_id": home.id})
        if i % 10 == 0:
            memberships.append({"account_id": account_id, "council_id": home.id, "role": MembershipRole.member,
                                "starts_on": today - timedelta(days=300), "ends_on": None, "created_at": now})
    _insert(Account, children)
    _insert(ChildProfile, profiles)
    _insert(Membership, memberships)
    child_ids = [row["id"] for row in children]
    home_of = {row["account_id"]: row["home_council_id"] for row in profiles}

    # Ideas, with their author, their search pieces and, when adopted, the adoption event.
    first_proposal = _next_id(Proposal)
    states = [state for state, weight in STATE_MIX for _ in range(weight)]
    ideas, authors, terms, events = [], [], [], []
    for i in range(n * 1000):
        pid = first_proposal + i
        state = rng.choice(states)
        author = rng.choice(child_ids)
        council_id = home_of[author]
        place, problem, wish = rng.choice(PLACES), rng.choice(PROBLEMS), rng.choice(WISHES)
        created = now - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))
        submitted = None if state is S.draft else past(created + timedelta(hours=rng.randint(1, 48)))
        published = past(submitted + timedelta(days=rng.randint(1, 5))) if state in PUBLIC else None
        answered = past(published + timedelta(days=rng.randint(20, 60))) \
            if state in (S.answered, S.reopened, S.closed) else None
        title = f"{place}{problem}"[:80]
        row = {
            "id": pid, "state": state, "council_id": council_id, "current_council_id": council_id,
            "created_by_id": author, "on_behalf": False, "title": title,
            "problem": f"{place}{problem}，我们每天经过都觉得不方便，有时候还很危险。",
            "place": place, "idea": f"{wish}，让{place}变得更好。", "who_helps": f"{rng.choice(WHO)}都会受益。",
            "plan_task_id": rng.choice(tasks_plan) if rng.random() < 0.8 else None, "topic_chosen": True,
            "wizard_step": 7, "support_count": 0, "state_reason": None, "reject_reason": None,
            "duplicate_of_id": None, "suggested_council_id": None, "created_at": created, "updated_at": created,
            "submitted_at": submitted, "published_at": published, "route_round": 1, "answered_at": answered,
            "adopted_at": None, "routed_at": None,
        }
        ideas.append(row)
        authors.append({"proposal_id": pid, "account_id": author, "position": 0})
        if state in PUBLIC:
            words = " ".join((row["title"], row["problem"], row["place"], row["idea"], row["who_helps"]))
            terms.extend({"proposal_id": pid, "term": term} for term in sorted(terms_of(words)))
        steps = [("proposal_adopted", "on_agenda", "adopted", 7)] if state in ADOPTED_STATES else []
        if state in (S.routed, S.answered, S.reopened, S.closed):
            steps.append(("proposal_routed", "adopted", "routed", 10))
        for action, before, after, days in steps:
            when = past(published + timedelta(days=days))
            row[MILESTONES[action]] = when  # the milestone dated on the idea, as operations.move does
            events.append({"created_at": when, "actor_id": None, "action": action, "subject_type": "proposals",
                           "subject_id": pid, "council_id": council_id, "from_state": before, "to_state": after,
                           "reason": None, "data": {}})
    # Supports: distinct (idea, child) pairs on public ideas; the stored counter is the count of its rows.
    public_ids = [row["id"] for row in ideas if row["state"] in PUBLIC]
    by_id = {row["id"]: row for row in ideas}
    pairs: set[tuple[int, int]] = set()
    wanted = min(n * 10_000, len(public_ids) * len(child_ids))
    while len(pairs) < wanted:
        # A few ideas gather many supports, most a handful, as on real platforms.
        idea = public_ids[min(int(rng.paretovariate(1.2)) - 1, len(public_ids) - 1)] if rng.random() < 0.2 \
            else rng.choice(public_ids)
        pairs.add((idea, rng.choice(child_ids)))
    supports = []
    for idea, child in pairs:
        by_id[idea]["support_count"] += 1
        supports.append({"proposal_id": idea, "account_id": child,
                         "created_at": past(by_id[idea]["published_at"] + timedelta(hours=rng.randint(1, 200)))})
    _insert(Proposal, ideas)
    _insert(ProposalAuthor, authors)
    _insert(SearchTerm, terms)
    _insert(Support, supports)

    # Unit tasks for the ideas that reached the units.
    routed = [row for row in ideas if row["state"] in (S.routed, S.answered, S.reopened, S.closed)]
    rng.shuffle(routed)
    task_rows = []
    for row in routed[:n * 200]:
        unit = rng.choice(units)
        dispatched = past(row["published_at"] + timedelta(days=10))
        replied = row["state"] is not S.routed
        late = replied and rng.random() < 0.15
        task_rows.append({
            "proposal_id": row["id"], "unit_id": unit.id, "role": TaskRole.lead, "round": 1,
            "state": TaskState.replied if replied else rng.choice([TaskState.dispatched, TaskState.acknowledged,
                                                                   TaskState.in_progress]),
            "note": "", "dispatched_at": dispatched, "dispatched_by_id": coordinator_id,
            "acknowledge_due": (dispatched + timedelta(days=3)).date(),
            "reply_due": (dispatched + timedelta(days=21)).date(),
            "very_overdue_on": (dispatched + timedelta(days=35)).date(),
            "acknowledged_at": past(dispatched + timedelta(days=1)), "acknowledged_late": False,
            "returned_at": None, "return_reason": None,
            "replied_at": row["answered_at"] if replied else None, "replied_late": late if replied else None,
            "workdays_to_reply": rng.randint(5, 25) if replied else None,
            "grade": rng.choice([Grade.A, Grade.B, Grade.B, Grade.C, Grade.D]) if replied else None,
            "summary": "我们已经安排人员处理，谢谢小朋友的建议。" if replied else None,
            "reply_text": None, "reason": None, "extensions": 0, "updated_at": dispatched,
        })
    _insert(Task, task_rows)

    # Sessions: closed ones in the past of each council, with nothing secret in them.
    session_rows = []
    for i in range(n * 20):
        council = communities[i % len(communities)]
        starts = now - timedelta(days=rng.randint(1, 600))
        session_rows.append({"council_id": council.id, "title": f"第{i % 12 + 1}次儿童议事会会议",
                             "starts_at": starts, "place": "活动室", "online": False, "status": SessionStatus.closed,
                             "minutes": "", "created_by_id": coordinator_id, "created_at": starts - timedelta(days=7),
                             "opened_at": starts, "closed_at": starts + timedelta(hours=1), "members_count": 10})
    _insert(Session, session_rows)
    _insert(Event, events)
    _fix_sequences(Council, Account, Proposal, ProposalAuthor, Support, Task, Session, Membership, Event)
    return {"councils": len(communities), "children": len(children), "ideas": len(ideas), "supports": len(supports),
            "tasks": len(task_rows), "sessions": len(session_rows), "search_terms": len(terms)}
