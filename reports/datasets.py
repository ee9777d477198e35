"""One dataset function per report: the web page, PDF, XLSX, CSV and JSON all render its dict.

Counting follows docs/INTERFACES.md section 3 through ``trainings.selectors`` (the one definition of a
counted enrolment, a participant and the latest follow-up). Every function runs a fixed number of
grouped queries whatever the number of rows; the breakdowns are folded from those groups in Python.
Only held sessions are counted (``trainings.selectors.held_q``: not cancelled, started by today);
sessions of the period not held yet are counted apart as ``totals.planned``.
"""

import math
from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.access import office_q
from bapas.arithmetic import rate
from clients.models import Client
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType
from trainings.selectors import (
    counted_enrolments,
    held_sessions,
    is_implemented,
    participants,
    planned_sessions,
    sessions_in_period,
)

Z_95 = 1.959963984540054

# Bands of the implementation factors (the paper's duration and budget).
DURATION_BANDS = [
    (1, 1, gettext_lazy("1 day")),
    (2, 5, gettext_lazy("2–5 days")),
    (6, None, gettext_lazy("6 days or more")),
]
BUDGET_BANDS = [
    (0, 250_000, gettext_lazy("under Rp250,000")),
    (250_000, 500_000, gettext_lazy("Rp250,000 – Rp499,999")),
    (500_000, 1_000_000, gettext_lazy("Rp500,000 – Rp999,999")),
    (1_000_000, None, gettext_lazy("Rp1,000,000 or more")),
]
QUARTER_MONTHS = 3


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float | None, float | None]:
    """95% Wilson score interval of a proportion: honest for 3 participants as for 40."""
    if not trials:
        return None, None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def _pk(value):
    return getattr(value, "pk", value)


def _scoped_sessions(
    *, office, date_from, date_to, partner=None, training_type=None, officer=None, today=None, planned=False,
    region=None,
):  # fmt: skip
    """The held sessions of the period in scope (``planned``: those not held yet instead)."""
    qs = sessions_in_period(None, date_from, date_to)
    qs = planned_sessions(qs, today=today) if planned else held_sessions(qs, today=today)
    qs = qs.filter(office_q(office=office, region=region))  # one office, one region's offices, or all
    if partner is not None:
        qs = qs.filter(partner_id=_pk(partner))
    if training_type is not None:
        qs = qs.filter(training_type_id=_pk(training_type))
    if officer is not None:
        qs = qs.filter(enrolments__client__officer_id=_pk(officer)).distinct()
    return qs


def _scoped_enrolments(sessions, officer=None):
    qs = Enrolment.objects.filter(session__in=sessions.values("pk"))
    if officer is not None:
        qs = qs.filter(client__officer_id=_pk(officer))
    return qs


def _session_rows(sessions):
    """One query: the sessions with what the report prints about each."""
    rows = []
    for s in sessions.select_related("office", "partner", "training_type").order_by("start_date", "code", "pk"):
        rows.append(
            {
                "id": s.pk,
                "office": s.office.code,
                "code": s.code,
                "title": s.title,
                "training_type": s.training_type.name,
                "category": s.training_type.category,
                "partner": s.partner.name,
                "partner_id": s.partner_id,
                "training_type_id": s.training_type_id,
                "start": s.start_date.isoformat(),
                "end": s.end_date.isoformat(),
                "location": s.location or s.get_location_kind_display(),
                "method": s.method,
                "method_label": s.get_method_display() if s.method else "",
                "days": s.days,
                "hours_per_day": float(s.hours_per_day) if s.hours_per_day is not None else None,
                "budget": s.budget,
                "enrolled": 0,
                "participants": 0,
                "attended_days": 0,
                "attendance_rate": None,
                "transport_paid": 0,
            }
        )
    return rows


def _empty_counts(**extra):
    return {**extra, "sessions": 0, "enrolled": 0, "participants": 0}


def _fold_sessions(rows, key_func, **labels):
    groups: dict = {}
    for row in rows:
        key = key_func(row)
        group = groups.setdefault(key, _empty_counts(**dict(zip(labels, key, strict=True))))
        group["sessions"] += 1
        group["enrolled"] += row["enrolled"]
        group["participants"] += row["participants"]
    return list(groups.values())


def _count_per_session(rows: list[dict], enrolments) -> None:
    """Fill each session row's enrolled, participants, attended days, transport and attendance rate."""
    by_id = {row["id"]: row for row in rows}
    for item in counted_enrolments(enrolments).order_by().values("session_id").annotate(n=Count("pk")):
        by_id[item["session_id"]]["enrolled"] = item["n"]
    for item in participants(enrolments).order_by().values("session_id").annotate(n=Count("pk")):
        by_id[item["session_id"]]["participants"] = item["n"]
    attendance = (
        Attendance.objects.filter(enrolment__in=counted_enrolments(enrolments).values("pk"))
        .order_by()
        .values("enrolment__session_id")
        .annotate(attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)), paid=Sum("transport_paid"))
    )
    for item in attendance:
        row = by_id[item["enrolment__session_id"]]
        row["attended_days"] = item["attended"]
        row["transport_paid"] = item["paid"] or 0
    for row in rows:
        row["attendance_rate"] = rate(row["attended_days"], row["enrolled"] * row["days"])


def _participants_by_person(enrolments) -> tuple[dict, dict]:
    """Participants by the client's programme and by sex, from one grouped query."""
    by_programme: dict = {}
    by_sex: dict = {}
    programme_labels = dict(Client.Programme.choices)
    sex_labels = dict(Client.Sex.choices)
    person_groups = (
        participants(enrolments).order_by().values("client__programme", "client__sex").annotate(n=Count("pk"))
    )
    for item in person_groups:
        code, sex = item["client__programme"], item["client__sex"]
        by_programme.setdefault(
            code, {"programme": code, "label": str(programme_labels.get(code, code)), "participants": 0}
        )["participants"] += item["n"]
        by_sex.setdefault(sex, {"sex": sex, "label": str(sex_labels.get(sex, sex)), "participants": 0})[
            "participants"
        ] += item["n"]
    return by_programme, by_sex


def _participation_totals(rows: list[dict], unique_clients: int) -> dict:
    attended_days = sum(r["attended_days"] for r in rows)
    possible_days = sum(r["enrolled"] * r["days"] for r in rows)
    budgets = [r["budget"] for r in rows if r["budget"] is not None]
    return {
        "sessions": len(rows),
        "enrolled": sum(r["enrolled"] for r in rows),
        "participants": sum(r["participants"] for r in rows),
        "unique_clients": unique_clients,
        "attendance_rate": rate(attended_days, possible_days),
        "budget": sum(budgets),
        "transport_paid": sum(r["transport_paid"] for r in rows),
    }


def _quarter_key(row: dict) -> tuple[int, int]:
    return int(row["start"][:4]), (int(row["start"][5:7]) - 1) // QUARTER_MONTHS + 1


def _month_key(row: dict) -> tuple[int, int]:
    return int(row["start"][:4]), int(row["start"][5:7])


def participation_dataset(
    *,
    office=None,
    date_from: date,
    date_to: date,
    partner=None,
    training_type=None,
    officer=None,
    today=None,
    region=None,
) -> dict:
    """Rekap partisipasi: sessions held and who took part, per session and in every breakdown.

    ``officer`` narrows the counts to one PK's caseload (the PK's own reports). ``today`` decides
    which sessions are held (default: each office's own date). Seven queries.
    """
    scope = {"office": office, "date_from": date_from, "date_to": date_to, "partner": partner,
             "training_type": training_type, "officer": officer, "today": today, "region": region}  # fmt: skip
    sessions = _scoped_sessions(**scope)
    enrolments = _scoped_enrolments(sessions, officer)
    rows = _session_rows(sessions)
    _count_per_session(rows, enrolments)
    by_programme, by_sex = _participants_by_person(enrolments)
    unique_clients = participants(enrolments).order_by().values("client_id").distinct().count()
    totals = {**_participation_totals(rows, unique_clients), "planned": _scoped_sessions(**scope, planned=True).count()}

    by_year = {year: _empty_counts(year=year) for year in range(date_from.year, date_to.year + 1)}
    for group in _fold_sessions(rows, lambda r: (int(r["start"][:4]),), year=None):
        by_year[group["year"]] = group

    return {
        "report": "participation",
        "office": _office_code(office),
        "region": _region_code(office, region),
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": _filters(partner=partner, training_type=training_type, officer=officer),
        "empty": not rows,
        "totals": totals,
        "by_year": list(by_year.values()),
        "by_quarter": _fold_sessions(rows, _quarter_key, year=None, quarter=None),
        "by_month": _fold_sessions(rows, _month_key, year=None, month=None),
        "by_office": sorted(_fold_sessions(rows, lambda r: (r["office"],), office=None), key=lambda g: g["office"]),
        "by_partner": sorted(_fold_sessions(rows, lambda r: (r["partner"],), partner=None), key=_by_name("partner")),
        "by_training_type": sorted(
            _fold_sessions(rows, lambda r: (r["training_type"],), training_type=None), key=_by_name("training_type")
        ),
        "by_programme": sorted(by_programme.values(), key=lambda g: -g["participants"]),
        "by_sex": sorted(by_sex.values(), key=lambda g: g["sex"]),
        "sessions": [_public_session(row) for row in rows],
    }


def _by_name(key):
    return lambda group: str(group[key]).lower()


def _public_session(row):
    return {k: v for k, v in row.items() if k not in ("id", "partner_id", "training_type_id", "attended_days")}


def _region_code(office, region):
    """The region of a report over one region's offices (None for one office or every office)."""
    if office is not None or region is None:
        return None
    return getattr(region, "code", region)


def _office_code(office):
    if office is None:
        return None
    return getattr(office, "code", office)


def _filters(*, partner=None, training_type=None, officer=None):
    from pokmaslipas.models import Partner

    filters = {}
    if partner is not None:
        filters["partner"] = str(partner) if isinstance(partner, Partner) else partner
    if training_type is not None:
        filters["training_type"] = str(training_type) if isinstance(training_type, TrainingType) else training_type
    if officer is not None:
        filters["officer"] = getattr(officer, "username", officer)
    return filters


# --- implementation rate ----------------------------------------------------------------------


def _outcome_counts(**labels):
    return {**labels, "participants": 0, "followed_up": 0, "implemented": 0}


def _with_rates(group):
    group["rate"] = rate(group["implemented"], group["followed_up"])
    group["coverage"] = rate(group["followed_up"], group["participants"])
    group["rate_low"], group["rate_high"] = wilson_interval(group["implemented"], group["followed_up"])
    return group


def duration_band(days: int) -> str:
    for low, high, label in DURATION_BANDS:
        if days >= low and (high is None or days <= high):
            return str(label)
    return str(DURATION_BANDS[-1][2])


def budget_band(budget: int | None, participant_count: int) -> str:
    if budget is None or not participant_count:
        return _("Budget not recorded")
    per_participant = budget / participant_count
    for low, high, label in BUDGET_BANDS:
        if per_participant >= low and (high is None or per_participant < high):
            return str(label)
    return str(BUDGET_BANDS[-1][2])


def implementation_formula() -> str:
    return _("Implementation rate = implemented ÷ followed up; coverage = followed up ÷ participants. A participant is an enrolment (not withdrawn or cancelled) present or late on at least one day. The latest follow-up decides: implemented means a side income, work in the trained field or an own business. The 95 percent interval is the Wilson score interval: the fewer followed up, the wider it is.")  # fmt: skip


def implementation_dataset(
    *,
    office=None,
    date_from: date,
    date_to: date,
    partner=None,
    training_type=None,
    officer=None,
    today=None,
    region=None,
) -> dict:
    """Tingkat implementasi: of the participants followed up, how many apply the skill, per factor.

    Three queries: the sessions, the participants grouped by session, domicile, interest match and
    latest outcome, and the number of planned sessions.
    """
    return implementation_with_sessions(
        office=office,
        date_from=date_from,
        date_to=date_to,
        partner=partner,
        training_type=training_type,
        officer=officer,
        today=today,
        region=region,
    )[0]


def _implementation_dimensions() -> dict:
    """Each breakdown of the implementation report: name -> (session row, group) -> (label key, label)."""
    category_labels = dict(TrainingType.Category.choices)
    method_labels = dict(TrainingSession.Method.choices)
    domicile_labels = dict(Client.Domicile.choices)
    return {
        "by_training_type": lambda r, g: ("training_type", r["training_type"]),
        "by_partner": lambda r, g: ("partner", r["partner"]),
        "by_category": lambda r, g: ("category", str(category_labels.get(r["category"], r["category"]))),
        "by_method": lambda r, g: ("method", str(method_labels.get(r["method"], _("Method not recorded")))),
        "by_duration": lambda r, g: ("duration", duration_band(r["days"])),
        "by_budget_per_participant": lambda r, g: ("budget_band", budget_band(r["budget"], r["participants"])),
        "by_domicile": lambda r, g: (
            "domicile",
            str(domicile_labels.get(g["client__domicile"], _("Domicile not recorded"))),
        ),
        "by_interest_match": lambda r, g: (
            "interest_match",
            _("Matches the client's interest") if g["matched_interest"] else _("Does not match the interest"),
        ),
        "by_office": lambda r, g: ("office", r["office"]),
        "by_session": lambda r, g: ("session", f"{r['code']} · {r['title']}"),
    }


def _fold_outcomes(groups: list[dict], by_id: dict) -> tuple[dict[str, dict], dict, dict]:
    """The participant groups added up per breakdown label, in total and per latest outcome."""
    dimensions = _implementation_dimensions()
    breakdowns: dict[str, dict] = {name: {} for name in dimensions}
    totals = _outcome_counts()
    outcomes: dict = defaultdict(int)
    for item in groups:
        row = by_id[item["session_id"]]
        status = item["latest_status"]
        followed = item["n"] if status else 0
        implemented = item["n"] if is_implemented(status) else 0
        outcomes[status or ""] += item["n"]
        for name, key_func in dimensions.items():
            label_key, label = key_func(row, item)
            extra = {"session_start": row["start"], "office": row["office"]} if name == "by_session" else {}
            group = breakdowns[name].setdefault(label, _outcome_counts(**{label_key: label}, **extra))
            group["participants"] += item["n"]
            group["followed_up"] += followed
            group["implemented"] += implemented
        totals["participants"] += item["n"]
        totals["followed_up"] += followed
        totals["implemented"] += implemented
    return breakdowns, totals, outcomes


def implementation_with_sessions(
    *,
    office=None,
    date_from: date,
    date_to: date,
    partner=None,
    training_type=None,
    officer=None,
    today=None,
    region=None,
) -> tuple[dict, list[dict]]:
    """The implementation dataset and its per-session rows (with participants) for the dashboards.

    Held sessions only; ``totals.planned`` counts the sessions of the period not held yet."""
    scope = {"office": office, "date_from": date_from, "date_to": date_to, "partner": partner,
             "training_type": training_type, "officer": officer, "today": today, "region": region}  # fmt: skip
    sessions = _scoped_sessions(**scope)
    rows = _session_rows(sessions)
    by_id = {row["id"]: row for row in rows}
    groups = list(
        participants(_scoped_enrolments(sessions, officer))
        .order_by()
        .values("session_id", "client__domicile", "matched_interest", "latest_status")
        .annotate(n=Count("pk"))
    )
    for item in groups:
        by_id[item["session_id"]]["participants"] += item["n"]
    breakdowns, totals, outcomes = _fold_outcomes(groups, by_id)

    status_labels = dict(FollowUp.Status.choices)
    result = {
        "report": "implementation",
        "office": _office_code(office),
        "region": _region_code(office, region),
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": _filters(partner=partner, training_type=training_type, officer=officer),
        "empty": not rows,
        "totals": {**_with_rates(totals), "planned": _scoped_sessions(**scope, planned=True).count()},
        "formula": implementation_formula(),
        "outcomes": [
            {
                "status": code,
                "label": str(status_labels[code]) if code else _("No follow-up yet"),
                "participants": outcomes.get(code, 0),
                "implemented": is_implemented(code),
            }
            for code in [*status_labels.keys(), ""]
        ],
    }
    for name, groups_by_label in breakdowns.items():
        ordered = [_with_rates(g) for g in groups_by_label.values()]
        if name == "by_session":
            ordered.sort(key=lambda g: (g["session_start"], g["session"]))
        else:
            ordered.sort(key=lambda g: (-g["participants"], str(next(iter(g.values())))))
        result[name] = ordered
    result["sessions_count"] = len(rows)
    return result, rows


# --- the registry: every report by name -------------------------------------------------------


def compliance(*, office=None, date_from, date_to, officer=None, region=None, **_ignored):
    from clients.compliance import compliance_dataset

    return compliance_dataset(office=office, date_from=date_from, date_to=date_to, officer=officer, region=region)


def agreements(*, office=None, date_from, date_to, partner=None, region=None, **_ignored):
    from pokmaslipas.datasets import agreements_dataset

    data = agreements_dataset(office=office, date_from=date_from, date_to=date_to, region=region)
    if partner is not None:
        from pokmaslipas.models import Partner

        name = str(partner) if isinstance(partner, Partner) else Partner.objects.get(pk=partner).name
        data = {**data, "agreements": [a for a in data.get("agreements", []) if a.get("partner") == name]}
    return data


DATASETS = {
    "participation": participation_dataset,
    "implementation": implementation_dataset,
    "compliance": compliance,
    "agreements": agreements,
}
# Filters each report understands (the page shows only these).
REPORT_FILTERS = {
    "participation": ("partner", "training_type"),
    "implementation": ("partner", "training_type"),
    "compliance": (),
    "agreements": ("partner",),
}


def build_dataset(name: str, *, scope, date_from: date, date_to: date, partner=None, training_type=None) -> dict:
    """Run a report for a scope (reports.access.ReportScope) and strip personal data where it must go."""
    function = DATASETS[name]
    kwargs = {"office": scope.office, "date_from": date_from, "date_to": date_to, "region": scope.region}
    if "partner" in REPORT_FILTERS[name]:
        kwargs["partner"] = partner
    if "training_type" in REPORT_FILTERS[name]:
        kwargs["training_type"] = training_type
    if scope.officer is not None and name != "agreements":
        kwargs["officer"] = scope.officer
    data = function(**kwargs)
    if not scope.personal_data:
        data = without_personal_data(data)
    return data


# Keys that carry names of people or other personal data; a regional viewer never gets them.
PERSONAL_LISTS = {"by_officer", "clients", "participants_list"}
PERSONAL_KEYS = {
    "officer",
    "officer_name",
    "officer_nip",
    "client",
    "client_name",
    "name",
    "nik",
    "register_number",
    "address",
}


def without_personal_data(data):
    """Drop every list of rows that names a person, and every personal field, at any depth."""
    if isinstance(data, dict):
        clean = {}
        for key, value in data.items():
            if key in PERSONAL_KEYS or key in PERSONAL_LISTS:
                continue
            if isinstance(value, list) and any(isinstance(v, dict) and PERSONAL_KEYS & v.keys() for v in value):
                continue
            clean[key] = without_personal_data(value)
        return clean
    if isinstance(data, list):
        return [without_personal_data(v) for v in data]
    return data
