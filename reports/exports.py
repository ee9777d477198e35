"""Renderers: the same dataset dict as JSON, CSV, XLSX (and PDF in reports/pdf.py).

``report_tables`` turns a dataset into titled tables once; every format and the web page print
those tables, so the numbers cannot drift apart.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REPORT_TITLES = {
    "participation": gettext_lazy("Training participation summary (rekap partisipasi)"),
    "implementation": gettext_lazy("Training implementation rate (tingkat implementasi)"),
    "compliance": gettext_lazy("Wajib lapor compliance"),
    "agreements": gettext_lazy("Cooperation agreements (PKS)"),
}
REPORT_SLUGS = {
    "participation": "rekap-partisipasi",
    "implementation": "tingkat-implementasi",
    "compliance": "kepatuhan-wajib-lapor",
    "agreements": "status-pks",
}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text, int, rate, money, date


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    note: str = ""
    extra: dict = field(default_factory=dict)


def _c(key, label, kind="text"):
    return Column(key, str(label), kind)


def _counts_columns():
    return [_c("sessions", _("Sessions"), "int"), _c("enrolled", _("Enrolled"), "int"),
            _c("participants", _("Participants"), "int")]  # fmt: skip


def _outcome_columns():
    return [
        _c("participants", _("Participants"), "int"),
        _c("followed_up", _("Followed up"), "int"),
        _c("implemented", _("Implemented"), "int"),
        _c("rate", _("Implementation rate"), "rate"),
        # xgettext:no-python-format
        _c("rate_low", _("95% interval from"), "rate"),
        # xgettext:no-python-format
        _c("rate_high", _("95% interval to"), "rate"),
        _c("coverage", _("Coverage"), "rate"),
    ]


def _participation_tables(data):
    tables = [
        Table(
            "totals",
            _("Totals"),
            [
                _c("sessions", _("Sessions"), "int"),
                _c("enrolled", _("Enrolled"), "int"),
                _c("participants", _("Participations"), "int"),
                _c("unique_clients", _("Unique clients"), "int"),
                _c("attendance_rate", _("Attendance rate"), "rate"),
                _c("budget", _("Budget (Rp)"), "money"),
                _c("transport_paid", _("Transport money paid (Rp)"), "money"),
            ],
            [data["totals"]],
            note=_("Participations count a client once per session; unique clients count people."),
        ),
        Table("by_year", _("By year"), [_c("year", _("Year"), "year"), *_counts_columns()], data["by_year"]),
        Table(
            "by_quarter",
            _("By quarter"),
            [_c("year", _("Year"), "year"), _c("quarter", _("Quarter"), "quarter"), *_counts_columns()],
            data["by_quarter"],
        ),
        Table(
            "by_month",
            _("By month"),
            [_c("year", _("Year"), "year"), _c("month", _("Month"), "month"), *_counts_columns()],
            data["by_month"],
        ),
    ]
    if data.get("office") is None and data.get("by_office"):
        tables.append(
            Table("by_office", _("By office"), [_c("office", _("Office")), *_counts_columns()], data["by_office"])
        )
    tables += [
        Table("by_partner", _("By partner"), [_c("partner", _("Partner")), *_counts_columns()], data["by_partner"]),
        Table(
            "by_training_type",
            _("By training type"),
            [_c("training_type", _("Training type")), *_counts_columns()],
            data["by_training_type"],
        ),
        Table(
            "by_programme",
            _("Participations by programme"),
            [_c("label", _("Programme")), _c("participants", _("Participations"), "int")],
            data["by_programme"],
        ),
        Table(
            "by_sex",
            _("Participations by sex"),
            [_c("label", _("Sex")), _c("participants", _("Participations"), "int")],
            data["by_sex"],
        ),
        Table(
            "sessions",
            _("Sessions"),
            [
                _c("code", _("Code")),
                _c("title", _("Title")),
                _c("training_type", _("Training type")),
                _c("partner", _("Partner")),
                _c("start", _("Start"), "date"),
                _c("end", _("End"), "date"),
                _c("location", _("Location")),
                _c("method_label", _("Method")),
                _c("days", _("Days"), "int"),
                _c("enrolled", _("Enrolled"), "int"),
                _c("participants", _("Participants"), "int"),
                _c("attendance_rate", _("Attendance rate"), "rate"),
                _c("budget", _("Budget (Rp)"), "money"),
                _c("transport_paid", _("Transport money paid (Rp)"), "money"),
            ],
            data["sessions"],
        ),
    ]
    return tables


IMPLEMENTATION_BREAKDOWNS = [
    ("by_training_type", "training_type", gettext_lazy("By training type"), gettext_lazy("Training type")),
    ("by_partner", "partner", gettext_lazy("By partner"), gettext_lazy("Partner")),
    ("by_category", "category", gettext_lazy("By category"), gettext_lazy("Category")),
    ("by_method", "method", gettext_lazy("By method"), gettext_lazy("Method")),
    ("by_duration", "duration", gettext_lazy("By duration"), gettext_lazy("Duration")),
    (
        "by_budget_per_participant",
        "budget_band",
        gettext_lazy("By budget per participant"),
        gettext_lazy("Budget per participant"),
    ),
    ("by_domicile", "domicile", gettext_lazy("By domicile"), gettext_lazy("Domicile")),
    ("by_interest_match", "interest_match", gettext_lazy("By interest match"), gettext_lazy("Interest")),
    ("by_office", "office", gettext_lazy("By office"), gettext_lazy("Office")),
    ("by_session", "session", gettext_lazy("By session"), gettext_lazy("Session")),
]


def _implementation_tables(data):
    tables = [
        Table("totals", _("Totals"), _outcome_columns(), [data["totals"]], note=data.get("formula", "")),
        Table(
            "outcomes",
            _("Latest outcome of the participants"),
            [_c("label", _("Outcome")), _c("participants", _("Participants"), "int")],
            data.get("outcomes", []),
        ),
    ]
    for key, column, title, label in IMPLEMENTATION_BREAKDOWNS:
        if key == "by_office" and data.get("office") is not None:
            continue
        if key in data:
            tables.append(Table(key, str(title), [_c(column, label), *_outcome_columns()], data[key]))
    return tables


def _agreements_tables(data):
    """The agreements report for people: Indonesian headers and statuses, no machine-only columns."""
    from bapas.formatting import yes_no
    from pokmaslipas.models import Agreement, Scope

    statuses = dict(Agreement.Status.choices)
    kinds = dict(Agreement.Kind.choices)
    scopes = dict(Scope.choices)
    totals = data.get("totals") or {}
    status_columns = [_c(code, statuses[code], "int") for code in statuses if code in totals]
    rows = [
        {
            **row,
            "status_label": str(statuses.get(row.get("status"), row.get("status", ""))),
            "kind_label": str(kinds.get(row.get("kind"), row.get("kind") or "")),
            "scope_label": ", ".join(str(scopes.get(code, code)) for code in row.get("scope") or []),
            "overlaps_label": yes_no(row.get("overlaps_period")),
        }
        for row in data.get("agreements", [])
    ]
    columns = [_c("number", _("Number")), _c("partner", _("Partner"))]
    if data.get("office") is None:
        columns.append(_c("office", _("Office")))
    columns += [
        _c("start", _("Start"), "date"),
        _c("end", _("End"), "date"),
        _c("status_label", _("Status")),
        _c("scope_label", _("Scope")),
        _c("signed_on", _("Signed on"), "date"),
        _c("renews", _("Renews agreement")),
        _c("overlaps_label", _("In force during the period")),
    ]
    return [
        Table("totals", _("Totals"), [_c("agreements", _("Agreements"), "int"), *status_columns], [totals]),
        Table("agreements", _("Agreements"), columns, rows),
    ]


KNOWN_LABELS = {
    "officer": gettext_lazy("PK"),
    "due": gettext_lazy("Due"),
    "reported": gettext_lazy("Reported"),
    "missed": gettext_lazy("Missed"),
    "rate": gettext_lazy("Rate"),
    "year": gettext_lazy("Year"),
    "month": gettext_lazy("Month"),
    "office": gettext_lazy("Office"),
    "number": gettext_lazy("Number"),
    "partner": gettext_lazy("Partner"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "status": gettext_lazy("Status"),
    "scope": gettext_lazy("Scope"),
    "kind": gettext_lazy("Kind"),
    "level": gettext_lazy("Level"),
    "count": gettext_lazy("Count"),
    "warnings": gettext_lazy("Warnings"),
    "label": gettext_lazy("Name"),
}
SECTION_TITLES = {
    "by_officer": gettext_lazy("By PK"),
    "by_month": gettext_lazy("By month"),
    "by_office": gettext_lazy("By office"),
    "warnings": gettext_lazy("Warnings issued"),
    "agreements": gettext_lazy("Agreements"),
}
META_KEYS = {"report", "office", "from", "to", "filters", "empty", "formula", "totals"}


def _kind_of(key, value):
    if key == "year":
        return "year"
    if key == "month" and isinstance(value, str):
        return "month"
    if "rate" in key or key == "coverage":
        return "rate"
    if key in ("start", "end") or key.endswith("_date") or key.endswith("_on"):
        return "date"
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int | float):
        return "int"
    return "text"


def _generic_table(key, rows, title=None):
    first = rows[0] if rows else {}
    columns = [
        _c(k, KNOWN_LABELS.get(k, k.replace("_", " ").capitalize()), _kind_of(k, v))
        for k, v in first.items()
        if not isinstance(v, dict | list)
    ]
    return Table(key, str(title or SECTION_TITLES.get(key, key.replace("_", " ").capitalize())), columns, rows)


def _generic_tables(data):
    tables = []
    totals = data.get("totals")
    if isinstance(totals, dict):
        extra = {}
        if isinstance(data.get("warnings"), int):
            extra["warnings"] = data["warnings"]
        tables.append(_generic_table("totals", [{**totals, **extra}], _("Totals")))
    for key, value in data.items():
        if key in META_KEYS:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            tables.append(_generic_table(key, value))
        elif isinstance(value, list) and key in SECTION_TITLES:
            tables.append(Table(key, str(SECTION_TITLES[key]), [], []))
        elif isinstance(value, dict) and value and all(isinstance(v, int) for v in value.values()):
            rows = [{"label": k, "count": v} for k, v in value.items()]
            tables.append(_generic_table(key, rows))
    return tables


def report_tables(data: dict) -> list[Table]:
    if data.get("report") == "participation":
        return _participation_tables(data)
    if data.get("report") == "implementation":
        return _implementation_tables(data)
    if data.get("report") == "agreements":
        return _agreements_tables(data)
    return _generic_tables(data)


def report_title(data: dict) -> str:
    return str(REPORT_TITLES.get(data.get("report"), data.get("report", "")))


def filename_for(data: dict, fmt: str, table: str | None = None) -> str:
    slug = REPORT_SLUGS.get(data.get("report"), data.get("report", "laporan"))
    office = (data.get("office") or "semua").lower()
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
        return f"{value:.4f}"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return value


# The table a report's CSV holds unless another is asked for (docs/INTERFACES.md, reports).
MAIN_TABLES = {
    "participation": "sessions",
    "implementation": "by_training_type",
    "compliance": "by_officer",
    "agreements": "agreements",
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
        people = next((t for t in report_tables(data) if t.key == key), None)
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
    writer = csv.writer(out, lineterminator="\r\n")
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
    summary.append([report_title(data)])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Office"), data.get("office") or _("All offices")])
    summary.append([_("From"), date.fromisoformat(data["from"])])
    summary.append([_("To"), date.fromisoformat(data["to"])])
    if data.get("empty"):
        summary.append([_("No data in this period.")])
    if data.get("formula"):
        summary.append([_("Formula"), data["formula"]])
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 40
    tables = report_tables(data)
    for index, table in enumerate(tables):
        ws = wb.create_sheet(_sheet_title(table.title, used))
        ws.append([c.label for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in table.rows:
            values = []
            for c in table.columns:
                values.append(_xlsx_value(c, row.get(c.key)))
            ws.append(values)
        for col_index, c in enumerate(table.columns, start=1):
            letter = get_column_letter(col_index)
            ws.column_dimensions[letter].width = max(10, min(40, len(c.label) + 2))
            number_format = {"rate": "0.00%", "money": "#,##0", "date": "yyyy-mm-dd"}.get(c.kind)
            if number_format:
                for cell in ws[letter][1:]:
                    cell.number_format = number_format
        ws.freeze_panes = "A2"
        if table.note:
            ws.append([])
            ws.append([table.note])
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
    if fmt == "pdf":
        from reports.pdf import render_report_pdf

        return render_report_pdf(data, **kwargs)
    raise ValueError(f"unknown format {fmt!r}")
