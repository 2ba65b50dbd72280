"""Every file the platform hands out as a table goes through here: CSV that Excel opens as UTF-8, real XLSX, and
ZIP archives holding tables, text and stored files.

Text in these files comes from children, units and adults: an idea's title, a nickname, a reason. A spreadsheet
runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (also after spaces, or after a tab or a carriage
return) as a formula, so ``=HYPERLINK("http://…","…")`` in a title would become a live link in the office's
Excel. Here such text is guarded: in CSV it gets a leading apostrophe (Excel and LibreOffice then show it as
text); in XLSX it is written as a string cell with Excel's "quote prefix", never as a formula. Numbers stay
numbers. Nothing else in ``council`` writes CSV, XLSX or ZIP files (``tests/test_exports.py`` checks that).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from flask import Response

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
BOM = "\ufeff"  # tells Excel the file is UTF-8; without it Chinese opens as mojibake

FORMULA_SIGNS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
NUMBERS = int | float | Decimal
SHEET_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "\\/?*[]:"})


def formula_like(value) -> bool:
    """Whether a spreadsheet could run this text as a formula (numbers are numbers, not formulas)."""
    if not isinstance(value, str):
        return False
    return value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_SIGNS)


def guard(value):
    """The text as a CSV cell may hold it: formula-looking text behind an apostrophe; anything else unchanged."""
    return "'" + value if formula_like(value) else value


@dataclass
class Table:
    """One table: a header row, the rows, and how to show it.

    ``decimals`` maps a column (0-based) to a fixed number of decimals: written so in CSV (``0.8000``) and as
    the cells' number format in XLSX. ``title`` names the XLSX sheet."""

    header: Sequence
    rows: Sequence[Sequence]
    title: str = "Sheet"
    decimals: Mapping[int, int] = field(default_factory=dict)
    max_width: int = 50


# --- CSV ---------------------------------------------------------------------------------------------

def _csv_cell(value, decimals: int | None = None):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, NUMBERS):
        return f"{value:.{decimals}f}" if decimals is not None else value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return guard(str(value))


def csv_text(table: Table) -> str:
    """The table as CSV text, without the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(value) for value in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(value, table.decimals.get(index)) for index, value in enumerate(row)])
    return buffer.getvalue()


def csv_bytes(table: Table) -> bytes:
    return (BOM + csv_text(table)).encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------------

def width(value) -> int:
    """Columns wide enough for their longest entry; Chinese characters take two places."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _xlsx_value(value, illegal):
    if value is None or isinstance(value, NUMBERS | datetime | date | time):
        return value
    return illegal.sub("", str(value))  # control characters XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE)


def _put(sheet, row: int, column: int, value, illegal):
    cell = sheet.cell(row=row, column=column)
    value = _xlsx_value(value, illegal)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make text starting with "=" a formula
        if formula_like(value):
            cell.quotePrefix = True  # as if typed with an apostrophe: stays text even when edited in Excel
    return cell


def xlsx_bytes(table: Table) -> bytes:
    # openpyxl is imported by the first spreadsheet a process writes, not with the app: every server process and
    # command would otherwise read it at start (0.14 s) for the few that ever write one.
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = (str(table.title).translate(SHEET_TITLE_FORBIDDEN) or "Sheet")[:31]
    for column, value in enumerate(table.header, start=1):
        _put(sheet, 1, column, value, ILLEGAL_CHARACTERS_RE).font = Font(bold=True)
    formats = {index + 1: "0." + "0" * places if places else "0" for index, places in table.decimals.items()}
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, row_number, column, value, ILLEGAL_CHARACTERS_RE)
            if column in formats:
                cell.number_format = formats[column]
    sheet.freeze_panes = "A2"
    for index, column in enumerate(zip(table.header, *table.rows, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(map(width, column)) + 2,
                                                                      table.max_width)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- ZIP ---------------------------------------------------------------------------------------------

class Archive:
    """A ZIP made in memory: tables (guarded like any other), text and stored files::

        with Archive() as archive:
            archive.add_file(path, "entries/A-01.png")
            archive.add_table("entries.csv", table)
        body = archive.getvalue()
    """

    def __init__(self):
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add_table(self, name: str, table: Table) -> None:
        """A table as CSV or XLSX, after the name's extension."""
        self._zip.writestr(name, xlsx_bytes(table) if name.endswith(".xlsx") else csv_bytes(table))

    def add_text(self, name: str, text: str) -> None:
        self._zip.writestr(name, text)

    def add_file(self, path: Path | str, name: str) -> None:
        self._zip.write(path, name)

    def close(self) -> None:
        if self._zip.fp is not None:
            self._zip.close()

    def getvalue(self) -> bytes:
        self.close()
        return self._buffer.getvalue()


# --- responses ---------------------------------------------------------------------------------------

def attachment(body: bytes, mimetype: str, filename: str, *, private: bool = False) -> Response:
    """A download; ``private`` ones (personal data) are kept out of every cache."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if private:
        headers["Cache-Control"] = "no-store"
    return Response(body, mimetype=mimetype, headers=headers)


def table_response(filename: str, table: Table, *, private: bool = False) -> Response:
    """The table as CSV or XLSX, after the file name's extension."""
    if filename.endswith(".xlsx"):
        return attachment(xlsx_bytes(table), XLSX, filename, private=private)
    return attachment(csv_bytes(table), CSV, filename, private=private)


def zip_response(filename: str, body: bytes, *, private: bool = False) -> Response:
    return attachment(body, ZIP, filename, private=private)
