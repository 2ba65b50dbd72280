"""Tables as downloads: CSV that Excel opens as UTF-8, and real XLSX. Used by every export of the platform's figures."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """A spreadsheet would run a text cell starting with these as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else safe(value) for value in row])
    # The byte-order mark tells Excel the file is UTF-8; without it Chinese opens as mojibake.
    return _attachment(("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv", filename)


def width(value) -> int:
    """Columns wide enough for their longest entry; Chinese characters take two places."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def xlsx_response(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    rows = [[safe(value) for value in row] for row in rows]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(zip(header, *rows, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(map(width, column)) + 2, 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return _attachment(buffer.getvalue(), XLSX, filename)
