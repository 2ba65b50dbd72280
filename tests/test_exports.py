"""Every table the platform hands out, downloaded through its real address by the account allowed to, with
formula-looking text planted in the records it holds (an idea's title, a nickname, a unit's name, a campaign
entry, an audit reason): that text is only ever there guarded. A CSV cell holding it starts with an apostrophe;
an XLSX cell holding it is a string cell (never ``data_type == "f"``). Files inside a ZIP are read the same way.

A new download route that is not in ``EXPORTS`` fails ``test_every_download_route_is_in_the_matrix``, and a
module that writes CSV, XLSX or ZIP files itself instead of through ``council/exports.py`` fails
``test_only_the_shared_writer_writes_tables``."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from council import exports
from council.calendar import clock
from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD

HYPERLINK = '=HYPERLINK("http://x","y")'
AT = "@SUM(1)"
PLUS = "+1"
MINUS = "-1+2"
SPACED = "  =1+2"  # runs in a spreadsheet too: spaces before the sign
TAB = "\t=3+4"
CR = "\r@5"

# Would a spreadsheet run this cell? Written here on its own, not taken from council/exports.py.
RUNS = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Export:
    endpoint: str
    url: str  # formatted with the ids of the demo records
    account: str | None  # who downloads it (None: anyone, not signed in)
    planted: tuple[str, ...]  # the planted texts this file must contain (guarded)
    mimetype: str
    filename: str  # the name users get today; formatted like url

    @property
    def id(self) -> str:
        return self.url.split("?")[0].strip("/").replace("{", "").replace("}", "")


EXPORTS = [
    # public open data: every public idea, its title and the children's nicknames
    Export("stats.open_ideas", "/open-data/ideas.csv", None, (HYPERLINK, AT, MINUS), exports.CSV,
           "zhoucun-ideas.csv"),
    # the coordinating office's tables
    *(Export("stats.export", f"/stats/export/{dataset}.{fmt}?year={{year}}", "coordinator", planted,
             exports.CSV if fmt == "csv" else exports.XLSX, f"{dataset}-{{year}}.{fmt}")
      for dataset, planted in (("ideas", (HYPERLINK, AT, MINUS)), ("tasks", (PLUS, MINUS)))
      for fmt in ("csv", "xlsx")),
    *(Export("stats.export", f"/stats/export/units.{fmt}?year={{unit_year}}", "coordinator", (PLUS,),
             exports.CSV if fmt == "csv" else exports.XLSX, f"units-{{unit_year}}.{fmt}") for fmt in ("csv", "xlsx")),
    Export("supervision.export_csv", "/supervision/export.csv?year={unit_year}", "coordinator", (PLUS,),
           exports.CSV, "supervision-{unit_year}.csv"),
    Export("supervision.export_xlsx", "/supervision/export.xlsx?year={unit_year}", "coordinator", (PLUS,),
           exports.XLSX, "supervision-{unit_year}.xlsx"),
    # the event log: a reason and who did it
    Export("privacy.audit_csv", "/audit/export.csv", "coordinator", (HYPERLINK, AT), exports.CSV, "events.csv"),
    # campaign entries with their pictures: the district's finished LOGO campaign, and the school's drawing
    # campaign run by its street's facilitator
    Export("campaigns.export", "/campaigns/{logo}/export.zip", "coordinator", (HYPERLINK, MINUS, TAB, PLUS, SPACED),
           exports.ZIP, "campaign-{logo}.zip"),
    Export("campaigns.export", "/campaigns/{drawing}/export.zip", "facilitator", (AT, CR, SPACED), exports.ZIP,
           "campaign-{drawing}.zip"),
    # a copy of one child's data for the guardian (data.json and the child's files), made by the teacher
    Export("privacy.export_zip", "/privacy/requests/{copy}/export.zip", "teacher", (PLUS,), exports.ZIP,
           "child-{kid08}-data.zip"),
    # the current plan's tasks, for anyone: a lead unit's name (区教育和体育局 leads task 6 alone)
    Export("plan.export_xlsx", "/plan/export.xlsx", None, (PLUS,), exports.XLSX, "plan-v1.xlsx"),
    # the example class list for the roster import: no record in it, but it is a table like the others
    Export("rosters.template_csv", "/classes/template.csv", "teacher", (), exports.CSV, "class-list.csv"),
    # the office's setup templates (council/setup): every kind in both formats, no record in them
    *(Export("setup.template", f"/setup/templates/{kind}.{fmt}", "coordinator", (),
             exports.CSV if fmt == "csv" else exports.XLSX, f"setup-{kind}.{fmt}")
      for kind in ("councils", "units", "adults") for fmt in ("csv", "xlsx")),
]

# Routes that hand out files but no table: what they serve is someone's upload or a PDF, not a spreadsheet.
NOT_TABLES = {
    "proposals.file": "a picture or recording attached to an idea, as uploaded",
    "proposals.thumbnail": "its thumbnail",
    "indicators.evidence": "a picture of evidence for an indicator, as uploaded",
    "indicators.evidence_thumb": "its thumbnail",
    "stats.report_pdf": "the annual report as a PDF",
    "posters.code_png": "a poster's QR code as a PNG picture for a print shop",
    "plan.export_json": "the plan as JSON data in the published schema's shape, not a spreadsheet",
}


# --- planting the records ------------------------------------------------------------------------------

def plant() -> dict:
    """Formula-looking text in the demo records each export holds; the ids the export URLs need."""
    from council.accounts.operations import find_account
    from council.audit.operations import record
    from council.campaigns.models import Campaign, Entry
    from council.privacy.models import DataRequest, RequestKind
    from council.proposals.models import Proposal
    from council.tasks.models import Task
    from council.units.models import Unit

    def idea(title):
        return db.session.scalar(select(Proposal).where(Proposal.title == title))

    def entry(campaign, username):
        return db.session.scalar(select(Entry).where(Entry.campaign_id == campaign.id,
                                                     Entry.author_id == find_account(username).id))

    logo = db.session.scalar(select(Campaign).where(Campaign.kind == "logo"))
    drawing = db.session.scalar(select(Campaign).where(Campaign.kind == "drawing"))
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    copy = db.session.scalar(select(DataRequest).where(DataRequest.kind == RequestKind.export))
    newest_task = db.session.scalar(select(Task.dispatched_at).where(Task.unit_id == edu.id)
                                    .order_by(Task.dispatched_at.desc()).limit(1))
    if newest_task.tzinfo is None:  # SQLite hands back naive UTC
        newest_task = newest_task.replace(tzinfo=UTC)

    idea("公园里的秋千坏了").title = HYPERLINK  # public, written by 小星星 alone
    idea("斑马线颜色太淡").title = MINUS  # adopted, with a task for 周村交警大队
    find_account("child").display_name = AT  # 小星星
    edu.name = PLUS
    find_account("kid08").display_name = PLUS  # the child of the data request
    find_account("kid01").display_name = SPACED
    logo_entry = entry(logo, "kid01")
    logo_entry.title, logo_entry.description = HYPERLINK, MINUS
    entry(logo, "kid02").title = TAB
    drawing_entry = entry(drawing, "kid02")  # approved, with the guardian's consent
    drawing_entry.title, drawing_entry.description = AT, CR
    record("entry_rejected", logo_entry, actor=find_account("coordinator"), council=logo.council, reason=HYPERLINK)
    db.session.commit()
    assert copy.child_id == find_account("kid08").id
    return {"year": clock.today().year, "unit_year": clock.local_day(newest_task).year, "logo": logo.id,
            "drawing": drawing.id, "copy": copy.id, "kid08": copy.child_id}


# --- reading the files back ----------------------------------------------------------------------------

def read_csv(data: bytes, where: str) -> tuple[list[str], set[str]]:
    """Problems (cells a spreadsheet would run, a missing byte-order mark) and the planted texts found guarded."""
    problems = [] if data.startswith(b"\xef\xbb\xbf") else [f"{where}: no byte-order mark for Excel"]
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
    problems += [f"{where}: {cell!r} would run as a formula" for cell in cells
                 if RUNS.match(cell) and not NUMBER.match(cell)]
    unguarded = {text for text in PLANTED if text in cells}
    problems += [f"{where}: {text!r} is there without the apostrophe" for text in unguarded]
    return problems, {text for text in PLANTED if "'" + text in cells}


def read_xlsx(data: bytes, where: str) -> tuple[list[str], set[str]]:
    problems, found = [], set()
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{where}!{cell.coordinate}: a formula, {cell.value!r}")
                elif isinstance(cell.value, str) and RUNS.match(cell.value):
                    if cell.data_type != "s" or not cell.quotePrefix:
                        problems.append(f"{where}!{cell.coordinate}: {cell.value!r} is not a quoted text cell")
                    if cell.value in PLANTED:
                        found.add(cell.value)
                if isinstance(cell.value, str) and cell.value.startswith("'") and cell.value[1:] in PLANTED:
                    problems.append(f"{where}!{cell.coordinate}: the CSV apostrophe in a text cell")
    return problems, found


def strings_in(value):
    """Every string in a JSON document, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def read_zip(data: bytes, where: str) -> tuple[list[str], set[str]]:
    """Every table inside read like a download of its own; JSON is data, not a spreadsheet: it keeps the text."""
    problems, found = [], set()
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        body = archive.read(name)
        if name.endswith((".csv", ".tsv", ".txt")):
            more, seen = read_csv(body, f"{where}/{name}")
        elif name.endswith((".xlsx", ".xlsm")):
            more, seen = read_xlsx(body, f"{where}/{name}")
        elif name.endswith(".json"):
            more, seen = [], set(strings_in(json.loads(body))) & set(PLANTED)
        else:
            more, seen = [], set()
        problems += more
        found |= seen
    return problems, found


PLANTED = (HYPERLINK, AT, PLUS, MINUS, SPACED, TAB, CR)
READERS = {exports.CSV: read_csv, exports.XLSX: read_xlsx, exports.ZIP: read_zip}


@pytest.mark.parametrize("export", EXPORTS, ids=[e.id for e in EXPORTS])
def test_every_export_holds_formula_text_only_guarded(client, auth, demo, export):
    ids = plant()
    if export.account:
        assert auth.login(export.account, DEMO_PASSWORD).status_code == 302
    response = client.get(export.url.format(**ids))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == export.mimetype
    assert response.headers["Content-Disposition"] == f'attachment; filename="{export.filename.format(**ids)}"'
    problems, found = READERS[export.mimetype](response.data, export.url.format(**ids))
    assert problems == []
    assert set(export.planted) <= found, f"not in the file: {set(export.planted) - found}"


# --- every download is in the matrix ---------------------------------------------------------------------

# A view that hands out a file: its address ends like one, its name says so, or its code builds one.
DOWNLOAD_RULE = re.compile(r"\.(?:csv|tsv|txt|xlsx?|xlsm|ods|zip|pdf|<\w+>)$|export|download", re.IGNORECASE)
DOWNLOAD_CODE = re.compile(r"text/csv|spreadsheetml|application/zip|application/octet-stream|Content-Disposition"
                           r"|send_file|table_response|zip_response|\battachment\(|\bexports\.\w+\(|\w*download\w*\("
                           r"|Archive\(|\bcsv\b|xlsx|\.zip\b")


def download_routes(app) -> set[str]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":  # every method: a form may be answered with a file too
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if DOWNLOAD_RULE.search(rule.rule) or DOWNLOAD_RULE.search(rule.endpoint) or DOWNLOAD_CODE.search(
                inspect.getsource(view)):
            routes.add(rule.endpoint)
    return routes


def test_every_download_route_is_in_the_matrix(app):
    listed = {export.endpoint for export in EXPORTS}
    found = download_routes(app)
    assert found - listed - set(NOT_TABLES) == set(), "a download missing from EXPORTS (or NOT_TABLES)"
    assert listed <= found, "EXPORTS names a route the rule does not see: the rule has gone blind"


def test_the_route_rule_catches_a_new_download(app):
    """The rule sees a route by its address, by its name, or by what its code sends."""
    from flask import Blueprint

    probe = Blueprint("probe", __name__)

    @probe.get("/probe/members.xlsx")
    def members():
        return ""

    @probe.get("/probe/list")
    def download_list():
        return ""

    @probe.get("/probe/table")
    def table():
        return exports.table_response("t.csv", exports.Table(["a"], [["b"]]))

    @probe.get("/probe/page")
    def page():
        return "<p>a page</p>"

    app.register_blueprint(probe)
    assert {e for e in download_routes(app) if e.startswith("probe.")} == {"probe.members", "probe.download_list",
                                                                          "probe.table"}


WRITES_FILES = re.compile(r"csv\.writer|csv\.DictWriter|\bWorkbook\(|zipfile\.ZipFile\(|\bZipFile\(|xlsxwriter"
                          r"|Content-Disposition|\bas_attachment\b|text/csv|spreadsheetml|application/zip")


def test_only_the_shared_writer_writes_tables():
    """No copy of the writer: CSV, XLSX and ZIP files are made only in council/exports.py (reading them, as the
    roster import does, is fine)."""
    root = Path(exports.__file__).parent
    writers = sorted(str(path.relative_to(root)) for path in root.rglob("*.py")
                     if path != Path(exports.__file__) and WRITES_FILES.search(path.read_text(encoding="utf-8")))
    assert writers == sorted(OTHER_FILES)


# Modules that send a file of another kind, found by the same search.
OTHER_FILES = {"stats/views.py": "the annual report, a PDF shown inline",
               "posters/views.py": "a QR code as a PNG picture, made by segno"}


# --- the writer on its own -----------------------------------------------------------------------------

FORMULAS = ["=1+1", HYPERLINK, "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1", "\t1", " =1", "   @x", "\u3000=1", "\n=1"]
TEXTS = ["1+1", "小星星", "a=b", "", "周村-大街", "'=already quoted", "e-mail"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_guarded_in_csv_and_a_quoted_text_cell_in_xlsx(text):
    table = exports.Table(["text", "number"], [[text, -1]])
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, "-1"]  # the number stays a number
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(table))).active
    # (a carriage return too: openpyxl writes it through lxml as a character reference, not as a line end)
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == (text, "s", True)
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-1, "n")


@pytest.mark.parametrize("text", TEXTS)
def test_other_text_is_left_alone(text):
    table = exports.Table(["text"], [[text]])
    assert list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig"))))[1] == [text]
    cell = load_workbook(io.BytesIO(exports.xlsx_bytes(table))).active["A2"]
    assert cell.value == (text or None) and not cell.quotePrefix


def test_xlsx_keeps_numbers_widths_formats_and_a_bold_frozen_header():
    table = exports.Table(["单位名称", "rate", "n"], [["区教育和体育局", 0.8333, 3], ["x", None, -2.5]],
                          title="2026/04: [x]", decimals={1: 4})
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(table))).active
    assert sheet.title == "2026-04- -x-"  # characters a sheet name cannot hold are replaced
    assert [c.value for c in sheet[2]] == ["区教育和体育局", 0.8333, 3] and sheet["C3"].value == -2.5
    assert sheet["B2"].number_format == "0.0000" and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width == 16
    text = exports.csv_bytes(table).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["区教育和体育局,0.8333,3", "x,,-2.5"]


def test_xlsx_drops_characters_it_cannot_hold():
    cell = load_workbook(io.BytesIO(exports.xlsx_bytes(exports.Table(["a"], [["bell\x07"]])))).active["A2"]
    assert cell.value == "bell"


def test_an_archive_holds_tables_text_and_files(tmp_path):
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG")
    with exports.Archive() as archive:
        archive.add_file(picture, "files/p.png")
        archive.add_text("data.json", '{"title": "=1"}')
        archive.add_table("a.csv", exports.Table(["t"], [[AT]]))
        archive.add_table("b.xlsx", exports.Table(["t"], [[AT]]))
    problems, found = read_zip(archive.getvalue(), "test.zip")
    assert problems == [] and found == {AT}
    assert sorted(zipfile.ZipFile(io.BytesIO(archive.getvalue())).namelist()) == ["a.csv", "b.xlsx", "data.json",
                                                                                   "files/p.png"]
