"""What the dashboards show, each piece from a fixed number of grouped queries.

Counts use ``trainings.selectors`` (participants, latest outcome) and the report datasets, so a
dashboard figure and the matching report agree.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from bapas.models import Office
from clients.compliance import rate as compliance_rate
from clients.models import Client
from reports.charts import Series, rate_ranking, svg_bars, svg_chart
from reports.datasets import (
    _outcome_counts,
    _with_rates,
    implementation_formula,
    implementation_with_sessions,
)
from reports.periods import add_months, months_back
from trainings.models import FOLLOW_UP_MONTHS, Attendance, Enrolment, FollowUp, TrainingSession
from trainings.selectors import counted_enrolments, participants

GAP_DAYS = 60
GAP_LIST_LIMIT = 25
FOLLOW_UP_GRACE_MONTHS = FOLLOW_UP_MONTHS[0]
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


def focus_year(years: dict, today: date) -> int:
    """This year, or the latest year with trainings when this year and last had none."""
    if years.get(today.year) or years.get(today.year - 1) or not years:
        return today.year
    return max(y for y in years if y <= today.year) if any(y <= today.year for y in years) else today.year


def follow_ups_overdue(office=None, *, today: date) -> dict:
    """Participants whose latest follow-up milestone (session end + 1, 3 or 6 months) has arrived with
    no follow-up on or after it: per office. One grouped query."""
    last_follow_up = Subquery(
        FollowUp.objects.filter(enrolment=OuterRef("pk")).order_by("-date", "-id").values("date")[:1]
    )
    rows = (
        participants(Enrolment.objects.filter(_office_filter(office, "session__office_id")))
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


def expiring_agreements_by_office(*, today: date) -> dict:
    """Agreements (not terminated) ending within 90 days, counted per office. One query."""
    from pokmaslipas.models import EXPIRING_DAYS, Agreement

    rows = (
        Agreement.objects.filter(
            terminated_on__isnull=True, end_date__gte=today, end_date__lte=today + timedelta(days=EXPIRING_DAYS)
        )
        .order_by()
        .values("office_id")
        .annotate(n=Count("pk"))
    )
    per_office = {row["office_id"]: row["n"] for row in rows}
    return {"total": sum(per_office.values()), "by_office": per_office}


def compliance_trend(office=None, *, today: date, officer=None) -> dict | None:
    """Compliance over the last 12 months (clients.compliance), with this month's figures and a chart."""
    return trend_from_data(_compliance_12_months(office, today=today, officer=officer), today)


def _compliance_12_months(office=None, *, today: date, officer=None, by_officer_month: bool = False) -> dict:
    from clients.compliance import compliance_dataset

    months = months_back(today, 12)
    start = date(months[0][0], months[0][1], 1)
    return compliance_dataset(
        office=office, date_from=start, date_to=today, today=today, officer=officer, by_officer_month=by_officer_month
    )


def officer_compliance_from_summary(summary: dict, username: str) -> dict:
    """One PK's 12-month compliance (as ``compliance_dataset(officer=...)`` gives it) out of the office's
    summary row, which keeps every PK's month-by-month figures."""
    data = summary["compliance"]
    months = [row for row in data.get("by_officer_month", []) if row["officer"] == username]
    due = sum(row["due"] for row in months)
    reported = sum(row["reported"] for row in months)
    return {
        **{key: data[key] for key in ("report", "office", "from", "to", "today")},
        "totals": {"due": due, "reported": reported, "missed": due - reported, "rate": compliance_rate(reported, due)},
        "by_officer": [row for row in data.get("by_officer", []) if row["officer"] == username],
        "by_month": [{k: v for k, v in row.items() if k != "officer"} for row in months],
    }


def trend_from_data(data: dict, today: date) -> dict:
    """The 12-month trend, last complete month and chart from a 12-month compliance dataset."""
    months = months_back(today, 12)
    by_month = {row["month"]: row for row in data.get("by_month", [])}
    rows = [by_month.get(f"{y}-{m:02d}", {"month": f"{y}-{m:02d}", "due": 0, "rate": None}) for y, m in months]
    # This month is not over: its period has not ended yet, so the last complete month is shown.
    last_complete = rows[-2] if len(rows) > 1 else rows[-1]
    chart = svg_chart(
        "line",
        [str(MONTHS_3[int(row["month"][5:7])]).title() for row in rows],
        [Series(_("Compliance rate"), [row.get("rate") for row in rows])],
        title=_("Wajib lapor compliance, last 12 months"),
        percent=True,
        width=440,
        font_size=12,
    )
    return {"data": data, "months": rows, "last_month": last_complete, "chart": chart}


def _year_chart(years: dict, focus: int):
    labels = [str(focus - 1), str(focus)]
    return svg_chart(
        "bar",
        labels,
        [
            Series(
                _("Sessions"), [years.get(focus - 1, {}).get("sessions", 0), years.get(focus, {}).get("sessions", 0)]
            ),
            Series(
                _("Participations"),
                [years.get(focus - 1, {}).get("participants", 0), years.get(focus, {}).get("participants", 0)],
            ),
        ],
        title=_("Trainings and participations: %(year)s against %(last)s") % {"year": focus, "last": focus - 1},
        width=420,
    )


def _implementation_chart(rows, key, title):
    return svg_bars(rate_ranking(rows, key, limit=10), title=title, percent=True)


def compute_office_summary(office: Office, *, today: date) -> dict:
    """What an office's dashboards aggregate, as plain data (stored in ``reports.OfficeSummary``).

    Every figure here is additive over offices, so the regional dashboard sums these rows.
    """
    clients = active_clients(office)
    implementation, sessions = implementation_with_sessions(
        office=office, date_from=IMPLEMENTATION_SINCE, date_to=date(today.year, 12, 31)
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


def _years(summary: dict) -> dict:
    return {int(year): {"sessions": n, "participants": p} for year, n, p in summary["years"]}


def office_dashboard(office: Office, *, today: date, year: int | None = None, allow_stale: bool = False) -> dict:
    """Kasi BKD and Kepala Bapas: the whole office (aggregates from the office's summary row).

    ``allow_stale`` (the page does this): a row outdated a moment ago is shown, with when it was
    computed, while the worker recomputes it (``reports.summaries.office_summaries``)."""
    from pokmaslipas.selectors import expiry_alerts
    from reports.summaries import office_summaries

    stale: dict | None = {} if allow_stale else None
    summary = office_summaries([office], today, stale=stale)[office.pk]
    years = _years(summary)
    focus = year or focus_year(years, today)
    implementation = summary["implementation"]
    return {
        "today": today,
        "clients": summary["clients"],
        "compliance": trend_from_data(summary["compliance"], today),
        "trainings": {"years": years},
        "focus_year": focus,
        "this_year": years.get(focus, {"sessions": 0, "participants": 0}),
        "last_year": years.get(focus - 1, {"sessions": 0, "participants": 0}),
        "year_chart": _year_chart(years, focus),
        "implementation": implementation,
        "implementation_chart": _implementation_chart(
            implementation["by_training_type"], "training_type", _("Implementation rate by training type")
        ),
        "alerts": expiry_alerts(office, today),
        "overdue": {"total": summary["overdue"]},
        "gap": reintegration_gap(office, today=today),
        "stale_since": (stale or {}).get(office.pk),
    }


def kasubsi_dashboard(office: Office, *, today: date) -> dict:
    """Kasubsi Bimker: upcoming sessions, attendance to take, certificates to issue, expiring agreements."""
    from pokmaslipas.selectors import expiry_alerts

    enrolled = Subquery(
        counted_enrolments(Enrolment.objects.filter(session=OuterRef("pk")))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    recorded = Subquery(
        counted_enrolments(Enrolment.objects.filter(session=OuterRef("pk")))
        .order_by()
        .values("session")
        .annotate(n=Count("attendance"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    base = (
        TrainingSession.objects.filter(office=office)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("partner", "training_type")
    )
    upcoming = list(
        base.filter(start_date__gte=today, start_date__lte=today + timedelta(days=60))
        .annotate(enrolled_count=enrolled)
        .order_by("start_date", "pk")[:20]
    )
    recent = base.filter(start_date__lte=today, start_date__gte=today - timedelta(days=180)).annotate(
        enrolled_count=enrolled, recorded_count=recorded
    )
    attendance_due = []
    for session in recent.order_by("start_date", "pk"):
        days_so_far = (min(session.end_date, today) - session.start_date).days + 1
        expected = (session.enrolled_count or 0) * days_so_far
        missing = expected - (session.recorded_count or 0)
        if missing > 0:
            session.missing_count = missing
            session.first_open_day = session.start_date
            attendance_due.append(session)
    cert_rows = list(
        participants(
            Enrolment.objects.filter(
                session__office=office, session__issues_certificate=True, session__end_date__lt=today
            )
        )
        .filter(certificate_number__isnull=True)
        .order_by()
        .values("session_id", "session__code", "session__title", "session__end_date")
        .annotate(n=Count("pk"))
        .order_by("session__end_date", "session_id")
    )
    return {
        "today": today,
        "upcoming": upcoming,
        "attendance_due": attendance_due,
        "certificates_due": cert_rows,
        "certificates_total": sum(row["n"] for row in cert_rows),
        "alerts": expiry_alerts(office, today),
    }


def _merge_groups(summaries: list[dict], name: str, key: str) -> list[dict]:
    """One implementation breakdown over several offices: counts added by label, rates recomputed."""
    merged: dict = {}
    for summary in summaries:
        for group in summary["implementation"].get(name, []):
            into = merged.setdefault(group[key], _outcome_counts(**{key: group[key]}))
            for field in ("participants", "followed_up", "implemented"):
                into[field] += group[field]
    rows = [_with_rates(group) for group in merged.values()]
    rows.sort(key=lambda g: (-g["participants"], str(g[key])))
    return rows


def regional_dashboard(*, today: date, year: int | None = None) -> dict:
    """Per office side by side and in total; aggregates only, never a name or other personal data.

    Sums the offices' summary rows (``reports.summaries``): one query when they are current.
    """
    from reports.summaries import office_summaries

    offices = list(Office.objects.order_by("code"))
    stale: dict = {}  # office pk -> when the row shown was computed (a newer one is on its way)
    summaries = office_summaries(offices, today, stale=stale)
    expiring = expiring_agreements_by_office(today=today)
    all_years: dict = defaultdict(lambda: {"sessions": 0, "participants": 0})
    programmes: dict = {}
    rows = []
    for office in offices:
        summary = summaries[office.pk]
        years = _years(summary)
        for y, counts in years.items():
            all_years[y]["sessions"] += counts["sessions"]
            all_years[y]["participants"] += counts["participants"]
        for item in summary["clients"]["by_programme"]:
            into = programmes.setdefault(item["programme"], {**item, "clients": 0})
            into["clients"] += item["clients"]
        rows.append((office, summary, years))
    focus = year or focus_year(dict(all_years), today)
    table = []
    for office, summary, years in rows:
        comp = summary["compliance"]["totals"]
        impl = summary["implementation"]["totals"]
        table.append(
            {
                "office": office,
                "clients": summary["clients"]["total"],
                "compliance_due": comp["due"],
                "compliance_reported": comp["reported"],
                "compliance_rate": compliance_rate(comp["reported"], comp["due"]),
                "sessions_this": years.get(focus, {}).get("sessions", 0),
                "participants_this": years.get(focus, {}).get("participants", 0),
                "sessions_last": years.get(focus - 1, {}).get("sessions", 0),
                "participants_last": years.get(focus - 1, {}).get("participants", 0),
                "participants_all": impl["participants"],
                "followed_up": impl["followed_up"],
                "implemented": impl["implemented"],
                "implementation_rate": impl["rate"],
                "expiring": expiring["by_office"].get(office.pk, 0),
                "overdue": summary["overdue"],
                "gap": summary["gap"],
                "stale_since": stale.get(office.pk),
            }
        )
    rows = table

    def total_of(field):
        return sum(row[field] for row in rows)

    totals = _with_rates(
        {"participants": total_of("participants_all"), "followed_up": total_of("followed_up"),
         "implemented": total_of("implemented")}
    )  # fmt: skip
    office_rows = [summaries[office.pk] for office in offices]
    implementation = {
        "totals": totals,
        "by_training_type": _merge_groups(office_rows, "by_training_type", "training_type"),
        "by_method": _merge_groups(office_rows, "by_method", "method"),
        "formula": implementation_formula(),
    }  # fmt: skip
    total = {
        "clients": total_of("clients"),
        "compliance_due": total_of("compliance_due"),
        "compliance_rate": compliance_rate(total_of("compliance_reported"), total_of("compliance_due")),
        "sessions_this": total_of("sessions_this"),
        "participants_this": total_of("participants_this"),
        "sessions_last": total_of("sessions_last"),
        "participants_last": total_of("participants_last"),
        "participants_all": totals["participants"],
        "followed_up": totals["followed_up"],
        "implemented": totals["implemented"],
        "implementation_rate": totals["rate"],
        "expiring": expiring["total"],
        "overdue": total_of("overdue"),
        "gap": total_of("gap"),
    }
    by_programme = sorted(programmes.values(), key=lambda item: -item["clients"])
    trainings = {"years": dict(all_years)}
    rates = [
        {"office": row["office"].name, "rate": row["implementation_rate"], "followed_up": row["followed_up"]}
        for row in rows
    ]
    chart = svg_bars(rate_ranking(rates, "office"), title=_("Implementation rate by office"), percent=True)
    participation_chart = svg_chart(
        "bar",
        [row["office"].code for row in rows],
        [
            Series(str(focus - 1), [row["participants_last"] for row in rows]),
            Series(str(focus), [row["participants_this"] for row in rows]),
        ],
        title=_("Participations by office"),
    )
    return {
        "today": today,
        "focus_year": focus,
        "rows": rows,
        "total": total,
        "implementation": implementation,
        "implementation_chart": chart,
        "participation_chart": participation_chart,
        "year_chart": _year_chart(trainings["years"], focus),
        "programmes": by_programme,
        "stale_count": len(stale),
        "stale_since": min(stale.values()) if stale else None,
    }
