"""A report's dataset as titled tables: built once here, printed by every format and by the web page.

JSON, CSV and XLSX (``reports.exports``), the PDF (``reports.pdf``) and the report page all print
these tables, so the numbers cannot drift apart.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

REPORT_TITLES = {
    "participation": gettext_lazy("Training participation summary (rekap partisipasi)"),
    "implementation": gettext_lazy("Training implementation rate (tingkat implementasi)"),
    "compliance": gettext_lazy("Wajib lapor compliance"),
    "agreements": gettext_lazy("Cooperation agreements (PKS)"),
    "monthly": gettext_lazy("Monthly return (laporan bulanan)"),
    "evidence": gettext_lazy("Findings: which trainings work (temuan)"),
}


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


def _participation_sessions_table(data):
    """One row per session of the participation report."""
    return Table(
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
    )


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
                _c("planned", _("Planned"), "int"),
            ],
            [data["totals"]],
            note=_("Participations count a client once per session; unique clients count people.")
            + " "
            + _planned_note(),
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
        _participation_sessions_table(data),
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


def _planned_note() -> str:
    return _("Only trainings held are counted (not cancelled, started on or before today); trainings of the period that have not started yet are counted apart as planned.")  # fmt: skip


def _implementation_tables(data):
    totals_columns = [*_outcome_columns(), _c("planned", _("Planned"), "int")]
    note = " ".join(filter(None, [data.get("formula", ""), _planned_note()]))
    tables = [
        Table("totals", _("Totals"), totals_columns, [data["totals"]], note=note),
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
    if any(row.get("level", "OFFICE") != "OFFICE" for row in rows):
        columns.append(_c("owner", _("Kept by")))  # "Nasional", "Kanwil Banten" or the office
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
    "renewed_by": gettext_lazy("Renewed by"),
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


def _compliance_tables(data):
    """As the generic tables, with the PKs by name and NIP (papers name people, not accounts)."""
    tables = _generic_tables({key: value for key, value in data.items() if key != "by_officer"})
    if "by_officer" in data:
        rows = [{**row, "officer_name": row.get("officer_name") or _("No PK assigned")} for row in data["by_officer"]]
        columns = [
            _c("officer_name", _("PK")),
            _c("officer_nip", _("NIP")),
            _c("due", _("Due"), "int"),
            _c("reported", _("Reported"), "int"),
            _c("missed", _("Missed"), "int"),
            _c("rate", _("Rate"), "rate"),
        ]
        tables.insert(1 if tables and tables[0].key == "totals" else 0, Table("by_officer", _("By PK"), columns, rows))
    return tables


def _monthly_tables(data):
    """The monthly return: one table per block, each figure a row (label and number)."""
    from clients.models import Client, WorkStatus

    labels = {**dict(Client.Status.choices), **dict(Client.Programme.choices), **dict(WorkStatus.choices)}
    columns = [_c("label", _("Figure")), _c("value", pgettext("a count", "Number"), "int")]

    def table(key, title, rows):
        return Table(key, str(title), columns, [{"label": str(label), "value": value} for label, value in rows])

    clients, comp, agreements = data["clients"], data["compliance"], data["agreements"]
    return [
        table("clients", _("Clients"), [
            (_("Active at the end of the month"), clients["active_end"]), (_("New in the month"), clients["new"]),
            *[(_("Ended: %(status)s") % {"status": labels.get(k, k)}, v) for k, v in clients["ended"].items()],
        ]),
        table("by_programme", _("Active clients by programme"),
              [(labels.get(k, k), v) for k, v in clients["by_programme"].items()]),
        table("by_work_status", _("Active clients by work status"),
              [(labels.get(k, k), v) for k, v in clients["by_work_status"].items()]),
        Table("compliance", str(_("Wajib lapor")), [_c("due", _("Due"), "int"), _c("reported", _("Reported"), "int"),
              _c("missed", _("Missed"), "int"), _c("rate", _("Rate"), "rate")], [comp]),
        table("warnings", _("Warnings issued"), list(data["warnings"].items())),
        table("activities", _("Trainings, follow-ups and agreements"), [
            (_("Sessions held"), data["trainings"]["sessions"]), (_("Participants"), data["trainings"]["participants"]),
            (_("Follow-ups recorded"), data["follow_ups"]["recorded"]),
            (_("Follow-ups: implemented"), data["follow_ups"]["implemented"]),
            (_("Agreements active"), agreements["active"]), (_("Agreements expiring"), agreements["expiring"]),
        ]),
    ]  # fmt: skip


def report_tables(data: dict) -> list[Table]:
    if data.get("report") == "monthly":
        return _monthly_tables(data)
    if data.get("report") == "participation":
        return _participation_tables(data)
    if data.get("report") == "implementation":
        return _implementation_tables(data)
    if data.get("report") == "compliance":
        return _compliance_tables(data)
    if data.get("report") == "agreements":
        return _agreements_tables(data)
    return _generic_tables(data)


def report_title(data: dict) -> str:
    return str(REPORT_TITLES.get(data.get("report"), data.get("report", "")))


PAGE_ROWS = 100  # rows of one table on a report page; the downloads carry all


def page_tables(tables):
    """The web page shows the first ``PAGE_ROWS`` rows of a long table (every session of the country
    is thousands); the note under it says how many there are, and the downloads hold them all."""
    for table in tables:
        if len(table.rows) > PAGE_ROWS:
            table.extra["total_rows"] = len(table.rows)
            table.rows = table.rows[:PAGE_ROWS]
    return tables
