"""Screening of children's ideas for personal data and blocked words (pure functions: no database)."""

import dataclasses

import pytest
from flask import Flask
from flask_babel import Babel

from council.proposals.screening import CHILD_REASONS, FACILITATOR_REASONS, Flag, FlagKind, mask, screen

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(area: str, birth: str, sequence: str, check: str | None = None) -> str:
    """An 18-character resident ID with the right ISO 7064 MOD 11-2 check character (or the one given)."""
    body = area + birth + sequence
    assert len(body) == 17
    right = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + (check if check is not None else right)


def wrong_check(number: str) -> str:
    return number[:17] + next(c for c in "0123456789" if c != number[17])


ZHOUCUN_ID = id_number("370306", "20140521", "123")  # 370306: 周村区
HEBEI_ID = id_number("138123", "20150101", "456")  # starts like a mobile number: 13812320150…
PUBLISHED_ID = "11010519491231002X"  # the textbook example, valid
assert id_number("110105", "19491231", "002") == PUBLISHED_ID
BAD_DATE_ID = id_number("370306", "20141321", "123")  # month 13, check character right

BLOCKED = ["笨蛋", "Stupid", " bad ", "", "   "]

POSITIVE = [
    # mobile
    ("我的电话是13812345678", FlagKind.mobile, "13812345678"),
    ("打138 1234 5678找我", FlagKind.mobile, "138 1234 5678"),
    ("号码138-1234-5678。", FlagKind.mobile, "138-1234-5678"),
    ("请拨+86 13912345678", FlagKind.mobile, "+86 13912345678"),
    ("请拨+8615012345678谢谢", FlagKind.mobile, "+8615012345678"),
    ("0086 18612345678", FlagKind.mobile, "0086 18612345678"),
    ("我妈妈8617712345678", FlagKind.mobile, "8617712345678"),
    ("电话１３８１２３４５６７８好吗", FlagKind.mobile, "１３８１２３４５６７８"),
    ("电话１３８－１２３４－５６７８", FlagKind.mobile, "１３８－１２３４－５６７８"),
    ("QQ 13812345678", FlagKind.mobile, "13812345678"),  # mobile outranks qq
    ("妈妈手机+86 138 1234 5678", FlagKind.mobile, "+86 138 1234 5678"),
    ("打+86-138-1234-5678", FlagKind.mobile, "+86-138-1234-5678"),
    ("(+86)13812345678有事找我", FlagKind.mobile, "(+86)13812345678"),
    ("0086-138-1234-5678", FlagKind.mobile, "0086-138-1234-5678"),
    ("手机：１３８ １２３４ ５６７８", FlagKind.mobile, "１３８ １２３４ ５６７８"),
    # landlines with an area code (0533: Zibo) are phone numbers too
    ("家里电话0533-6412345", FlagKind.mobile, "0533-6412345"),
    ("座机(0533)6412345", FlagKind.mobile, "(0533)6412345"),
    ("座机：(0533) 6412345", FlagKind.mobile, "(0533) 6412345"),
    ("学校电话0533 6412345转801", FlagKind.mobile, "0533 6412345转801"),
    ("打05336412345问老师", FlagKind.mobile, "05336412345"),
    ("北京的姥姥010-62345678", FlagKind.mobile, "010-62345678"),
    ("电话０５３３－６４１２３４５", FlagKind.mobile, "０５３３－６４１２３４５"),
    # id_card
    ("身份证11010519491231002X", FlagKind.id_card, PUBLISHED_ID),
    ("证件号 11010519491231002x。", FlagKind.id_card, "11010519491231002x"),
    (f"我的身份证是{ZHOUCUN_ID}", FlagKind.id_card, ZHOUCUN_ID),
    (f"号码{HEBEI_ID}", FlagKind.id_card, HEBEI_ID),  # the mobile-looking start is not reported
    # ... in every shape people type them: groups, dashes, lower-case x, full width, a mistyped check digit
    ("身份证370303 2012 0315 1234", FlagKind.id_card, "370303 2012 0315 1234"),
    ("身份证号：370303-20120315-123X。", FlagKind.id_card, "370303-20120315-123X"),
    ("370303 20120315 123 x", FlagKind.id_card, "370303 20120315 123 x"),
    ("我的证件号370303-2012-0315-123x", FlagKind.id_card, "370303-2012-0315-123x"),
    ("身份证号１１０１０５１９４９１２３１００２Ｘ", FlagKind.id_card, "１１０１０５１９４９１２３１００２Ｘ"),
    ("身份证 １１０１０５ １９４９１２３１ ００２ｘ", FlagKind.id_card, "１１０１０５ １９４９１２３１ ００２ｘ"),
    (f"我的是{wrong_check(PUBLISHED_ID)}", FlagKind.id_card, wrong_check(PUBLISHED_ID)),  # mistyped: still an ID
    (wrong_check(HEBEI_ID), FlagKind.id_card, wrong_check(HEBEI_ID)),
    (f"身份证{wrong_check(ZHOUCUN_ID)}号", FlagKind.id_card, wrong_check(ZHOUCUN_ID)),
    # email
    ("我的邮箱abc.def@qq.com", FlagKind.email, "abc.def@qq.com"),
    ("邮箱xiaoming＠163.com", FlagKind.email, "xiaoming＠163.com"),
    ("写信给 Tom_Lee+council@school.edu.cn 吧", FlagKind.email, "Tom_Lee+council@school.edu.cn"),
    ("13812345678@163.com", FlagKind.email, "13812345678@163.com"),  # email outranks mobile
    # qq
    ("QQ：12345678", FlagKind.qq, "QQ：12345678"),
    ("我的qq号是 987654321", FlagKind.qq, "qq号是 987654321"),
    ("扣扣123456", FlagKind.qq, "扣扣123456"),
    ("企鹅号 1234567", FlagKind.qq, "企鹅号 1234567"),
    ("Q号88888", FlagKind.qq, "Q号88888"),
    ("我的QQ号码是：１２３４５６７", FlagKind.qq, "QQ号码是：１２３４５６７"),
    # wechat
    ("微信：xiaoming_2015", FlagKind.wechat, "微信：xiaoming_2015"),
    ("微信号：wxid_abc123", FlagKind.wechat, "微信号：wxid_abc123"),
    ("加我VX xiaoming", FlagKind.wechat, "VX xiaoming"),
    ("wx:abc123", FlagKind.wechat, "wx:abc123"),
    ("WeChat: kid-2014", FlagKind.wechat, "WeChat: kid-2014"),
    ("WeChat ID xiaoming", FlagKind.wechat, "WeChat ID xiaoming"),
    ("薇信abc_def", FlagKind.wechat, "薇信abc_def"),
    ("加v信abcdef1", FlagKind.wechat, "v信abcdef1"),
    ("微信13812345678", FlagKind.wechat, "微信13812345678"),  # cue + mobile: one wechat flag
    ("vx 138-1234-5678", FlagKind.wechat, "vx 138-1234-5678"),
    # address
    ("我家住在幸福路12号", FlagKind.address, "幸福路12号"),
    ("住3号楼2单元501室", FlagKind.address, "3号楼2单元501室"),
    ("我住5栋", FlagKind.address, "5栋"),
    ("七单元", FlagKind.address, "七单元"),
    ("住在李家巷3号", FlagKind.address, "李家巷3号"),
    ("人民大道100号院", FlagKind.address, "人民大道100号院"),
    ("一百零一室", FlagKind.address, "一百零一室"),
    ("中山路１８号", FlagKind.address, "中山路１８号"),
    ("幸福路12号楼", FlagKind.address, "幸福路12号楼"),
    ("我住5栋302", FlagKind.address, "5栋302"),  # the room number after the building is part of it
    ("我家在3号楼2单元501，欢迎来玩", FlagKind.address, "3号楼2单元501"),
    ("我家在光明小区8号楼", FlagKind.address, "光明小区8号楼"),
    ("我们小区8号楼门口的路灯坏了", FlagKind.address, "小区8号楼"),
    ("正阳路１２号院", FlagKind.address, "正阳路１２号院"),
    ("住在3楼301", FlagKind.address, "3楼301"),
    # word
    ("你是笨蛋", FlagKind.word, "笨蛋"),
    ("That is STUPID", FlagKind.word, "STUPID"),
    ("Ｂａｄ idea", FlagKind.word, "Ｂａｄ"),
]

NEGATIVE = [
    "我们学校有3个篮球场",
    "2025年我们要种100棵树",
    "每天1小时的体育课",
    "3月5号我们去春游",
    "2025年3月5号",
    "三月十二号是植树节",
    "12月25号",
    "6月1日儿童节",
    "我有12345678个星星",  # bare digits: no QQ without a cue
    "请记住12345和987654321",
    BAD_DATE_ID,  # month 13: not a birth date, so not an ID number even with the right check character
    "身份证 370303 2099 0315 1234",  # born in 2099: no
    "370303 1850 0315 1234",  # born in 1850: no
    "编号123456789012345",  # 15 digits
    "13812345678901",  # 14 digits
    "1381234567",  # 10 digits
    "微信很好玩，可以视频",
    "We could use WeChat groups to share photos",
    "QQ群里有很多同学",
    "发邮件到 qq.com 网站",
    "@小明 你好",
    "第三单元的课文很有趣",
    "学校有两栋教学楼",
    "我家是两室一厅",
    "坐1号线去公园",
    "比分是3:5，3年级2班第1名",
    "零花钱50元，跑了800米",
    # the action plan's own figures and the way teachers write about it
    "每千人口拥有4.5个托位",
    "建成3-5个儿童友好街区",
    "到2025年，全区建成3-5个儿童友好街区，每千人口拥有4.5个托位",
    "达标率80%以上",
    "2023-2025年行动计划",
    "根据周政办字〔2023〕8号文件",
    "周政办字〔2023〕8号",
    "第12号建议",
    "这是第3号",
    "第1号任务完成了",
    "在第12号教室开会",  # an ordinal, not a home
    "12号选手加油",
    "坐3号线去博物馆",
    "我们班12号同学是班长",
    "5号上午去春游",
    "我今年12岁，在三年级二班",
    "全校1000人参加",
    "时间：2026-12-02 10:30",
    "一支笔12.5元",
    "共20个小组",
    "全区12个镇街、180个村居",
    "项目编号12345678901234567",  # 17 digits
    "编号20231201000012345的项目",
    "20231202-20241202",
    "2023.12.02到2024.12.02",
    "邮编255300",
    "学号2019012345",
    "地点501会议室",
    "我住在幸福路附近",
    "每个班30人，共1200人",
    "照片0123456789abcdef.jpg",  # hex in a file name: 012 is no area code
    "电话是6412345",  # a bare local number has no area code and no cue
    "",
]


@pytest.mark.parametrize(("text", "kind", "match"), POSITIVE)
def test_positive(text, kind, match):
    flags = screen(text, BLOCKED)
    assert [(f.kind, f.match) for f in flags] == [(kind, match)]
    flag = flags[0]
    assert text[flag.start:flag.end] == flag.match


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert screen(text, BLOCKED) == []


def test_tables_are_large_enough():
    assert len(POSITIVE) >= 40 and len(NEGATIVE) >= 40
    assert {kind for _, kind, _ in POSITIVE} == set(FlagKind)


def test_several_flags_come_back_sorted_with_original_positions():
    text = "我叫小明，身份证11010519491231002X，电话１３８ １２３４ ５６７８，QQ：54321，住幸福路12号，别叫我笨蛋"
    flags = screen(text, ["笨蛋"])
    assert [f.kind for f in flags] == [
        FlagKind.id_card, FlagKind.mobile, FlagKind.qq, FlagKind.address, FlagKind.word,
    ]
    assert [f.start for f in flags] == sorted(f.start for f in flags)
    for flag in flags:
        assert text[flag.start:flag.end] == flag.match
    mobile = flags[1]
    assert mobile.match == "１３８ １２３４ ５６７８" and mobile.start == text.index("１３８")


def test_id_card_hides_the_mobile_like_digits_inside_it():
    for number in (PUBLISHED_ID, HEBEI_ID, ZHOUCUN_ID):
        assert [f.kind for f in screen(f"号码{number}号")] == [FlagKind.id_card]


def test_lower_priority_overlaps_are_dropped():
    assert [f.kind for f in screen("QQ：13812345678")] == [FlagKind.mobile]
    assert [f.kind for f in screen("微信：13812345678")] == [FlagKind.wechat]
    assert [f.kind for f in screen("vx：abc123@163.com")] == [FlagKind.email]
    assert [f.kind for f in screen("住幸福路12号", ["幸福"])] == [FlagKind.address]  # blocked word inside
    # the longer of two overlapping blocked words wins
    assert [f.match for f in screen("大笨蛋", ["笨", "大笨蛋"])] == ["大笨蛋"]


def test_two_mobiles_next_to_each_other():
    assert [f.match for f in screen("13812345678 13912345678")] == ["13812345678", "13912345678"]


def test_mobile_followed_by_a_number_in_the_sentence():
    assert [f.match for f in screen("138 1234 5678 3点打给我")] == ["138 1234 5678"]


def test_blocked_words_are_case_insensitive_stripped_and_repeated():
    text = "Bad, bad, BAD idea"
    flags = screen(text, ["  bad  ", "", "   "])
    assert [(f.match, f.start) for f in flags] == [("Bad", 0), ("bad", 5), ("BAD", 10)]
    assert all(f.kind is FlagKind.word for f in flags)


def test_blocked_words_may_be_any_iterable_or_a_single_string():
    assert [f.match for f in screen("你是笨蛋", "笨蛋")] == ["笨蛋"]
    assert [f.match for f in screen("你是笨蛋", (w for w in ["笨蛋"]))] == ["笨蛋"]
    assert [f.match for f in screen("a+b (c)", ["(c)", "a+b"])] == ["a+b", "(c)"]  # regex characters are literal
    assert screen("你是笨蛋") == []


def test_mask_keeps_length_and_blanks_only_flagged_spans():
    text = "电话13812345678，住幸福路12号"
    masked = mask(text, screen(text))
    assert masked == "电话▇▇▇▇▇▇▇▇▇▇▇，住▇▇▇▇▇▇"
    assert len(masked) == len(text)


def test_mask_with_full_width_and_no_flags():
    text = "邮箱xiaoming＠163.com谢谢"
    assert mask(text, screen(text)) == "邮箱" + "▇" * len("xiaoming＠163.com") + "谢谢"
    assert mask("没有问题", []) == "没有问题"
    assert mask("", []) == ""


def test_flag_kinds_are_string_enums_named_by_their_values():
    assert {kind.name for kind in FlagKind} == {"mobile", "id_card", "email", "qq", "wechat", "address", "word"}
    for kind in FlagKind:
        assert kind.value == kind.name and kind == kind.name


def test_flags_are_frozen():
    flag = screen("13812345678")[0]
    assert flag == Flag(FlagKind.mobile, "13812345678", 0, 11)
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.start = 3


def test_every_kind_has_both_reasons():
    assert set(FACILITATOR_REASONS) == set(FlagKind) == set(CHILD_REASONS)


@pytest.fixture
def babel_app():
    app = Flask(__name__)
    Babel(app)
    return app


def test_reasons_read_as_plain_text(babel_app):
    with babel_app.test_request_context():
        flag = screen("电话13812345678")[0]
        assert flag.reason == "Looks like a mobile phone number"
        assert flag.child_reason == (
            "It looks like a phone number. Phone numbers are private, so please take it out."
        )
        for kind in FlagKind:
            reason = Flag(kind, "x", 0, 1)
            assert isinstance(reason.reason, str) and reason.reason
            assert isinstance(reason.child_reason, str) and reason.child_reason.endswith(".")
