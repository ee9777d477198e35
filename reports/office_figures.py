"""An office's dashboard figures as plain data: what ``reports.summaries`` stores per office and day.

Each figure comes from a fixed number of grouped queries. Counts use ``trainings.selectors``
(participants, latest outcome) and the report datasets, so a dashboard figure and the matching
report agree. The dashboard pages (``reports.dashboards``) read these rows through the summaries.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from bapas.arithmetic import add_months
from bapas.models import Office
from clients.models import Client
from reports.datasets import implementation_with_sessions
from reports.periods import months_back
from trainings.models import FOLLOW_UP_MONTHS, Attendance, Enrolment, FollowUp
from trainings.selectors import held_q, participants

GAP_DAYS = 60
GAP_LIST_LIMIT = 25
IMPLEMENTATION_SINCE = date(2000, 1, 1)


def _office_filter(office, field="office_id"):
    if office is None:
        return Q()
    return Q(**{field: getattr(office, "pk", office)})


def active_clients(office=None) -> dict:
    """Active clients by programme and by office. One query."""
    labels = dict(Client.Programme.choices)
    rows = (
        Client.objects.filter(_office_filter(office), status=Client.Status.ACTIVE)
        .order_by()
        .values("office_id", "programme")
        .annotate(n=Count("pk"))
    )
    by_programme: dict = defaultdict(int)
    by_office: dict = defaultdict(int)
    for row in rows:
        by_programme[row["programme"]] += row["n"]
        by_office[row["office_id"]] += row["n"]
    programmes = [
        {"programme": code, "label": str(labels.get(code, code)), "clients": n}
        for code, n in sorted(by_programme.items(), key=lambda item: -item[1])
    ]
    return {"total": sum(by_programme.values()), "by_programme": programmes, "by_office": dict(by_office)}


def yearly_trainings(session_rows: list[dict]) -> dict:
    """Sessions and participations per year (and per office), folded from the implementation
    dataset's per-session rows: no extra query."""
    years: dict = defaultdict(lambda: {"sessions": 0, "participants": 0})
    per_office: dict = defaultdict(lambda: defaultdict(lambda: {"sessions": 0, "participants": 0}))
    for row in session_rows:
        year = int(row["start"][:4])
        for bucket in (years[year], per_office[row["office"]][year]):
            bucket["sessions"] += 1
            bucket["participants"] += row["participants"]
    return {"years": dict(years), "per_office": per_office}


def follow_ups_overdue(office=None, *, today: date) -> dict:
    """Participants whose latest follow-up milestone (session end + 1, 3 or 6 months) has arrived with
    no follow-up on or after it: per office. One grouped query."""
    last_follow_up = Subquery(
        FollowUp.objects.filter(enrolment=OuterRef("pk")).order_by("-date", "-id").values("date")[:1]
    )
    rows = (
        participants(Enrolment.objects.filter(_office_filter(office, "session__office_id"), held_q(today, "session__")))
        .exclude(client__status__in=(Client.Status.DECEASED, Client.Status.TRANSFERRED))
        .filter(session__end_date__lt=today)
        .annotate(last_follow_up=last_follow_up)
        .order_by()
        .values("session__office_id", "session__end_date", "last_follow_up")
        .annotate(n=Count("pk"))
    )
    per_office: dict = defaultdict(int)
    for row in rows:
        end = row["session__end_date"]
        arrived = [add_months(end, m) for m in FOLLOW_UP_MONTHS if add_months(end, m) <= today]
        if not arrived:
            continue
        last = row["last_follow_up"]
        if isinstance(last, str):
            last = date.fromisoformat(last[:10])
        if last is None or last < arrived[-1]:
            per_office[row["session__office_id"]] += row["n"]
    return {"total": sum(per_office.values()), "by_office": dict(per_office)}


def reintegration_gap(office=None, *, today: date, with_names: bool = True) -> dict:
    """Active clients whose programme ends within 60 days and who have no training outcome recorded:
    never took part in a training, or took part and were never followed up. One query (two when more than 25 are listed)."""
    # A follow-up of a participant of this client (counted enrolment with a day present or late).
    # Written as one flat EXISTS: a doubly nested OuterRef made PostgreSQL scan every follow-up per
    # client (minutes at 100,000 clients).
    has_outcome = FollowUp.objects.filter(
        enrolment__client=OuterRef("pk"),
        enrolment__status__in=Enrolment.COUNTED,
        enrolment__attendance__status__in=Attendance.ATTENDED,
    )
    qs = (
        Client.objects.filter(
            _office_filter(office),
            status=Client.Status.ACTIVE,
            programme_end__gte=today,
            programme_end__lte=today + timedelta(days=GAP_DAYS),
        )
        .annotate(has_outcome=Exists(has_outcome))
        .filter(has_outcome=False)
    )
    if not with_names:
        per_office = dict(qs.order_by().values("office_id").annotate(n=Count("pk")).values_list("office_id", "n"))
        return {"total": sum(per_office.values()), "by_office": per_office, "clients": []}
    took_part = Enrolment.objects.filter(
        client=OuterRef("pk"), status__in=Enrolment.COUNTED, attendance__status__in=Attendance.ATTENDED
    )
    clients = list(
        qs.annotate(took_part=Exists(took_part))
        .select_related("officer")
        .order_by("programme_end", "name")[:GAP_LIST_LIMIT]
    )
    for client in clients:
        client.days_left_value = (client.programme_end - today).days
    total = len(clients) if len(clients) < GAP_LIST_LIMIT else qs.count()
    return {"total": total, "more": total > GAP_LIST_LIMIT, "clients": clients, "by_office": {}}


def _compliance_12_months(office=None, *, today: date, officer=None, by_officer_month: bool = False) -> dict:
    from clients.compliance import compliance_dataset

    months = months_back(today, 12)
    start = date(months[0][0], months[0][1], 1)
    return compliance_dataset(
        office=office, date_from=start, date_to=today, today=today, officer=officer, by_officer_month=by_officer_month
    )


def compute_office_summary(office: Office, *, today: date) -> dict:
    """What an office's dashboards aggregate, as plain data (stored in ``reports.OfficeSummary``).

    Every figure here is additive over offices, so the regional dashboard sums these rows.
    """
    clients = active_clients(office)
    implementation, sessions = implementation_with_sessions(
        office=office, date_from=IMPLEMENTATION_SINCE, date_to=date(today.year, 12, 31), today=today
    )
    years = yearly_trainings(sessions)["years"]
    return {
        "clients": {"total": clients["total"], "by_programme": clients["by_programme"]},
        "compliance": _compliance_12_months(office, today=today, by_officer_month=True),
        "implementation": implementation,
        "years": [[year, counts["sessions"], counts["participants"]] for year, counts in sorted(years.items())],
        "overdue": follow_ups_overdue(office, today=today)["total"],
        "gap": reintegration_gap(office, today=today, with_names=False)["total"],
    }
