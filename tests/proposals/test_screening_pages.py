"""One screening rule, every place it is used: the child's check page (which says why), the facilitator's queue
and review page (which say what and show the text without it), and a teacher's roster preview (nicknames).

Rows come from the tables in test_screening.py, so a change of rule shows up here in the same words."""

import io

import pytest
from flask_babel import force_locale
from markupsafe import escape

from council.proposals.screening import CHILD_REASONS, FACILITATOR_REASONS, MASK_CHAR, FlagKind
from tests.conftest import PASSWORD, kept_world
from tests.proposals.test_screening import NEGATIVE, POSITIVE, ZHOUCUN_ID, wrong_check
from tests.rosters.conftest import YEAR, School

CHECK_STEP = 7  # the wizard's last step: "Please look again"


def positive(text):
    """A row of the POSITIVE table, found by its text (so these tests use the table's own rows)."""
    return next(row for row in POSITIVE if row[0] == text)


def negative(text):
    assert text in NEGATIVE
    return text


# Each in a different shape, and each kind the issue was about.
PAGE_POSITIVES = [positive(text) for text in (
    "身份证370303 2012 0315 1234",
    "身份证号：370303-20120315-123X。",
    "我的证件号370303-2012-0315-123x",
    "家里电话0533-6412345",
    "妈妈手机+86 138 1234 5678",
    "我住5栋302",
    "我家在光明小区8号楼",
    "我家住在幸福路12号",
    "微信：xiaoming_2015",
    "我的邮箱abc.def@qq.com",
)] + [positive(f"身份证{wrong_check(ZHOUCUN_ID)}号")]  # a mistyped check digit: still an ID number

# Five at a time, one in each text field of an idea.
PAGE_NEGATIVES = [negative(text) for text in (
    "第12号建议", "12号选手加油", "坐3号线去博物馆", "5号上午去春游", "根据周政办字〔2023〕8号文件",
    "到2025年，全区建成3-5个儿童友好街区，每千人口拥有4.5个托位", "时间：2026-12-02 10:30", "第1号任务完成了",
    "我今年12岁，在三年级二班", "在第12号教室开会",
)]
FIELDS = ("title", "problem", "place", "idea", "who_helps")


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.set_cookie("lang", "en")


@kept_world
def school(make):
    return School(make)


def in_english(reason) -> str:
    with force_locale("en"):
        return str(reason)


def flag_line(match, reason):
    """How both pages print one flag, in English: “match” — reason."""
    return f"“{escape(match)}” — {escape(in_english(reason))}"


# --- the child's check page ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "match"), PAGE_POSITIVES)
def test_the_check_page_tells_the_child_what_and_why(client, world, text, kind, match):
    proposal = world.draft(problem=text)
    sign_in(client, "author")
    page = client.get(f"/ideas/{proposal.id}/step/{CHECK_STEP}").get_data(as_text=True)
    assert "Please look again" in page
    assert flag_line(match, CHILD_REASONS[kind]) in page
    assert page.count("class=\"flag\"") == 1


@pytest.mark.parametrize("start", range(0, len(PAGE_NEGATIVES), len(FIELDS)))
def test_the_check_page_leaves_ordinals_dates_and_plan_figures_alone(client, world, start):
    texts = PAGE_NEGATIVES[start:start + len(FIELDS)]
    proposal = world.draft(**dict(zip(FIELDS, texts, strict=False)))
    sign_in(client, "author")
    page = client.get(f"/ideas/{proposal.id}/step/{CHECK_STEP}").get_data(as_text=True)
    for text in texts:
        assert str(escape(text)) in page  # the child's words are on the page ...
    assert "Please look again" not in page and "class=\"flag\"" not in page  # ... and nothing is questioned


# --- the facilitator's queue and review page -----------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "match"), PAGE_POSITIVES)
def test_the_facilitator_sees_the_flag_its_reason_and_the_text_without_it(client, world, text, kind, match):
    proposal = world.submitted(idea=text)
    sign_in(client, "fac_a")
    queue = client.get("/moderation").get_data(as_text=True)
    assert "1 things to look at" in queue
    page = client.get(f"/moderation/{proposal.id}").get_data(as_text=True)
    assert "Looks like personal data or a listed word" in page
    assert flag_line(match, FACILITATOR_REASONS[kind]) in page
    assert str(escape(text.replace(match, MASK_CHAR * len(match)))) in page  # "Without it:"


@pytest.mark.parametrize("start", range(0, len(PAGE_NEGATIVES), len(FIELDS)))
def test_the_facilitator_is_not_asked_about_ordinals_dates_and_plan_figures(client, world, start):
    texts = PAGE_NEGATIVES[start:start + len(FIELDS)]
    proposal = world.submitted(**dict(zip(FIELDS, texts, strict=False)))
    sign_in(client, "fac_a")
    assert "things to look at" not in client.get("/moderation").get_data(as_text=True)
    page = client.get(f"/moderation/{proposal.id}").get_data(as_text=True)
    assert "Looks like personal data or a listed word" not in page and MASK_CHAR not in page


def test_the_queue_counts_every_flag_of_an_idea(client, world):
    world.submitted(title="第12号建议", problem="身份证370303 2012 0315 1234", place="我住5栋302",
                    idea="家里电话0533-6412345", who_helps="12号选手")
    sign_in(client, "fac_a")
    assert "3 things to look at" in client.get("/moderation").get_data(as_text=True)


# --- the teacher's roster preview: nicknames ------------------------------------------------------

NICKNAME_POSITIVES = [  # a nickname is at most 12 characters: the rows that fit
    ("0533-6412345", FlagKind.mobile),
    ("13812345678", FlagKind.mobile),
    ("５栋３０２", FlagKind.address),
    ("QQ：12345678", FlagKind.qq),
    ("wx:abc123", FlagKind.wechat),
    ("a@qq.com", FlagKind.email),
]
NICKNAME_NEGATIVES = ["12号选手", "3号线", "第1号任务", "第3号", "80%", "4.5个托位"]


def upload(client, school, rows):
    lines = ["姓名,昵称,出生年份"] + [f"{name},{nick},{YEAR - 9}" for name, nick in rows]
    response = client.post(f"/classes/{school.group.id}/import",
                           data={"roster": (io.BytesIO("\n".join(lines).encode("gb18030")), "class.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_teacher_is_told_which_nicknames_look_private(client, auth, school):
    client.set_cookie("lang", "en")
    auth.login("teacher1")
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
    page = upload(client, school, zip(names, (nick for nick, _kind in NICKNAME_POSITIVES), strict=True))
    assert "6 rows have problems" in page
    for nick, kind in NICKNAME_POSITIVES:
        assert str(escape(nick)) in page
        what = in_english(FACILITATOR_REASONS[kind])
        sentence = f"The nickname looks like private information ({what}). Choose another one."
        assert str(escape(sentence)) in page
    assert "Ready" not in page


def test_ordinal_and_figure_nicknames_are_ready(client, auth, school):
    client.set_cookie("lang", "en")
    auth.login("teacher1")
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
    page = upload(client, school, zip(names, NICKNAME_NEGATIVES, strict=True))
    assert "looks like private information" not in page
    assert "has a problem" not in page and "have problems" not in page
    assert page.count("Ready") >= len(NICKNAME_NEGATIVES)
    for nick in NICKNAME_NEGATIVES:
        assert str(escape(nick)) in page
