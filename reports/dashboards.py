"""What the dashboard pages show: the office's summary row (``reports.summaries``) laid out with charts.

The figures themselves are computed in ``reports.office_figures``, each from a fixed number of
grouped queries, with ``trainings.selectors`` and the report datasets, so a dashboard figure and the
matching report agree.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from bapas.arithmetic import rate
from bapas.models import Office, Region
from reports.charts import Series, rate_bars_by_size, rate_ranking, svg_bars, svg_chart
from reports.datasets import _outcome_counts, _with_rates, implementation_formula
from reports.office_figures import _compliance_12_months, reintegration_gap
from reports.periods import months_back
from reports.summaries import REGIONAL_PARTS, office_summaries
from trainings.models import Enrolment, TrainingSession
from trainings.selectors import counted_enrolments, expiry_alerts, participants


def focus_year(years: dict, today: date) -> int:
    """This year, or the latest year with trainings when this year and last had none."""
    if years.get(today.year) or years.get(today.year - 1) or not years:
        return today.year
    return max(y for y in years if y <= today.year) if any(y <= today.year for y in years) else today.year


def expiring_agreements_by_office(*, today: date, offices=None) -> dict:
    """Agreements that need renewing (``pokmaslipas.models.expiring_agreements``, the rule of the
    office alerts), counted per office (of ``offices`` when given). One query."""
    from pokmaslipas.models import Agreement, expiring_agreements

    agreements = Agreement.objects.all() if offices is None else Agreement.objects.filter(office__in=offices)
    rows = expiring_agreements(agreements, today).order_by().values("office_id").annotate(n=Count("pk"))
    per_office = {row["office_id"]: row["n"] for row in rows}
    return {"total": sum(per_office.values()), "by_office": per_office}


def compliance_trend(office=None, *, today: date, officer=None) -> dict | None:
    """Compliance over the last 12 months (clients.compliance), with this month's figures and a chart."""
    return trend_from_data(_compliance_12_months(office, today=today, officer=officer), today)


def officer_compliance_from_summary(summary: dict, username: str) -> dict:
    """One PK's 12-month compliance (as ``compliance_dataset(officer=...)`` gives it) out of the office's
    summary row, which keeps every PK's month-by-month figures."""
    data = summary["compliance"]
    months = [row for row in data.get("by_officer_month", []) if row["officer"] == username]
    due = sum(row["due"] for row in months)
    reported = sum(row["reported"] for row in months)
    return {
        **{key: data[key] for key in ("report", "office", "from", "to", "today")},
        "totals": {"due": due, "reported": reported, "missed": due - reported, "rate": rate(reported, due)},
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
    """Largest groups first, not a ranking: the Temuan page answers which trainings work."""
    return svg_bars(rate_bars_by_size(rows, key, limit=10), title=title, percent=True)


def _years(summary: dict) -> dict:
    return {int(year): {"sessions": n, "participants": p} for year, n, p in summary["years"]}


def office_dashboard(office: Office, *, today: date, year: int | None = None, allow_stale: bool = False) -> dict:
    """Kasi BKD and Kepala Bapas: the whole office (aggregates from the office's summary row).

    ``allow_stale`` (the page does this): a row outdated a moment ago is shown, with when it was
    computed, while the worker recomputes it (``reports.summaries.office_summaries``)."""

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
            implementation["by_training_type"],
            "training_type",
            _("Implementation rate by training type (largest groups first)"),
        ),
        "alerts": expiry_alerts(office, today),
        "overdue": {"total": summary["overdue"]},
        "gap": reintegration_gap(office, today=today),
        "stale_since": (stale or {}).get(office.pk),
    }


def kasubsi_dashboard(office: Office, *, today: date) -> dict:
    """Kasubsi Bimker: upcoming sessions, attendance to take, certificates to issue, expiring agreements."""

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


def _regional_row(office, summary: dict, years: dict, focus: int, expiring: dict, stale: dict) -> dict:
    """One office's line of the regional table, from its summary row."""
    comp = summary["compliance"]["totals"]
    impl = summary["implementation"]["totals"]
    return {
        "office": office,
        "clients": summary["clients"]["total"],
        "compliance_due": comp["due"],
        "compliance_reported": comp["reported"],
        "compliance_rate": rate(comp["reported"], comp["due"]),
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


def _regional_total(rows: list[dict], totals: dict, expiring: dict) -> dict:
    """The regional table's total line: counts added up, rates recomputed from the sums."""

    def total_of(field):
        return sum(row[field] for row in rows)

    return {
        "clients": total_of("clients"),
        "compliance_due": total_of("compliance_due"),
        "compliance_rate": rate(total_of("compliance_reported"), total_of("compliance_due")),
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


def _regional_implementation(rows: list[dict], office_rows: list[dict]) -> dict:
    def total_of(field):
        return sum(row[field] for row in rows)

    totals = _with_rates(
        {"participants": total_of("participants_all"), "followed_up": total_of("followed_up"),
         "implemented": total_of("implemented")}
    )  # fmt: skip
    return {
        "totals": totals,
        "by_training_type": _merge_groups(office_rows, "by_training_type", "training_type"),
        "by_method": _merge_groups(office_rows, "by_method", "method"),
        "formula": implementation_formula(),
    }  # fmt: skip


def _regional_charts(rows: list[dict], focus: int) -> tuple:
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
    return chart, participation_chart


def regional_dashboard(*, today: date, year: int | None = None, offices=None) -> dict:
    """Per office side by side and in total; aggregates only, never a name or other personal data.

    ``offices`` (a queryset, from ``bapas.access.offices_visible_to``): the offices shown, default all.
    Sums the offices' summary rows (``reports.summaries``): one query when they are current.
    """
    offices = list((Office.objects.all() if offices is None else offices).select_related("region").order_by("code"))
    stale: dict = {}  # office pk -> when the row shown was computed (a newer one is on its way)
    summaries = office_summaries(offices, today, stale=stale, parts=REGIONAL_PARTS)
    expiring = expiring_agreements_by_office(today=today, offices=[office.pk for office in offices])
    all_years: dict = defaultdict(lambda: {"sessions": 0, "participants": 0})
    programmes: dict = {}
    per_office = []
    for office in offices:
        summary = summaries[office.pk]
        years = _years(summary)
        for y, counts in years.items():
            all_years[y]["sessions"] += counts["sessions"]
            all_years[y]["participants"] += counts["participants"]
        for item in summary["clients"]["by_programme"]:
            into = programmes.setdefault(item["programme"], {**item, "clients": 0})
            into["clients"] += item["clients"]
        per_office.append((office, summary, years))
    focus = year or focus_year(dict(all_years), today)
    rows = [_regional_row(office, summary, years, focus, expiring, stale) for office, summary, years in per_office]
    implementation = _regional_implementation(rows, [summaries[office.pk] for office in offices])
    chart, participation_chart = _regional_charts(rows, focus)
    return {
        "today": today,
        "focus_year": focus,
        "rows": rows,
        "total": _regional_total(rows, implementation["totals"], expiring),
        "implementation": implementation,
        "implementation_chart": chart,
        "participation_chart": participation_chart,
        "year_chart": _year_chart(dict(all_years), focus),
        "programmes": sorted(programmes.values(), key=lambda item: -item["clients"]),
        "stale_count": len(stale),
        "stale_since": min(stale.values()) if stale else None,
    }


def sum_office_rows(rows: list[dict]) -> dict:
    """The total of some office rows of the regional dashboard (a region's line of the national one):
    counts added, rates recomputed from the sums (``_regional_total``, the one rule for totals)."""
    totals = _with_rates(
        {"participants": sum(row["participants_all"] for row in rows),
         "followed_up": sum(row["followed_up"] for row in rows),
         "implemented": sum(row["implemented"] for row in rows)}
    )  # fmt: skip
    return _regional_total(rows, totals, {"total": sum(row["expiring"] for row in rows)})


def national_dashboard(*, today: date, year: int | None = None) -> dict:
    """Ditjenpas: the regions side by side (each the sum of its offices' rows of the regional
    dashboard, the one home of these figures) and the national total."""
    data = regional_dashboard(today=today, year=year)
    by_region: dict = defaultdict(list)
    for row in data["rows"]:
        by_region[row["office"].region_id].append(row)
    regions = {region.pk: region for region in Region.objects.order_by("code")}
    region_rows = [
        {"region": region, "offices": len(by_region.get(pk, [])), **sum_office_rows(by_region.get(pk, []))}
        for pk, region in regions.items()
    ]
    if by_region.get(None):  # offices not yet placed in a region
        region_rows.append({"region": None, "offices": len(by_region[None]), **sum_office_rows(by_region[None])})
    rates = [
        {"region": row["region"].name if row["region"] else str(_("Without region")),
         "rate": row["implementation_rate"], "followed_up": row["followed_up"]}
        for row in region_rows
    ]  # fmt: skip
    focus = data["focus_year"]
    labels = [row["region"].code if row["region"] else "—" for row in region_rows]
    return {
        **data,
        "region_rows": region_rows,
        "implementation_chart": svg_bars(
            rate_ranking(rates, "region"), title=_("Implementation rate by region"), percent=True
        ),
        "participation_chart": svg_chart(
            "bar",
            labels,
            [
                Series(str(focus - 1), [row["participants_last"] for row in region_rows]),
                Series(str(focus), [row["participants_this"] for row in region_rows]),
            ],
            title=_("Participations by region"),
        ),
    }
