"""The language matrix: every page of the access matrix (tests/test_access.py), as each role that may open it, on
the demo, in both languages. A Chinese page shows no English source string of the catalogue and no raw enum
value; an English page shows no Chinese translation of the catalogue (the demo's own words — ideas, names of
councils, units and plan items — are data and may be Chinese on either page). In both, dates read as people say
them (no zone offsets, no ISO timestamps) and every ``<time datetime>`` is a valid HTML date or time. The
notifications, the mails and the downloaded tables are checked the same way in each language."""

from __future__ import annotations

import csv
import enum
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.accounts.test_views import DEMO_PASSWORD
from tests.markup import Reader
from tests.test_access import ACCOUNTS, expectations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "council" / "translations"
ZH, EN = "zh_Hans_CN", "en"
ROLES = [None, *ACCOUNTS]  # None: a visitor

# --- what a reader sees of a page ----------------------------------------------------------------------------

# Attributes whose text people see or hear: tooltips, placeholders, what a screen reader says, a picture's words,
# the words of a button, and the words the voice recorder's script puts on its button (data-label-*).
SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}
HIDDEN_ELEMENTS = {"script", "style", "template"}
# Machine text shown as such (an API address, an event's raw details in the record): not sentences to translate.
MACHINE_ELEMENTS = {"code", "kbd", "samp"}


class _Visible(Reader):
    def __init__(self):
        self.nodes: list[str] = []
        self.times: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in HIDDEN_ELEMENTS or tag in MACHINE_ELEMENTS:
            self._hidden += 1
        if tag == "time":
            self.times.append(attributes.get("datetime") or "")
        for name, value in attrs:
            if value and (name in SEEN_ATTRIBUTES or name.startswith("data-label")):
                self.nodes.append(value)
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_INPUTS and attributes.get("value"):
            self.nodes.append(attributes["value"])

    def handle_endtag(self, tag):
        if (tag in HIDDEN_ELEMENTS or tag in MACHINE_ELEMENTS) and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


@dataclass
class Seen:
    """A page as its reader takes it in: the text of each node (and of the attributes people see), and the
    ``datetime`` of each ``<time>``."""

    nodes: list[str]
    times: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.nodes)


def seen(html: str) -> Seen:
    parser = _Visible()
    parser.read(html)
    return Seen(parser.nodes, parser.times)


# --- the catalogue's sentences --------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|%[sd]")
LETTERS = re.compile(r"[A-Za-z]")
HAN = re.compile(r"[\u3400-\u9fff]")
FIRST_WORD = re.compile(r"[A-Za-z]+")
FIRST_PAIR = re.compile(r"[\u3400-\u9fff]{2}")
HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
WORD_EDGE = r"(?<![A-Za-z0-9_]){}(?![A-Za-z0-9_])"
# A sentence of this many characters or more is looked for anywhere in the text; a shorter one only as a whole
# node (a button, a tag, a table cell), so that "Done" does not match inside a name or a longer sentence.
LONG_ENGLISH, LONG_CHINESE = 12, 4


def _catalog(locale: str) -> dict:
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def _strings(value) -> tuple[str, ...]:
    return tuple(s for s in (value if isinstance(value, tuple) else (value,)) if s)


def _fragments(text: str, script: re.Pattern, least: int) -> list[str]:
    """The literal parts of a message between its placeholders that are words of ``script``."""
    parts = (part.strip(" \t\n:：,，.。;；!！?？()（）“”\"'‘’·—-–/") for part in PLACEHOLDER.split(text))
    return [part for part in parts if len(script.findall(part)) >= least]


@dataclass(frozen=True)
class Needle:
    text: str
    msgid: str
    long: bool  # looked for anywhere in the text; a short one only as a whole node

    @cached_property
    def key(self) -> str:
        """What a text holds wherever it holds the needle: its first English word, or its first two Chinese
        characters in a row ("" if it has none)."""
        first = (FIRST_PAIR if HAN.search(self.text) else FIRST_WORD).search(self.text)
        return first.group() if first else ""

    def found_in(self, text: str) -> re.Match | None:
        if self.text not in text:
            return None
        if HAN.search(self.text):
            return re.search(re.escape(self.text), text)
        return re.search(WORD_EDGE.format(re.escape(self.text)), text)


@cache
def catalogs() -> tuple[dict, dict]:
    return _catalog(ZH), _catalog(EN)


@cache
def english_needles() -> tuple[Needle, ...]:
    """The English source sentences a Chinese page must not show: every msgid of the template translated into
    something else; not those that also appear in the Chinese translations (LOGO, PDF, Excel, a URL)."""
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        template = [m for m in read_po(f) if m.id]
    zh, _en = catalogs()
    chinese = "\n".join(s for m in zh.values() for s in _strings(m.string))
    found = {}
    for message in template:
        translated = zh.get(message.id)
        if translated is None or set(_strings(translated.string)) <= set(_strings(message.id)):
            continue  # the same in both languages
        for source in _strings(message.id):
            for part in _fragments(source, LETTERS, 3):
                if part in found or (part in chinese and re.search(WORD_EDGE.format(re.escape(part)), chinese)):
                    continue
                found[part] = Needle(part, _strings(message.id)[0], len(part) >= LONG_ENGLISH)
    return tuple(found.values())


@cache
def chinese_needles() -> tuple[Needle, ...]:
    """The Chinese translations an English page must not show: every msgstr of the Chinese catalogue whose English
    differs; not those that the English sentences hold themselves (“First row: 姓名 (real name)…”)."""
    zh, en = catalogs()
    english = "\n".join(s for m in en.values() for s in (*_strings(m.string), *_strings(m.id)))
    found = {}
    for msgid, message in zh.items():
        for translation in _strings(message.string):
            if translation in _strings(msgid):
                continue
            for part in _fragments(translation, HAN, 2):
                if part in found or part in english:
                    continue
                found[part] = Needle(part, _strings(msgid)[0], len(HAN.findall(part)) >= LONG_CHINESE)
    return tuple(found.values())


# --- enum values ------------------------------------------------------------------------------------------------

# Values that are ordinary text on a Chinese page too: the letters of the answer grades (Grade), printed beside
# their words in both languages ("A · 已解决") and starting the campaign entries' codes ("A-01"). Values are looked
# for as whole words and case by case, so the LOGO campaign's word (CampaignKind.logo is "logo") needs no entry.
ENUM_WORDS_IN_BOTH = {"A", "B", "C", "D"}


@cache
def enum_values() -> dict[str, str]:
    """Every value of every enum of the council package, with the enum it belongs to."""
    import council.models  # noqa: F401  (every model, so every enum a column holds)
    import council.proposals.screening  # noqa: F401  (the kinds of personal data the screening finds)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    values = {}
    for cls in subclasses(enum.Enum):
        if cls.__module__.startswith("council."):
            for member in cls:
                if isinstance(member.value, str) and member.value not in ENUM_WORDS_IN_BOTH:
                    values.setdefault(member.value, f"{cls.__name__}.{member.name}")
    return values


# --- dates ------------------------------------------------------------------------------------------------------

# What a person never says: a zone offset, a zone name, an ISO timestamp or an ISO date.
MACHINE_DATES = re.compile(r"(?:[+-]\d{4}\b(?!-)|\bGMT\b|\bUTC\b|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?"
                           r"|中国标准时间)")
# A valid HTML date, or a date and time with seconds at most and a zone ("2026-12-02T10:00:00+08:00").
HTML_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2}))?$")


# --- the checks -------------------------------------------------------------------------------------------------

def problems(page: Seen, locale: str, data: Data) -> list[str]:
    """Everything on ``page`` not in the reader's language, or not as a reader says it."""
    found = []
    nodes = [node for node in page.nodes if not _only_names(node, data.usernames)]
    if locale == EN:  # the demo's own Chinese words are data, not sentences of the catalogue
        nodes = [data.blank(node) for node in nodes]
    whole = {_bare(node) for node in nodes}
    text = "\n".join(nodes)
    # The keys of the text (its English words, or each two Chinese characters in a row) rule out at once the
    # needles it cannot hold: most pages hold next to nothing of the other language.
    keys = {""} | (set(FIRST_WORD.findall(text)) if locale == ZH else
                   {run[i:i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)})
    for needle in english_needles() if locale == ZH else chinese_needles():
        if needle.long:
            match = needle.key in keys and needle.found_in(text)
            if match:
                found.append(f"{needle.text!r} (from {needle.msgid!r}) in …{_around(text, match)}…")
        elif needle.text in whole:
            found.append(f"{needle.text!r} (from {needle.msgid!r}) as a whole")
    for value, member in enum_values().items():
        # English words on a Chinese page; on an English page only the codes no sentence uses ("on_track")
        if (locale == ZH or "_" in value) and value in text:
            match = re.search(WORD_EDGE.format(re.escape(value)), text)
            if match:
                found.append(f"raw {member} {value!r} in …{_around(text, match)}…")
    for match in MACHINE_DATES.finditer(text):
        found.append(f"a machine's date {match.group()!r} in …{_around(text, match)}…")
    for value in page.times:
        if not HTML_DATETIME.match(value):
            found.append(f"<time datetime={value!r}> is not a valid HTML date or time")
    return found


SEPARATORS = re.compile(r"[\s,，、()（）@]+")


def _only_names(node: str, names: frozenset[str]) -> bool:
    words = [word for word in SEPARATORS.split(node) if word]
    return bool(words) and all(word in names for word in words)


def _bare(node: str) -> str:
    """A node without the numbers and marks around its words: “3 votes” is “votes”."""
    return node.strip(" 0123456789.,:;!?()（）：，。；！？·/-–—%“”\"'#×+")


def _around(text: str, match: re.Match) -> str:
    return text[max(match.start() - 30, 0):match.end() + 30].replace("\n", " | ")


def test_the_checks_find_what_they_look_for():
    """The matrix cannot go blind: each kind of fault on a made-up page is found, and data is left alone."""
    data = Data(frozenset({"admin", "teacher"}), re.compile("周村区儿童议事会|区妇儿工委办公室 刘主任"))
    chinese = seen('<h1>帮助</h1><label><input type="radio" value="adult"> I need an adult to help me</label>'
                   '<input type="submit" value="Song lyrics"><td>open → closed</td><td>admin</td>'
                   '<p>2026年11月2日 +0800 15:30:00</p><time datetime="2026-12-02T07:00:18.073822+00:00">x</time>'
                   '<code>{"view": "export"}</code><script>var s = "Something else";</script>')
    found = "\n".join(problems(chinese, ZH, data))
    for fault in ("'I need an adult to help me'", "'Song lyrics'", "'open'", "'closed'", "+0800",
                  "not a valid HTML date"):
        assert fault in found, (fault, found)
    for fine in ("'admin'", "export", "Something else"):
        assert fine not in found, (fine, found)
    english = seen('<h1 title="待确认">Help</h1><p>Sent by 区妇儿工委办公室 刘主任 to 周村区儿童议事会</p>'
                   '<span class="status">on_track</span><p>Answer by 2026-12-02</p>'
                   '<time datetime="2026-12-02T10:00:00+08:00">Dec 2, 10:00 AM</time>')
    found = problems(english, EN, data)
    for fault in ("'待确认'", "'on_track'", "2026-12-02'"):
        assert any(fault in problem for problem in found), (fault, found)
    assert len(found) == 3, found  # not the names (data), not the <time>


def test_a_moment_reads_as_its_reader_says_it(app):
    """council/templating.py: the ``datetime`` filter and ``time_tag``, the one maker of ``<time>``."""
    from datetime import UTC, date, datetime

    from flask_babel import refresh

    from council.calendar import clock
    from council.templating import time_tag, when

    moment = datetime(2026, 12, 2, 2, 0, 0, 123456, tzinfo=UTC)  # 10:00 on 2 December in Zhoucun
    expected = {ZH: ("12月2日 上午10:00", "2025年12月2日 上午10:00", "2026年12月2日周三 下午3:30"),
                EN: ("Dec 2, 10:00 AM", "Dec 2, 2025, 10:00 AM", "Wed, Dec 2, 2026, 3:30 PM")}
    with clock.freeze(datetime(2026, 12, 1, tzinfo=UTC)):
        for locale, (short, last_year, long) in expected.items():
            with app.test_request_context(headers={"Cookie": f"lang={locale}"}):
                refresh()
                assert when(moment, "short") == short
                assert when(moment.replace(year=2025), "short") == last_year  # another year's moment says its year
                assert when(moment.replace(hour=7, minute=30), "long") == long
                assert time_tag(moment, "short") == f'<time datetime="2026-12-02T10:00:00+08:00">{short}</time>'
                assert time_tag(date(2026, 12, 2)).startswith('<time datetime="2026-12-02">')
    refresh()


# --- the pages --------------------------------------------------------------------------------------------------

@dataclass
class Data:
    """What the database holds: words of the demo's people, not of the platform. Usernames read like words
    (“admin”, “teacher”); the Chinese names of councils, units, plan items and people, the ideas and the campaign
    rules are the same on an English page."""

    usernames: frozenset[str]
    chinese: re.Pattern

    def blank(self, node: str) -> str:
        return self.chinese.sub(" ", node) if HAN.search(node) else node


def database_words(*, fresh: bool = False) -> Data:
    """Read once per run: every test here starts from the same demo. ``fresh``: read now, for a test that changed
    the records (and not kept for the others)."""
    global _DATA
    if fresh:
        return _read_database_words()
    if _DATA is None:
        _DATA = _read_database_words()
    return _DATA


_DATA: Data | None = None


def _read_database_words() -> Data:
    from sqlalchemy import JSON, Enum, String, select

    from council.accounts.models import Account
    from council.extensions import db
    from tests.test_exports import strings_in as leaves

    chinese = set()
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns
                   if isinstance(column.type, String | JSON) and not isinstance(column.type, Enum)]
        if columns:
            for row in db.session.execute(select(*columns)):  # no DISTINCT: PostgreSQL cannot compare JSON
                chinese.update(text for value in row for text in leaves(value) if len(HAN.findall(text)) >= 2)
    words = sorted(chinese, key=len, reverse=True)  # the longest first: a name inside a sentence goes with it
    return Data(frozenset(db.session.scalars(select(Account.username))),
                re.compile("|".join(map(re.escape, words)) or "(?!)"))


# Addresses of the matrix that answer with data, not a page: the API, downloads, files.
NOT_PAGES = re.compile(r"^/api/|^/healthz$|\.(?:csv|xlsx|pdf|zip|json)(?:\?|$)|/thumb$|/evidence/")


def _html(response) -> bool:
    return response.mimetype == "text/html"


def _pages(username: str | None) -> list[str]:
    """The pages of the access matrix ``username`` opens (200)."""
    return [path for path, status in expectations(username).items() if status == 200 and not NOT_PAGES.search(path)]


@pytest.mark.parametrize("locale", [EN])  # in Chinese, the access matrix reads each page as it fetches it
@pytest.mark.parametrize("username", ROLES, ids=[str(role) for role in ROLES])
def test_every_page_speaks_the_readers_language(client, auth, demo, username, locale):
    """The English pages. The Chinese ones are read by these same checks in tests/test_access.py, which fetches
    every page as every account anyway."""
    paths = _pages(username)
    client.set_cookie("lang", locale)
    if username:
        auth.login(username, DEMO_PASSWORD)
    data = database_words()
    wrong = defaultdict(list)
    checked = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _html(response), path
        checked += 1
        for problem in problems(seen(response.get_data(as_text=True)), locale, data):
            wrong[path].append(problem)
    assert checked
    assert not wrong, "\n".join(f"{path}: {problem}" for path, found in wrong.items() for problem in found)


# --- notifications and mails ----------------------------------------------------------------------------------

# Values for a message's placeholders where the demo has no message of that kind, as the callers store them: a
# date as 2026-12-02, an indicator's period as its code.
SAMPLE_PARAMS = {"title": "公园里的秋千坏了", "council": "大街街道儿童议事会", "unit": "区教育和体育局",
                 "due": "2026-12-02", "reason": "请写得更具体一些。", "n": 3, "for": 4, "against": 1, "abstain": 0,
                 "indicator": "儿童总体近视率", "period": "2025-H1", "campaign": "周村儿童友好城市LOGO征集"}


def message_params() -> dict[str, dict]:
    """Every kind of notification with the parameters of one the demo sent (or made up like them)."""
    from sqlalchemy import select

    from council.extensions import db
    from council.notifications.models import Notification
    from council.notifications.operations import TEXTS

    found = {}
    for notification in db.session.scalars(select(Notification).order_by(Notification.id)):
        found.setdefault(notification.kind, notification.params or {})
    for kind, text in TEXTS.items():
        names = re.findall(r"%\((\w+)\)", str(text))  # a translation keeps its placeholders (tests/test_i18n.py)
        found.setdefault(kind, {name: SAMPLE_PARAMS[name] for name in names})
    return found


@pytest.mark.parametrize("locale", [ZH, EN])
def test_notifications_and_mails_speak_their_readers_language(app, demo, locale):
    """Each kind of message as a reader of ``locale`` reads it on the messages page and in a mail (written in
    the recipient's language, whatever the language of the request that causes it), and the reminders and the
    daily digest the units and the office get."""
    from flask_babel import refresh
    from sqlalchemy import delete, select

    from council.accounts.models import Account
    from council.accounts.operations import find_account
    from council.calendar import clock
    from council.extensions import db
    from council.notifications.models import Notification, OutboxMail
    from council.notifications.operations import notify, text_of
    from council.tasks.models import Reminder
    from council.tasks.reminders import remind

    data = database_words()
    kinds = message_params()
    wrong = []
    other = EN if locale == ZH else ZH
    with app.test_request_context(headers={"Cookie": f"lang={locale}"}):
        refresh()
        for kind, params in kinds.items():
            text = text_of(Notification(kind=kind, params=params))
            wrong += [f"{kind}: {problem}" for problem in problems(Seen([text]), locale, data)]
    db.session.execute(delete(OutboxMail))
    for reader in db.session.scalars(select(Account).where(Account.email.is_not(None))):
        reader.locale = locale  # the office, the facilitators and the units' staff, who get mail
    with app.test_request_context(headers={"Cookie": f"lang={other}"}):  # a change made by a reader of the other
        refresh()
        for kind, params in kinds.items():
            notify([find_account("coordinator")], kind, **params)
    db.session.execute(delete(Reminder))
    db.session.commit()
    remind(now=clock.now())
    refresh()
    mails = list(db.session.scalars(select(OutboxMail)))
    assert {mail.kind for mail in mails} >= set(kinds) | {"reminder"}
    for mail in mails:
        wrong += [f"mail {mail.kind} to {mail.recipient}: {problem}"
                  for problem in problems(Seen([mail.subject, *mail.body.splitlines()]), locale, data)]
    assert not wrong, "\n".join(wrong)


# --- downloads --------------------------------------------------------------------------------------------------

def _cells(data: bytes, name: str) -> list[list[str]]:
    """The rows of a CSV or XLSX file, or of each one inside a ZIP, as text."""
    from openpyxl import load_workbook

    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if name.endswith(".xlsx"):
        rows = []
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            rows.append([sheet.title])
            rows += [["" if value is None else str(value) for value in row]
                     for row in sheet.iter_rows(values_only=True)]
        return rows
    if name.endswith(".zip"):
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(data))
        return [row for inner in archive.namelist() for row in _cells(archive.read(inner), inner)]
    return []


# Tables whose rows hold a record's text in both languages for every reader: only their headings are the reader's.
BILINGUAL_RECORDS = {"plan.export_xlsx": "the plan's tasks with their Chinese and English titles and texts"}


@pytest.mark.parametrize("locale", [ZH, EN])
def test_downloaded_tables_speak_their_readers_language(client, auth, demo, locale):
    """Every table of tests/test_exports.py, downloaded by its reader in ``locale``: its headings and the values of
    its enums are in that language. Dates stay ISO dates there (a spreadsheet sorts them), and the record's raw
    details (a JSON object in the last column of the event log) are data for machines."""
    from tests.test_exports import EXPORTS, plant

    ids = plant()
    data = database_words(fresh=True)
    client.set_cookie("lang", locale)
    wrong, tables = [], 0
    for account in sorted({export.account for export in EXPORTS}, key=str):
        if account:
            auth.login(account, DEMO_PASSWORD)
        for export in (e for e in EXPORTS if e.account == account):
            url = export.url.format(**ids)
            response = client.get(url)
            assert response.status_code == 200, url
            rows = _cells(response.data, url.split("?")[0])
            if export.endpoint in BILINGUAL_RECORDS:
                rows = rows[:2]  # the sheet's name and headings; the rows are the records' own words
            tables += bool(rows)
            cells = [cell for row in rows for cell in row if cell and not cell.startswith("{")]
            wrong += [f"{url}: {problem}" for problem in problems(Seen(cells), locale, data)
                      if "machine's date" not in problem]
        if account:
            auth.logout()
    assert tables >= 10
    assert not wrong, "\n".join(wrong)
