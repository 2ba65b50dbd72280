"""Screening a child's idea before a facilitator publishes it: personal data and words on a configurable list.

``screen(text, blocked_words)`` returns flags (kind, matched substring, position); ``mask(text, flags)``
blanks them out for a preview. Nothing here blocks or edits an idea: a facilitator reads the flags and decides.

Matching runs on a copy of the text in which full-width forms (１３８, ＠, ：, ＱＱ) and odd dashes/spaces are
mapped one-for-one to ASCII, so every position found there is a position in the original text, and a flag
always reports the original substring.

When matches overlap, the more serious one wins, in this order:
id_card > email > wechat > mobile > qq > address > word. (A WeChat cue followed by a phone number is
reported as ``wechat`` covering cue and number; an ID card number hides the phone-like digits inside it.)
A landline with its area code (0533-6412345) is reported as ``mobile``: to the child it is "a phone number".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from council.calendar import clock


class FlagKind(enum.StrEnum):
    mobile = "mobile"
    id_card = "id_card"
    email = "email"
    qq = "qq"
    wechat = "wechat"
    address = "address"
    word = "word"


FACILITATOR_REASONS = {
    FlagKind.mobile: _l("Looks like a mobile phone number"),
    FlagKind.id_card: _l("Looks like a resident ID card number"),
    FlagKind.email: _l("Looks like an e-mail address"),
    FlagKind.qq: _l("Looks like a QQ number"),
    FlagKind.wechat: _l("Looks like a WeChat ID"),
    FlagKind.address: _l("Looks like part of a street address"),
    FlagKind.word: _l("Contains a word on the blocked list"),
}

CHILD_REASONS = {
    FlagKind.mobile: _l("It looks like a phone number. Phone numbers are private, so please take it out."),
    FlagKind.id_card: _l("It looks like an ID card number. ID card numbers are private, so please take it out."),
    FlagKind.email: _l("It looks like an email address. Email addresses are private, so please take it out."),
    FlagKind.qq: _l("It looks like a QQ number. QQ numbers are private, so please take it out."),
    FlagKind.wechat: _l("It looks like a WeChat ID. WeChat IDs are private, so please take it out."),
    FlagKind.address: _l(
        "It looks like part of an address. Addresses can show where someone lives, so please take it out."
    ),
    FlagKind.word: _l("This word is not used on our council. Please say it in a different way."),
}

# Most serious first: on overlap the earlier kind is kept.
PRIORITY = (
    FlagKind.id_card,
    FlagKind.email,
    FlagKind.wechat,
    FlagKind.mobile,
    FlagKind.qq,
    FlagKind.address,
    FlagKind.word,
)
_RANK = {kind: rank for rank, kind in enumerate(PRIORITY)}

MASK_CHAR = "▇"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    match: str  # the exact substring of the text that fired
    start: int  # index in the original text
    end: int

    @property
    def reason(self) -> str:
        """For the facilitator, in the current language."""
        return str(FACILITATOR_REASONS[self.kind])

    @property
    def child_reason(self) -> str:
        """Plain words for the child who wrote the idea."""
        return str(CHILD_REASONS[self.kind])


# --- normalisation (length-preserving) -------------------------------------------------------------------

_WIDTH_MAP = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！..～ → !..~ (digits, letters, ＠, ：)
_WIDTH_MAP[0x3000] = ord(" ")  # ideographic space
_WIDTH_MAP.update({code: ord("-") for code in (*range(0x2010, 0x2016), 0x2212)})  # hyphens, dashes, minus


def _normalise(text: str) -> str:
    return text.translate(_WIDTH_MAP)  # one code point for one: positions carry over


# --- patterns (run on the normalised text) ---------------------------------------------------------------

_MOBILE_CORE = r"1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])(?!-[0-9])"
_MOBILE_PREFIX = r"(?:\(?(?:\+|00)86\)?[ -]?|86)"
_MOBILE = re.compile(rf"(?<![0-9])(?<![0-9]-){_MOBILE_PREFIX}?{_MOBILE_CORE}")
# A landline with its area code (010, 02x or 0xxx: 0533-6412345, (0533) 6412345, 010-62345678,
# 0533-6412345-801) is a home or school phone: flagged as a phone number too. A bare 7-8 digit local number
# has no cue and is left alone.
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z.])(?<![0-9]-)(?:\((?:0(?:10|2[0-9]|[3-9][0-9]{2}))\)|0(?:10|2[0-9]|[3-9][0-9]{2}))"
    r"[ -]?[2-8][0-9]{6,7}(?:(?:-|转)[0-9]{1,5})?(?![0-9A-Za-z])(?!-[0-9])(?![.:][0-9])"
)

# A resident ID number as people write it: 18 characters, the last may be X or x, optionally split by one
# space or dash into 6-8-4, 6-4-4-4 or 6-8-3-1 groups (370303 2012 0315 1234, 370303-20120315-123X). The
# check character is not verified (a child who mistypes one digit still wrote an ID number); a plausible birth
# date is, so that long numbers in general are not flagged.
_ID_SEP = r"[ -]?"
_ID_CARD = re.compile(
    rf"(?<![0-9])(?<![0-9]-)(?P<area>[1-9][0-9]{{5}}){_ID_SEP}(?P<year>(?:19|20)[0-9]{{2}}){_ID_SEP}"
    rf"(?P<month>[0-9]{{2}})(?P<day>[0-9]{{2}}){_ID_SEP}[0-9]{{3}}{_ID_SEP}[0-9Xx](?![0-9Xx])(?!-[0-9])"
)

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

_CUE_GAP = r"[\s:：是为]*"  # 'QQ：', 'QQ号是 ', 'vx: '
_QQ = re.compile(
    rf"(?:(?<![A-Za-z])qq|扣扣|(?<![A-Za-z])q号|企鹅号)(?:号码|号|账号|帐号)?{_CUE_GAP}[1-9][0-9]{{4,10}}(?![0-9])",
    re.IGNORECASE,
)
_WECHAT = re.compile(
    r"(?P<cue>(?<![A-Za-z])(?:wechat|weixin|vx|wx|v信)|微信|薇信)(?:\s?(?P<suffix>号码|号|账号|帐号|id))?"
    + rf"(?P<gap>{_CUE_GAP})(?P<id>{_MOBILE_PREFIX}?{_MOBILE_CORE}|[A-Za-z][A-Za-z0-9_-]{{5,19}}(?![A-Za-z0-9_@-]))",
    re.IGNORECASE,
)
_ENGLISH_CUES = {"wechat", "weixin"}


def _english_words(m: re.Match[str]) -> bool:
    """'WeChat groups': an English cue, a space and a plain word is a sentence, not a WeChat ID."""
    return (m["cue"].lower() in _ENGLISH_CUES and not m["suffix"] and m["id"].isalpha()
            and not any(marker in m["gap"] for marker in ":：是为"))


# Address: one or more "number + unit" parts in a row (3号楼2单元501室), not starting inside a number or
# right after 月 (3月5号 is a date) or after the bracket of a document number (周政办字〔2023〕8号). A room
# number after a building or unit is part of it (5栋302). A few everyday uses are left alone: ordinals
# (第12号建议, 第3号, 12号选手, 1号线, 5号上午), 两室一厅 (flat layout), 两栋楼/三幢房子 (栋/幢 as a measure
# word), 第三单元/单元测试 (a textbook unit).
_NUMERALS = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"(?:[0-9]{{1,5}}|[{_NUMERALS}]{{1,6}})"
_NOT_A_HOUSE = (  # what follows 号 when it numbers a line, a person, an item or a day, not a house
    "线|选手|队员|球员|运动员|同学|小朋友|小组|建议|提案|方案|任务|作品|议题|问题|题|文件|令|字|车厢|座位"
    "|窗口|上午|下午|晚上|早上|早晨|中午|傍晚|当天|那天|之前|以前|之后|以后"
)
_UNIT = (
    rf"(?:号楼|号院|号(?!{_NOT_A_HOUSE})|(?:栋|幢)(?![楼房屋高大教宿建别小新])|单元(?![测考练复课作习])"
    r"|室(?![一二两三四五六七八九十0-9]?厅)|楼)"
)
_ADDRESS = re.compile(rf"(?<![0-9.{_NUMERALS}月〕】\]])(?<!月 )(?:{_NUMBER}{_UNIT})+")
_ORDINAL = re.compile(rf"{_NUMBER}(?:号|单元)")  # after 第: 第12号, 第三单元
_ROOM = re.compile(r"-?[0-9]{2,4}(?![0-9.%:]|[个人元米岁名年月日天次位只棵件条张本])")  # 5栋|302
_ROOM_AFTER = ("栋", "幢", "楼", "单元")
_ROAD_SUFFIXES = ("大道", "胡同", "路", "街", "巷", "弄", "小区", "花园", "家园", "公寓", "新村")
_ROAD_NAME_MAX = 4  # 幸福, 人民东, 中山北, 光明
_ROAD_NAME_STOP = set("在住是到的于从去往和与及把向近我你他她它们")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _plausible_birth(year: str, month: str, day: str) -> bool:
    """A real date (the pattern allows 1900-2099) no later than today: what keeps an 18-digit number from
    being an ID number."""
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return born <= clock.today()


def _road_start(norm: str, start: int) -> int:
    """Where a road name ending just before ``start`` begins (幸福路|12号), or ``start`` if there is none."""
    for suffix in _ROAD_SUFFIXES:
        if norm.endswith(suffix, 0, start):
            begin = start - len(suffix)
            break
    else:
        return start
    limit = max(0, begin - _ROAD_NAME_MAX)
    while begin > limit and _is_cjk(norm[begin - 1]) and norm[begin - 1] not in _ROAD_NAME_STOP:
        begin -= 1
    return begin


def _candidates(text: str, norm: str, blocked_words: Iterable[str]) -> list[Flag]:
    found: list[Flag] = []

    def add(kind: FlagKind, start: int, end: int) -> None:
        found.append(Flag(kind, text[start:end], start, end))

    for m in _ID_CARD.finditer(norm):
        if _plausible_birth(m["year"], m["month"], m["day"]):
            add(FlagKind.id_card, m.start(), m.end())
    for kind, pattern in ((FlagKind.email, _EMAIL), (FlagKind.mobile, _MOBILE), (FlagKind.mobile, _LANDLINE),
                          (FlagKind.qq, _QQ)):
        for m in pattern.finditer(norm):
            add(kind, m.start(), m.end())
    for m in _WECHAT.finditer(norm):
        if not _english_words(m):
            add(FlagKind.wechat, m.start(), m.end())
    for m in _ADDRESS.finditer(norm):
        start, end, part = m.start(), m.end(), m.group()
        if norm[start - 1:start] == "第" and _ORDINAL.fullmatch(part):
            continue  # 第12号建议, 第三单元: an ordinal, not a house
        if part.endswith(_ROOM_AFTER) and (room := _ROOM.match(norm, end)):
            end = room.end()  # 5栋302
        add(FlagKind.address, _road_start(norm, start), end)
    if isinstance(blocked_words, str):
        blocked_words = (blocked_words,)
    for word in {_normalise(w.strip()).lower() for w in blocked_words if w and w.strip()}:
        for m in re.finditer(re.escape(word), norm, re.IGNORECASE):
            add(FlagKind.word, m.start(), m.end())
    return found


def screen(text: str, blocked_words: Iterable[str] = ()) -> list[Flag]:
    """All flags, sorted by start, overlapping matches of lower priority dropped (id_card > mobile > qq etc.)."""
    if not text:
        return []
    norm = _normalise(text)
    kept: list[Flag] = []
    taken = [False] * len(text)
    for flag in sorted(_candidates(text, norm, blocked_words),
                       key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start)):
        if flag.end > flag.start and not any(taken[flag.start:flag.end]):
            kept.append(flag)
            taken[flag.start:flag.end] = [True] * (flag.end - flag.start)
    return sorted(kept, key=lambda f: f.start)


def mask(text: str, flags: list[Flag]) -> str:
    """The text with each flagged span replaced by '▇' characters of the same length (for showing the facilitator
    a masked preview)."""
    chars = list(text)
    for flag in flags:
        for index in range(max(0, flag.start), min(len(chars), flag.end)):
            chars[index] = MASK_CHAR
    return "".join(chars)
