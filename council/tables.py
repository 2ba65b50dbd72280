"""Reading a table someone saved from Excel or WPS: CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel
saves it) or XLSX, told apart by the file's first bytes, never by its name. The one reader of the class lists
(council/rosters) and the office's setup imports (council/setup); writing tables is council/exports.py's."""

from __future__ import annotations

import csv
import io
import zipfile

from flask_babel import gettext as _

from council.errors import DomainError
from council.text import decode_file


def read_table(data: bytes, *, max_rows: int) -> list[list]:
    """The cells of the file, row by row; at most ``max_rows`` + 50 rows of a sheet are read, so that the caller can
    still say the file is too long without reading a sheet of a million rows."""
    if not data.strip():
        raise DomainError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, max_rows + 50)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(_("This is an old Excel file (.xls). In Excel choose “Save as” and pick .xlsx or CSV."))
    return _csv_rows(data)


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = decode_file(data)
    except UnicodeDecodeError as error:
        raise DomainError(_("We could not read the letters in this file. Save it again as CSV (UTF-8) or as "
                            "an Excel .xlsx file.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:  # a cell longer than any table has (a picture renamed .csv), a stray NUL
        raise DomainError(_("This file is not a table we can read. Save it again as CSV (UTF-8) or as an Excel "
                            ".xlsx file.")) from error


def _xlsx_rows(data: bytes, max_row: int) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DomainError(_("This Excel file could not be opened. Save it again as .xlsx or as CSV.")) from error
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True, max_row=max_row)]
    finally:
        book.close()
