"""Opening an uploaded workbook safely and turning its sheets into rows of raw cells.

Nothing here touches the database. Every problem with the file itself (not an XLSX, corrupt, too
large, formulas, merged cells, missing columns) becomes an ``Issue`` instead of an exception.
"""

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from workbook import cells, schema

MAX_UPLOAD_BYTES = getattr(settings, "WORKBOOK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# The unpacked size of all parts of the file (the zip's declared sizes, which also bound what
# zipfile will inflate): checked before openpyxl opens it, well below a web worker's memory.
MAX_UNCOMPRESSED_BYTES = getattr(settings, "WORKBOOK_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
MAX_ROWS = 100_000
MAX_COLUMNS = 200

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+)")
_MERGE_TAIL = 256


@dataclass(frozen=True)
class Issue:
    """One error, written ``Sheet!ROW column: message`` (or just the message for the whole file)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        where = f"{self.sheet}!{self.row}" if self.row else self.sheet
        return f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class RawRow:
    number: int
    cells: dict  # column name -> (value, has_time)


@dataclass
class SheetData:
    spec: schema.Sheet
    title: str
    columns: list[str]  # the spec's columns present in the header, in spec order
    rows: list[RawRow] = field(default_factory=list)
    example_rows: int = 0


@dataclass
class WorkbookData:
    sheets: dict = field(default_factory=dict)  # spec name -> SheetData
    issues: list = field(default_factory=list)
    ignored_sheets: list = field(default_factory=list)
    hidden_sheets: list = field(default_factory=list)  # hidden in the file; known ones are read too

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets.values())


def mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_workbook(fileobj, *, size: int | None = None) -> WorkbookData:
    """Read every known sheet of the file; problems are collected in ``issues``."""
    data = WorkbookData()
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    if size > MAX_UPLOAD_BYTES:
        data.issues.append(
            Issue(
                _("The file is too large (%(size)s MB; at most %(max)s MB).")
                % {"size": mb(size), "max": mb(MAX_UPLOAD_BYTES)}
            )
        )
        return data
    if size == 0:
        data.issues.append(Issue(_("The file is empty.")))
        return data
    problem = _check_zip(fileobj)
    if problem:
        data.issues.append(Issue(problem))
        return data
    fileobj.seek(0)
    try:
        import openpyxl

        book = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    except Exception:
        data.issues.append(
            Issue(_("The file is damaged or is not an Excel workbook (.xlsx); open it in Excel and save it again."))
        )
        return data
    try:
        _read_sheets(book, data)
    except Exception:
        data.issues.append(
            Issue(_("The file is damaged or is not an Excel workbook (.xlsx); open it in Excel and save it again."))
        )
    finally:
        book.close()
    if not data.issues and not data.sheets:
        data.issues.append(Issue(no_known_sheet_message()))
    return data


def no_known_sheet_message() -> str:
    return _("The workbook has none of the sheets %(sheets)s.") % {
        "sheets": ", ".join(sheet.name for sheet in schema.SHEETS)
    }


def _check_zip(fileobj) -> str | None:
    not_xlsx = _(
        "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook (*.xlsx)” and upload it again."
    )
    if not zipfile.is_zipfile(fileobj):
        return not_xlsx
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return not_xlsx
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNCOMPRESSED_BYTES:
                return _(
                    "The workbook is too large once unpacked (%(size)s MB; at most %(max)s MB). "
                    "Split it into several smaller workbooks and upload them one by one."
                ) % {"size": mb(unpacked), "max": mb(MAX_UNCOMPRESSED_BYTES)}
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("The file is damaged or is not an Excel workbook (.xlsx); open it in Excel and save it again.")
    return None


def _read_sheets(book, data: WorkbookData) -> None:
    by_lower = {sheet.name.lower(): sheet for sheet in schema.SHEETS}
    rows_left = MAX_ROWS
    for worksheet in book.worksheets:
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            data.hidden_sheets.append(worksheet.title)
        spec = by_lower.get(worksheet.title.strip().lower())
        if spec is None:
            if worksheet.title != schema.INSTRUCTIONS_SHEET:
                data.ignored_sheets.append(worksheet.title)
            continue
        if spec.name in data.sheets:
            data.issues.append(Issue(_("the sheet appears twice in the file."), sheet=worksheet.title))
            continue
        for column_letter, row in _merged_cells(book, worksheet):
            data.issues.append(
                Issue(
                    _("merged cells (at %(cell)s) are not supported; unmerge them.")
                    % {"cell": f"{column_letter}{row}"},
                    sheet=spec.name,
                    row=row,
                )
            )
        sheet = _read_sheet(spec, worksheet, data, rows_left)
        if sheet is not None:
            data.sheets[spec.name] = sheet
            rows_left -= len(sheet.rows)
            if rows_left < 0:
                data.issues.append(
                    Issue(
                        _("The workbook has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS}
                    )
                )
                return


def _merged_cells(book, worksheet):
    """The top-left cell of every merged range, read from the sheet's XML (read-only mode hides them)."""
    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not path or archive is None:
        return []
    found = []
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            buffer = tail + chunk
            for match in _MERGE.finditer(buffer):
                if match.end() > len(tail):
                    found.append((match.group(1).decode(), int(match.group(2))))
            tail = buffer[-_MERGE_TAIL:]
    return sorted(set(found), key=lambda item: (item[1], item[0]))


def _header_name(value) -> str:
    return cells.plain_text(value).strip().lower().replace(" ", "_")


def _read_sheet(spec: schema.Sheet, worksheet, data: WorkbookData, rows_left: int) -> SheetData | None:
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows()
    header = next(rows, None)
    if header is None:
        return None
    positions: dict[str, int] = {}
    for index, cell in enumerate(header[:MAX_COLUMNS]):
        name = _header_name(cell.value)
        if not name:
            continue
        if getattr(cell, "data_type", "n") == "f":
            data.issues.append(Issue(_("formulas are not supported; paste the values only."), spec.name, 1, name))
        if name in spec.columns_by_name:
            if name in positions:
                data.issues.append(Issue(_("the column appears twice."), spec.name, 1, name))
                continue
            positions[name] = index
    columns = [column.name for column in spec.columns if column.name in positions]
    sheet = SheetData(spec=spec, title=worksheet.title, columns=columns)
    example = _example_values(spec, columns)
    for cells_in_row in rows:
        if not cells_in_row:
            continue
        number = _row_number(cells_in_row)
        raw: dict[str, tuple] = {}
        blank = True
        formula_issues = []
        for name in columns:
            index = positions[name]
            cell = cells_in_row[index] if index < len(cells_in_row) else None
            if cell is None or cell.value is None:
                raw[name] = (None, False)
                continue
            data_type = getattr(cell, "data_type", "n")
            if data_type == "f":
                formula_issues.append(
                    Issue(_("formulas are not supported; paste the values only."), spec.name, number, name)
                )
            elif data_type == "e":
                formula_issues.append(
                    Issue(
                        _("the cell holds an Excel error (%(value)s).") % {"value": cell.value}, spec.name, number, name
                    )
                )
            value = cell.value
            has_time = isinstance(value, dt.datetime) and "h" in (cell.number_format or "").lower()
            raw[name] = (value, has_time)
            if not cells.is_blank(value):
                blank = False
        if blank:
            continue
        if formula_issues:
            data.issues.extend(formula_issues)
            continue
        if example is not None and all(cells.plain_text(raw[name][0]) == example[name] for name in columns):
            sheet.example_rows += 1
            continue
        sheet.rows.append(RawRow(number, raw))
        if len(sheet.rows) > rows_left:
            break
    if sheet.rows:
        for column in spec.columns:
            if column.mandatory and column.name not in positions:
                data.issues.append(
                    Issue(_("required column is missing from the first row."), spec.name, 1, column.name)
                )
    return sheet


def _row_number(cells_in_row) -> int:
    for cell in cells_in_row:
        row = getattr(cell, "row", None)
        if row:
            return row
    return 0


def _example_values(spec: schema.Sheet, columns: list[str]) -> dict | None:
    """The template's example row: a row equal to it is skipped rather than imported."""
    if not columns:
        return None
    return {name: spec.columns_by_name[name].example for name in columns}
