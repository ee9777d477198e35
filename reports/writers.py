"""Writing XLSX cells and CSV fields as data, never as formulas.

Every spreadsheet and CSV file the app writes (report exports, the office workbook, list exports,
the import template) goes through these helpers, so a training title ``=1+1`` or a location
``=HYPERLINK(...)`` typed by a user can never run in the reader's spreadsheet program.

- XLSX: a string is stored as a text cell (openpyxl would otherwise store a string starting with
  ``=`` as a formula); the text itself is kept exactly, so an exported workbook imports back the same.
- CSV: a text field starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading single quote, as OWASP recommends against CSV injection. Numbers, dates and booleans are
  written as they are (a negative number stays a number).
"""

import csv

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"


def csv_field(value):
    """A CSV field: text that a spreadsheet program would run as a formula starts with a quote."""
    if isinstance(value, str) and value.startswith(CSV_TRIGGERS):
        return "'" + value
    return value


class CSVWriter:
    """``csv.writer`` whose every row goes through ``csv_field``."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row) -> None:
        self._writer.writerow([csv_field(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> CSVWriter:
    return CSVWriter(out, **kwargs)


def xlsx_value(value):
    """A value ready for a cell: text without the control characters XLSX cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell):
    """Store a string cell as text (openpyxl takes a string starting with '=' for a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def text_cell(worksheet, value) -> WriteOnlyCell:
    """A cell of a write-only worksheet; a string is always text."""
    return as_text(WriteOnlyCell(worksheet, value=xlsx_value(value)))


def append_row(worksheet, values) -> None:
    """``worksheet.append`` for an ordinary worksheet, every string written as text."""
    worksheet.append([as_text(Cell(worksheet, value=xlsx_value(value))) for value in values])
