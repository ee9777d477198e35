"""Read-side helpers: the PK's worklist, the client list page, the client timeline."""

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery

from clients.compliance import client_compliance, period_containing
from clients.ladder import ladder_state
from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning

ENDING_SOON_DAYS = 30
PAGE_SIZE = 25
COUNT_CAP = 1000


# --- worklist --------------------------------------------------------------------------------


@dataclass
class WorklistRow:
    client: Client
    due_date: date | None = None
    missed: int = 0
    last_visit_date: date | None = None
    days: int = 0
    missed_periods: list = field(default_factory=list)
    ladder: object = None  # clients.ladder.LadderState of an overdue client


@dataclass
class Worklist:
    today: date
    due_today: list = field(default_factory=list)
    due_this_week: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    ending_soon: list = field(default_factory=list)


def with_last_visit(qs):
    """Annotate each client with the date of its latest wajib lapor and the next due date that visit proposed."""
    latest = ReportingVisit.objects.filter(client=OuterRef("pk")).order_by("-reported_at", "-id")
    return qs.annotate(
        last_visit_date=Subquery(latest.values("report_date")[:1]),
        last_next_due=Subquery(latest.values("next_due_date")[:1]),
    )


def due_date_for(client: Any, today: date) -> date | None:
    """When the client must report in the current period, or None when it already did (or needn't).

    The date the last report proposed counts when it lies in the current period; otherwise the
    period's last day (or the programme end, if earlier) is the deadline. ``client`` is a Client
    annotated by ``with_last_report``.
    """
    current = period_containing(client.reporting_frequency, today)
    last = client.last_visit_date
    if last is not None and last >= current.start:
        return None
    deadline = min(current.end, client.programme_end)
    proposed = client.last_next_due
    if proposed is not None and current.start <= proposed <= deadline:
        return proposed
    return deadline


def worklist_for(clients_qs, today: date) -> Worklist:
    """Sections of the PK's home page from its active caseload: three queries (clients, excuses, warnings).

    A client excused for the current period is not due in it; periods it missed before still make
    it overdue.
    """
    work = Worklist(today=today)
    week_end = today + timedelta(days=6)  # "this week": the next seven days
    clients = (
        with_last_visit(clients_qs.filter(status=Client.Status.ACTIVE, is_archived=False, programme_start__lte=today))
        .prefetch_related(
            Prefetch("excuses", queryset=ExcusedAbsence.objects.in_force().only("client_id", "date_from", "date_to")),
            Prefetch("warnings", queryset=ReportingWarning.objects.only("client_id", "level", "missed_periods")),
        )
        .order_by("name", "id")
    )
    for client in clients:
        if today <= client.programme_end <= today + timedelta(days=ENDING_SOON_DAYS):
            work.ending_soon.append(
                WorklistRow(client, due_date=client.programme_end, days=(client.programme_end - today).days)
            )
        if client.programme_end < today:
            continue
        excuses = [(e.date_from, e.date_to) for e in client.excuses.all()]
        current = period_containing(client.reporting_frequency, today)
        excused_now = any(first <= current.end and last >= current.start for first, last in excuses)
        due = None if excused_now else due_date_for(client, today)
        report_dates = [] if client.last_visit_date is None else [client.last_visit_date]
        state = client_compliance(client, today=today, report_dates=report_dates, excuses=excuses)
        missed = state.missed_in_a_row
        if due is None and not missed:
            continue
        row = WorklistRow(
            client,
            due_date=due,
            missed=missed,
            last_visit_date=client.last_visit_date,
            missed_periods=state.missed_in_a_row_periods,
            ladder=ladder_state(state, client.warnings.all(), today) if missed else None,
        )
        if missed or due is None:
            work.overdue.append(row)
        elif due <= today:
            work.due_today.append(row)
        elif due <= week_end:
            work.due_this_week.append(row)
    work.overdue.sort(key=lambda r: (-r.missed, r.client.name))
    work.due_this_week.sort(key=lambda r: (r.due_date, r.client.name))
    work.ending_soon.sort(key=lambda r: (r.due_date, r.client.name))
    return work


# --- client list -----------------------------------------------------------------------------


NIK_RE = re.compile(r"[0-9]{16}")


def encode_cursor(client: Client) -> str:
    raw = json.dumps([client.name, client.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str):
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return str(name), int(pk)
    except (ValueError, TypeError):
        return None


def search_clients(
    qs, *, q="", programme="", status="", officer=None, ending=False, archived=False, today=None, by_nik=False
):
    """Filter a visible queryset. ``q`` matches name and register number, and the whole 16-digit NIK
    exactly when ``by_nik`` (``clients.access.can_see_nik``): a prefix search would let a role that may
    not see the NIK rebuild it digit by digit."""
    q = (q or "").strip()
    if q:
        digits = q.replace(" ", "")
        cond = Q(name__icontains=q) | Q(register_number__icontains=q)
        if by_nik and NIK_RE.fullmatch(digits):
            cond |= Q(nik=digits)
        qs = qs.filter(cond)
    if programme:
        qs = qs.filter(programme=programme)
    if status:
        qs = qs.filter(status=status)
    if officer is not None:
        qs = qs.filter(officer=officer)
    if ending:
        qs = qs.filter(
            status=Client.Status.ACTIVE,
            programme_end__gte=today,
            programme_end__lte=today + timedelta(days=ENDING_SOON_DAYS),
        )
    return qs.filter(is_archived=bool(archived))


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    count: int
    count_capped: bool


def keyset_page(qs, *, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE) -> Page:
    """A page ordered by (name, id) that never counts more than COUNT_CAP rows: fast at any size."""
    capped = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    after_key = decode_cursor(after) if after else None
    before_key = decode_cursor(before) if before and not after_key else None
    if before_key:
        name, pk = before_key
        rows = list(qs.filter(Q(name__lt=name) | Q(name=name, pk__lt=pk)).order_by("-name", "-id")[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size][::-1]
        has_prev, has_next = has_more, True
    else:
        if after_key:
            name, pk = after_key
            qs = qs.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
        rows = list(qs.order_by("name", "id")[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_prev = after_key is not None
    return Page(
        rows=rows,
        next_cursor=encode_cursor(rows[-1]) if has_next and rows else None,
        prev_cursor=encode_cursor(rows[0]) if has_prev and rows else None,
        count=min(capped, COUNT_CAP),
        count_capped=capped > COUNT_CAP,
    )


# --- client page -----------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    kind: str  # visit, warning, excuse, tpp, proposal, status, assignment, transfer
    day: date
    obj: object
    sort_key: tuple = ()


def timeline(
    visits, warnings, status_changes, assignments, excuses=(), tpp_cases=(), proposals=(), transfers=()
) -> list[TimelineEntry]:
    entries = [TimelineEntry("visit", v.report_date, v, (v.report_date, 3, v.reported_at.timestamp())) for v in visits]
    entries += [TimelineEntry("warning", w.issued_on, w, (w.issued_on, 2, w.pk)) for w in warnings]
    entries += [TimelineEntry("status", s.date, s, (s.date, 1, s.pk)) for s in status_changes]
    entries += [TimelineEntry("tpp", c.session.date, c, (c.session.date, 2, c.pk)) for c in tpp_cases]
    entries += [TimelineEntry("proposal", p.suspended_on, p, (p.suspended_on, 0, p.pk)) for p in proposals]
    entries += [TimelineEntry("excuse", e.date_from, e, (e.date_from, 2, e.pk)) for e in excuses]
    entries += [TimelineEntry("assignment", a.start_date, a, (a.start_date, 0, a.pk)) for a in assignments]
    entries += [TimelineEntry("transfer", t.transfer_date, t, (t.transfer_date, 1, t.pk)) for t in transfers]
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries


def filter_reporting_visits(qs, *, date_from=None, date_to=None, mode="", client=None, q=""):
    """Wajib lapor rows narrowed by the values of clients.forms.ReportingVisitFilterForm."""
    q = q.strip()
    if date_from:
        qs = qs.filter(report_date__gte=date_from)
    if date_to:
        qs = qs.filter(report_date__lte=date_to)
    if mode:
        qs = qs.filter(mode=mode)
    if client:
        qs = qs.filter(client_id=client)
    if q:
        qs = qs.filter(Q(client__name__icontains=q) | Q(client__register_number__icontains=q))
    return qs
