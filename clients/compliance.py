"""Wajib lapor compliance: reporting periods, due, reported and missed, as docs/INTERFACES.md section 3 defines them.

- A reporting period is a calendar month (BULANAN) or ISO week (MINGGUAN) that overlaps the client's
  programme period (whatever the status) and whose last day lies within [from, to] and before today.
- It is reported when at least one wajib lapor of that client falls in it; otherwise it is excused when
  an excused absence (izin) of the client covers at least one of its days, and missed when not.
  An excused period is neither due nor missed: it leaves every count (due, reported, missed, rate).
- A client counts under its current PK. A client who moved between offices (an accepted transfer,
  ``clients.holding``) counts each period for the office that held it on the period's last day, under
  the PK it had there: the periods that end before the transfer date stay the sending office's.

``compliance_dataset`` is the one function behind the Kasi's page and the compliance report. It
aggregates in the database with a number of queries that depends on the length of the date range,
never on the number of clients or reports.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DateField, F, Func, Q
from django.db.models.functions import Cast, TruncMonth, TruncWeek
from django.utils import timezone

from bapas.access import office_q
from bapas.arithmetic import rate
from clients.holding import Holder, has_accepted_transfer, holder_on
from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning, Transfer

MONTHLY = Client.Frequency.MONTHLY
WEEKLY = Client.Frequency.WEEKLY
# How many periods one aggregate query counts at once (keeps SQL and parameter counts bounded).
PERIODS_PER_QUERY = 60


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str

    @property
    def label(self) -> str:
        if self.kind == WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")

    @property
    def month(self) -> str:
        """The month (YYYY-MM) of the period's last day: where ``by_month`` counts it."""
        return self.end.strftime("%Y-%m")


def period_containing(kind: str, day: date) -> Period:
    if kind == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(start, start + timedelta(days=6), WEEKLY)
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), MONTHLY)


def next_period(period: Period) -> Period:
    return period_containing(period.kind, period.end + timedelta(days=1))


def periods_overlapping(kind: str, first_day: date, last_day: date) -> list[Period]:
    """Every period of ``kind`` that overlaps [first_day, last_day], in order."""
    periods: list[Period] = []
    if last_day < first_day:
        return periods
    period = period_containing(kind, first_day)
    while period.start <= last_day:
        periods.append(period)
        period = next_period(period)
    return periods


def eligible_periods(kind: str, date_from: date, date_to: date, today: date) -> list[Period]:
    """Periods whose last day lies within [date_from, date_to] and before today."""
    last = min(date_to, today - timedelta(days=1))
    return [p for p in periods_overlapping(kind, date_from, last) if date_from <= p.end <= last]


def _row(due: int, reported: int) -> dict:
    return {"due": due, "reported": reported, "missed": due - reported, "rate": rate(reported, due)}


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class PeriodStart(Func):
    """The first day of the month (BULANAN) or ISO week (MINGGUAN) containing a date column.

    Written with plain date arithmetic: PostgreSQL's DATE_TRUNC on a date goes through
    ``timestamp with time zone`` and is several times slower on millions of rows.
    """

    output_field = DateField()

    def __init__(self, expression, kind: str):
        super().__init__(expression)
        self.kind = kind

    def as_postgresql(self, compiler, connection, **extra):
        if self.kind == WEEKLY:
            template = "(%(expressions)s - (EXTRACT(ISODOW FROM %(expressions)s)::integer - 1))"
        else:
            template = "(DATE_TRUNC('month', %(expressions)s::timestamp))::date"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        if self.kind == WEEKLY:
            template = "date(%(expressions)s, 'weekday 0', '-6 days')"
        else:
            template = "date(%(expressions)s, 'start of month')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:  # other databases: Django's portable truncation
            trunc = TruncWeek if self.kind == WEEKLY else TruncMonth
            return compiler.compile(Cast(trunc(self.source_expressions[0], output_field=DateField()), DateField()))
        return super().as_sql(compiler, connection, template=template, **extra)


def _due_counts(clients, periods_by_kind: dict[str, list[Period]]) -> dict[tuple, int]:
    """{(officer_id, period): number of clients due} with one grouped query per chunk of periods."""
    due: dict[tuple, int] = {}
    for kind, periods in periods_by_kind.items():
        for chunk in _chunks(periods, PERIODS_PER_QUERY):
            aggregates = {
                f"p{i}": Count("id", filter=Q(programme_start__lte=p.end, programme_end__gte=p.start))
                for i, p in enumerate(chunk)
            }
            rows = (
                clients.filter(
                    reporting_frequency=kind,
                    programme_start__lte=chunk[-1].end,
                    programme_end__gte=chunk[0].start,
                )
                .order_by()
                .values("officer_id")
                .annotate(**aggregates)
            )
            for row in rows:
                for i, period in enumerate(chunk):
                    if row[f"p{i}"]:
                        due[(row["officer_id"], period)] = row[f"p{i}"]
    return due


def _reported_counts(visits, periods_by_kind: dict[str, list[Period]]) -> dict[tuple, int]:
    """{(officer_id, period): clients with at least one report in it}: one grouped query per frequency."""
    reported: dict[tuple, int] = {}
    for kind, periods in periods_by_kind.items():
        if not periods:
            continue
        known = {p.start: p for p in periods}
        rows = (
            visits.filter(
                client__reporting_frequency=kind,
                report_date__gte=periods[0].start,
                report_date__lte=periods[-1].end,
            )
            # The report's period overlaps the programme.
            .filter(report_date__gte=PeriodStart("client__programme_start", kind))
            .annotate(period_start=PeriodStart("report_date", kind))
            .filter(period_start__lte=F("client__programme_end"))
            .order_by()
            .values("client__officer_id", "period_start")
            .annotate(n=Count("client_id", distinct=True))
        )
        for row in rows:
            start = row["period_start"]
            if isinstance(start, str):  # SQLite hands dates of expressions back as text
                start = date.fromisoformat(start[:10])
            if start in known:
                reported[(row["client__officer_id"], known[start])] = row["n"]
    return reported


def excused_periods(
    periods: list[Period], excuses, reported_starts: set[date], programme_start: date, programme_end: date
) -> list[Period]:
    """The periods of ``periods`` that an excuse (``(from, to)`` pairs) touches and that were not reported."""
    return [
        p
        for p in periods
        if p.start not in reported_starts
        and p.start <= programme_end
        and p.end >= programme_start
        and any(first <= p.end and last >= p.start for first, last in excuses)
    ]


def _excused_counts(clients, periods_by_kind: dict[str, list[Period]]) -> dict[tuple, int]:
    """{(officer_id, period): clients whose period is excused}: two queries, whatever the number of clients.

    Excuses are rare, so they are read row by row; the reports of the clients that have one decide
    which of their touched periods are reported (and so not excused).
    """
    counts: dict[tuple, int] = defaultdict(int)
    spans = [(kind, periods) for kind, periods in periods_by_kind.items() if periods]
    if not spans:
        return counts
    first = min(periods[0].start for _, periods in spans)
    last = max(periods[-1].end for _, periods in spans)
    rows = list(
        ExcusedAbsence.objects.in_force()
        .filter(client__in=clients, date_from__lte=last, date_to__gte=first)
        .order_by()
        .values_list(
            "client_id",
            "client__officer_id",
            "client__reporting_frequency",
            "client__programme_start",
            "client__programme_end",
            "date_from",
            "date_to",
        )
    )
    if not rows:
        return counts
    by_client: dict[int, dict] = {}
    for client_id, officer_id, kind, start, end, date_from, date_to in rows:
        entry = by_client.setdefault(
            client_id, {"officer": officer_id, "kind": kind, "start": start, "end": end, "excuses": []}
        )
        entry["excuses"].append((date_from, date_to))
    reported: dict[int, set] = defaultdict(set)
    for client_id, day in ReportingVisit.objects.filter(
        client_id__in=list(by_client), report_date__gte=first, report_date__lte=last
    ).values_list("client_id", "report_date"):
        reported[client_id].add(period_containing(by_client[client_id]["kind"], day).start)
    for client_id, entry in by_client.items():
        periods = periods_by_kind.get(entry["kind"], [])
        for period in excused_periods(periods, entry["excuses"], reported[client_id], entry["start"], entry["end"]):
            counts[(entry["officer"], period)] += 1
    return counts


@dataclass(frozen=True)
class _Scope:
    office: object
    region: object
    officer: object
    date_from: date
    date_to: date

    def holds(self, holder: Holder) -> bool:
        """Whether a period held by ``holder`` is counted in this scope."""
        if self.officer is not None and holder.officer_id != getattr(self.officer, "pk", self.officer):
            return False
        if self.office is not None:
            return holder.office_id == getattr(self.office, "pk", self.office)
        if self.region is not None:
            return holder.region_id == getattr(self.region, "pk", self.region)
        return True


def _moved_counts(scope: _Scope, periods_by_kind: dict[str, list[Period]], due: dict, reported: dict) -> dict:
    """Add the periods of the clients who moved between offices to ``due`` and ``reported``, each for the
    office (and PK) that held the client on the period's last day; return their warnings by level.

    Transfers are rare: one query finds them, and only when there are some, three more read those
    clients' reports, excused absences and warnings.
    """
    involved = Transfer.objects.filter(state=Transfer.State.ACCEPTED).filter(
        office_q(office=scope.office, region=scope.region, prefix="from_office")
        | office_q(office=scope.office, region=scope.region, prefix="to_office")
    )
    rows = list(
        Transfer.objects.filter(state=Transfer.State.ACCEPTED, client_id__in=involved.values("client_id"))
        .order_by("client_id", "transfer_date", "id")
        .values_list(
            "client_id", "transfer_date", "from_office_id", "from_office__region_id", "from_officer_id",
            "client__office_id", "client__office__region_id", "client__officer_id",
            "client__reporting_frequency", "client__programme_start", "client__programme_end",
        )
    )  # fmt: skip
    warnings: dict[tuple[str, str], int] = defaultdict(int)
    if not rows:
        return warnings
    moved: dict[int, dict] = {}
    for client_id, day, office_id, region_id, officer_id, *now, kind, start, end in rows:
        entry = moved.setdefault(
            client_id, {"steps": [], "current": Holder(*now), "kind": kind, "start": start, "end": end}
        )
        entry["steps"].append((day, Holder(office_id, region_id, officer_id)))
    report_dates: dict[int, set] = defaultdict(set)
    for client_id, day in ReportingVisit.objects.filter(client_id__in=list(moved)).values_list(
        "client_id", "report_date"
    ):
        report_dates[client_id].add(period_containing(moved[client_id]["kind"], day).start)
    excuses: dict[int, list] = defaultdict(list)
    for client_id, first, last in ExcusedAbsence.objects.filter(client_id__in=list(moved)).values_list(
        "client_id", "date_from", "date_to"
    ):
        excuses[client_id].append((first, last))
    for client_id, entry in moved.items():
        periods = [
            p for p in periods_by_kind.get(entry["kind"], []) if p.start <= entry["end"] and p.end >= entry["start"]
        ]
        excused = {
            p.start
            for p in excused_periods(periods, excuses[client_id], report_dates[client_id], entry["start"], entry["end"])
        }
        for period in periods:
            holder = holder_on(period.end, entry["steps"], entry["current"])
            if period.start in excused or not scope.holds(holder):
                continue
            key = (holder.officer_id, period)
            due[key] = due.get(key, 0) + 1
            if period.start in report_dates[client_id]:
                reported[key] = reported.get(key, 0) + 1
    for client_id, level, issued_on in ReportingWarning.objects.filter(
        client_id__in=list(moved), issued_on__gte=scope.date_from, issued_on__lte=scope.date_to
    ).values_list("client_id", "level", "issued_on"):
        if scope.holds(holder_on(issued_on, moved[client_id]["steps"], moved[client_id]["current"])):
            warnings[(level, issued_on.strftime("%Y-%m"))] += 1
    return warnings


def _warning_counts(warnings, moved: dict) -> tuple[dict[str, int], dict[str, dict]]:
    """Warnings by level, and by month and level, from the scope's warnings (one grouped query) and
    those of the clients who moved (``_moved_counts``: already by level and month)."""
    level_month: dict[tuple[str, str], int] = defaultdict(int, moved)
    rows = warnings.order_by().annotate(month=TruncMonth("issued_on")).values_list("level", "month")
    for level, month, n in rows.annotate(n=Count("id")):
        level_month[(level, _month_text(month))] += n
    by_level: dict[str, int] = defaultdict(int)
    months: dict[str, dict] = {}
    for (level, month), n in sorted(level_month.items(), key=lambda item: item[0][1]):
        by_level[level] += n
        months.setdefault(month, dict.fromkeys(ReportingWarning.Level.values, 0))[level] += n
    return by_level, months


def _month_text(value) -> str:
    """YYYY-MM of a truncated month (a date, a datetime, or text on SQLite)."""
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else str(value)[:7]


def _in_scope(office, region, officer, date_from: date, date_to: date):
    """The clients, reports and warnings counted in one query each; the clients who moved between
    offices are left out here and counted period by period (``_moved_counts``)."""
    clients = Client.objects.filter(office_q(office=office, region=region)).filter(~has_accepted_transfer())
    visits = ReportingVisit.objects.filter(office_q(office=office, region=region)).filter(
        ~has_accepted_transfer("client_id")
    )
    warnings = (
        ReportingWarning.objects.filter(issued_on__gte=date_from, issued_on__lte=date_to)
        .filter(office_q(office=office, region=region, prefix="client__office"))
        .filter(~has_accepted_transfer("client_id"))
    )
    if officer is not None:
        clients = clients.filter(officer=officer)
        visits = visits.filter(client__officer=officer)
        warnings = warnings.filter(client__officer=officer)
    return clients, visits, warnings


def compliance_dataset(
    *,
    office=None,
    date_from: date,
    date_to: date,
    today: date | None = None,
    officer=None,
    by_officer_month: bool = False,
    region=None,
    warnings_by_month: bool = False,
) -> dict:
    """The compliance report as docs/INTERFACES.md section 3 gives it, plus ``by_month`` and ``warnings``.

    ``office`` None means the offices of ``region`` (all offices when that is None too); ``officer`` narrows to one PK's current caseload.
    ``by_officer_month`` adds the month-by-month figures of each PK (the dashboards' summary rows
    keep them for the PK's panel); the report itself does not carry them. ``warnings_by_month`` adds
    ``{month: {level: n}}`` (the rolled-up figures of ``reports.rollups`` keep them).
    """
    if today is None:
        today = timezone.localdate(timezone=office.tzinfo) if office is not None else timezone.localdate()
    clients, visits, warnings = _in_scope(office, region, officer, date_from, date_to)
    periods_by_kind = {kind: eligible_periods(kind, date_from, date_to, today) for kind in (MONTHLY, WEEKLY)}
    due = _due_counts(clients, periods_by_kind)
    reported = _reported_counts(visits, periods_by_kind)
    for key, n in _excused_counts(clients, periods_by_kind).items():
        due[key] = due.get(key, 0) - n
        if due[key] <= 0:
            del due[key]
    scope = _Scope(office, region, officer, date_from, date_to)
    moved_warnings = _moved_counts(scope, periods_by_kind, due, reported)

    by_officer: dict = defaultdict(lambda: [0, 0])
    by_month: dict = defaultdict(lambda: [0, 0])
    officer_month: dict = defaultdict(lambda: [0, 0])
    for key in set(due) | set(reported):
        officer_id, period = key
        d, r = due.get(key, 0), min(reported.get(key, 0), due.get(key, 0))
        for bucket in (by_officer[officer_id], by_month[period.month], officer_month[(officer_id, period.month)]):
            bucket[0] += d
            bucket[1] += r

    from bapas.models import User

    people = {user.pk: user for user in User.objects.filter(pk__in=[k for k in by_officer if k])}
    names = {pk: user.username for pk, user in people.items()}
    officer_rows = [_officer_row(people.get(officer_id), d, r) for officer_id, (d, r) in by_officer.items()]
    officer_rows.sort(key=lambda row: (row["officer"] is None, row["officer"] or ""))
    total_due = sum(d for d, _ in by_officer.values())
    total_reported = sum(r for _, r in by_officer.values())

    level_counts, months = _warning_counts(warnings, moved_warnings)
    extra: dict = {"warnings_by_month": months} if warnings_by_month else {}
    if by_officer_month:
        extra["by_officer_month"] = [
            {"officer": names.get(officer_id) if officer_id else None, "month": month, **_row(d, r)}
            for (officer_id, month), (d, r) in sorted(
                officer_month.items(), key=lambda item: (item[0][0] or 0, item[0][1])
            )
        ]
    return {
        "report": "compliance",
        "office": office.code if office is not None else None,
        "region": getattr(region, "code", region) if office is None and region is not None else None,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "today": today.isoformat(),
        "totals": _row(total_due, total_reported),
        "by_officer": officer_rows,
        "by_month": [{"month": month, **_row(d, r)} for month, (d, r) in sorted(by_month.items())],
        "warnings": {level: level_counts.get(level, 0) for level in ReportingWarning.Level.values},
        **extra,
    }


def compliance_from_months(parts: list[dict], *, office, region, date_from: date, date_to: date, today: date) -> dict:
    """The compliance report of several offices' months (``reports.rollups``): each part holds one
    office's ``by_month`` rows and ``warnings_by_month`` of ``compliance_dataset`` over whole months.

    A period counts in the month of its last day and a warning in the month it was issued, so the
    months of [date_from, date_to] (whole months) add up to the report of that period: the same
    totals, months and warnings as ``compliance_dataset`` of those offices (without the PKs' rows,
    which only the office itself reads).
    """
    first, last = date_from.strftime("%Y-%m"), date_to.strftime("%Y-%m")
    by_month: dict = defaultdict(lambda: [0, 0])
    warnings = dict.fromkeys(ReportingWarning.Level.values, 0)
    for part in parts:
        for row in part["by_month"]:
            if first <= row["month"] <= last:
                by_month[row["month"]][0] += row["due"]
                by_month[row["month"]][1] += row["reported"]
        for month, levels in part["warnings_by_month"].items():
            if first <= month <= last:
                for level, n in levels.items():
                    warnings[level] = warnings.get(level, 0) + n
    return {
        "report": "compliance",
        "office": getattr(office, "code", office) if office is not None else None,
        "region": getattr(region, "code", region) if office is None and region is not None else None,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "today": today.isoformat(),
        "totals": _row(sum(d for d, _ in by_month.values()), sum(r for _, r in by_month.values())),
        "by_month": [{"month": month, **_row(d, r)} for month, (d, r) in sorted(by_month.items())],
        "warnings": warnings,
    }


def _officer_row(officer, due: int, reported: int) -> dict:
    """A PK's figures: ``officer`` (username) for programs, name and NIP for the papers people read."""
    if officer is None:
        return {"officer": None, "officer_name": None, "officer_nip": None, **_row(due, reported)}
    return {
        "officer": officer.username,
        "officer_name": officer.get_full_name() or officer.username,
        "officer_nip": officer.nip or None,
        **_row(due, reported),
    }


# --- one client ------------------------------------------------------------------------------


@dataclass
class ClientCompliance:
    """One client's periods so far: every missed one, and the run of them since the last report.

    The client page lists ``missed_periods``; the worklist counts ``missed_in_a_row`` (the periods
    missed after the last reported one: what makes the client overdue now). Both come from
    ``client_compliance``, so the worklist's number is always the tail of the page's list.
    """

    due: int
    reported: int
    missed_periods: list[Period]
    missed_in_a_row: int = 0
    excused_periods: list[Period] = field(default_factory=list)

    @property
    def missed_in_a_row_periods(self) -> list[Period]:
        """The missed periods since the last report: the last ``missed_in_a_row`` of ``missed_periods``."""
        return self.missed_periods[len(self.missed_periods) - self.missed_in_a_row :]

    @property
    def missed(self) -> int:
        return len(self.missed_periods)

    @property
    def rate(self) -> float | None:
        return rate(self.reported, self.due)

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def client_periods(client: Client, today: date) -> list[Period]:
    """The client's periods from the programme start that ended before today."""
    last = min(client.programme_end, today - timedelta(days=1))
    return [p for p in periods_overlapping(client.reporting_frequency, client.programme_start, last) if p.end < today]


def client_compliance(
    client: Client, *, today: date | None = None, report_dates=None, excuses=None, until: date | None = None
) -> ClientCompliance:
    """Compliance of one client so far (from its programme start up to yesterday).

    ``until`` keeps only the periods that end before it: the sending office's share of a client it
    transferred (the periods that count for it).

    ``report_dates`` and ``excuses`` (``(from, to)`` pairs) are read from the database when not given.
    An excused period counts nowhere: it is not due, and it neither breaks nor lengthens a run of
    missed periods.
    """
    today = today or timezone.localdate(timezone=client.office.tzinfo)
    if report_dates is None:
        report_dates = client.visits.values_list("report_date", flat=True)
    if excuses is None:
        excuses = client.excuses.in_force().values_list("date_from", "date_to")
    reported_starts = {period_containing(client.reporting_frequency, d).start for d in report_dates}
    periods = client_periods(client, today)
    if until is not None:
        periods = [p for p in periods if p.end < until]
    excused = excused_periods(periods, list(excuses), reported_starts, client.programme_start, client.programme_end)
    excused_starts = {p.start for p in excused}
    counted = [p for p in periods if p.start not in excused_starts]
    missed = [p for p in counted if p.start not in reported_starts]
    last_reported = max(reported_starts, default=None)
    in_a_row = [p for p in missed if last_reported is None or p.start > last_reported]
    return ClientCompliance(
        due=len(counted),
        reported=len(counted) - len(missed),
        missed_periods=missed,
        missed_in_a_row=len(in_a_row),
        excused_periods=excused,
    )


def consecutive_missed(client: Client, last_visit_date: date | None, today: date, excuses=None) -> int:
    """Periods missed since the last report (``ClientCompliance.missed_in_a_row``) from the last report's date."""
    report_dates = [] if last_visit_date is None else [last_visit_date]
    return client_compliance(client, today=today, report_dates=report_dates, excuses=excuses).missed_in_a_row
