"""Renderers: the same dataset dict as JSON, CSV, XLSX and (through reports/pdf.py) PDF.

Every format prints the tables of ``reports.tables``, so the numbers cannot drift apart.
"""

import io
import json
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from reports import writers
from reports.evidence.pdf import render_evidence_pdf
from reports.evidence.tables import evidence_tables
from reports.pdf import render_report_pdf
from reports.tables import Column, Table, report_tables, report_title

REPORT_SLUGS = {
    "participation": "rekap-partisipasi",
    "implementation": "tingkat-implementasi",
    "compliance": "kepatuhan-wajib-lapor",
    "agreements": "status-pks",
    "monthly": "laporan-bulanan",
    "evidence": "temuan",
}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)


def people_tables(data: dict) -> list[Table]:
    """The report's tables for people (XLSX, PDF): the evidence report has its own."""
    if data.get("report") == "evidence":
        return evidence_tables(data)
    return report_tables(data)


def filename_for(data: dict, fmt: str, table: str | None = None) -> str:
    slug = REPORT_SLUGS.get(data.get("report"), data.get("report", "laporan"))
    office = (data.get("office") or data.get("region") or "semua").lower()
    part = f"-{table.replace('_', '-')}" if table else ""
    return f"{slug}{part}-{office}-{data['from']}-{data['to']}.{fmt}"


# --- JSON and CSV ------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable).encode()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return Decimal(f"{value:.4f}")  # a number: never taken for a formula to neutralise
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return value


# The table a report's CSV holds unless another is asked for (docs/INTERFACES.md, reports).
MAIN_TABLES = {
    "participation": "sessions",
    "implementation": "by_training_type",
    "compliance": "by_officer",
    "agreements": "agreements",
    "monthly": "figures",
    "evidence": "factors",
}


def csv_tables(data: dict) -> list[str]:
    """The tables a CSV can hold: every list of rows in the report's JSON, by its key."""
    return [key for key, value in data.items() if isinstance(value, list) and all(isinstance(v, dict) for v in value)]


def csv_table_key(data: dict, table: str | None = None) -> str:
    """The key of the table to write: ``table`` when the report has it, else the report's main table.
    Raises ValueError for a table the report does not have."""
    if table:
        if table not in csv_tables(data):
            raise ValueError(table)
        return table
    main = MAIN_TABLES.get(data.get("report"))
    if main in data:
        return main
    tables = csv_tables(data)
    return tables[0] if tables else ""


def _csv_columns(data: dict, key: str, rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k, v in row.items() if k not in columns and not isinstance(v, dict)]
    if not columns:  # no rows: the columns the people's table of that name would have
        people = next((t for t in people_tables(data) if t.key == key), None)
        columns = [c.key for c in people.columns] if people else []
    return columns


def render_csv(data: dict, table: str | None = None) -> bytes:
    """One tidy table a program can read: one header row of the JSON keys, one row per record, ISO dates,
    decimals with a dot; UTF-8 with a byte order mark. The report's main table, or ``table``."""
    key = csv_table_key(data, table)
    rows = data.get(key) or [] if key else []
    if not rows and key == "" and isinstance(data.get("totals"), dict):
        rows = [data["totals"]]
    columns = _csv_columns(data, key, rows)
    out = io.StringIO()
    writer = writers.csv_writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(column)) for column in columns])
    return ("\ufeff" + out.getvalue()).encode()


# --- XLSX --------------------------------------------------------------------------------------


def _sheet_title(title: str, used: set) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _xlsx_value(column: Column, value):
    """A cell for people: real dates and numbers, "Ya"/"Tidak", months and quarters in words."""
    from bapas.formatting import month_label, month_name, quarter_label, yes_no

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if column.kind == "date" and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if column.kind == "month":
        return month_label(value) if isinstance(value, str) else month_name(value)
    if column.kind == "quarter":
        return quarter_label(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def render_xlsx(data: dict, *, progress=None) -> bytes:
    """A workbook: a summary sheet, then one sheet per table with real numbers and dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    summary = wb.active
    summary.title = _("Summary")
    used = {summary.title.lower()}
    bold = Font(bold=True)
    writers.append_row(summary, [str(report_title(data))])
    summary["A1"].font = Font(bold=True, size=13)
    if data.get("region") and not data.get("office"):
        writers.append_row(summary, [_("Region"), data["region"]])
    writers.append_row(summary, [_("Office"), data.get("office") or _("All offices")])
    writers.append_row(summary, [_("From"), date.fromisoformat(data["from"])])
    writers.append_row(summary, [_("To"), date.fromisoformat(data["to"])])
    if data.get("horizon_months"):
        writers.append_row(summary, [_("Horizon (months after the training)"), data["horizon_months"]])
    if data.get("empty"):
        writers.append_row(summary, [_("No data in this period.")])
    if data.get("formula"):
        writers.append_row(summary, [_("Formula"), data["formula"]])
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 40
    tables = people_tables(data)
    for index, table in enumerate(tables):
        ws = wb.create_sheet(_sheet_title(table.title, used))
        writers.append_row(ws, [str(c.label) for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in table.rows:
            values = []
            for c in table.columns:
                values.append(_xlsx_value(c, row.get(c.key)))
            writers.append_row(ws, values)
        for col_index, c in enumerate(table.columns, start=1):
            letter = get_column_letter(col_index)
            ws.column_dimensions[letter].width = max(10, min(40, len(c.label) + 2))
            number_format = {"rate": "0.00%", "money": "#,##0", "date": "yyyy-mm-dd"}.get(c.kind)
            if number_format:
                for cell in ws[letter][1:]:
                    cell.number_format = number_format
        ws.freeze_panes = "A2"
        if table.note:
            writers.append_row(ws, [])
            writers.append_row(ws, [str(table.note)])
        if progress:
            progress(int(100 * (index + 1) / len(tables)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(data: dict, fmt: str, **kwargs) -> bytes:
    """Render a dataset in one of FORMATS (PDF needs the keyword arguments of reports.pdf.render_report_pdf)."""
    if fmt == "json":
        return render_json(data)
    if fmt == "csv":
        return render_csv(data, kwargs.get("table"))
    if fmt == "xlsx":
        return render_xlsx(data, progress=kwargs.get("progress"))
    if fmt == "pdf" and data.get("report") == "evidence":
        return render_evidence_pdf(data, **kwargs)
    if fmt == "pdf":
        return render_report_pdf(data, **kwargs)
    raise ValueError(f"unknown format {fmt!r}")
