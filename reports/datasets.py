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


def session_order(row: dict) -> tuple:
    """The order of a report's sessions: start, code, id, compared in Python (a database's collation
    could order codes otherwise, and reports from rolled-up rows must list them the same way)."""
    return row["start"], row["code"], row["id"]


def _session_rows(sessions):
    """One query: the sessions with what the report prints about each (in ``session_order``)."""
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
    rows.sort(key=session_order)
    return rows


def _empty_counts(**extra):
    return {**extra, "sessions": 0, "enrolled": 0, "participants": 0}


def _fold_sessions(rows, key_func, **labels):
    groups: dict = {}
    for row in rows:
        key = key_func(row)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _empty_counts(**dict(zip(labels, key, strict=True)))
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


def _participants_by_person(people: list) -> tuple[dict, dict]:
    """Participants by the client's programme and by sex, from the (session, programme, sex, n) groups."""
    programmes: dict = defaultdict(int)
    sexes: dict = defaultdict(int)
    for _session, code, sex, n in people:
        programmes[code] += n
        sexes[sex] += n
    programme_labels = dict(Client.Programme.choices)
    sex_labels = dict(Client.Sex.choices)
    by_programme = {
        code: {"programme": code, "label": str(programme_labels.get(code, code)), "participants": n}
        for code, n in programmes.items()
    }
    by_sex = {sex: {"sex": sex, "label": str(sex_labels.get(sex, sex)), "participants": n} for sex, n in sexes.items()}
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


def _planned_facts(scope: dict) -> list[list]:
    """The sessions of the period not held yet, as [id, partner id, type id, start] (one query)."""
    rows = _scoped_sessions(**scope, planned=True).values_list("pk", "partner_id", "training_type_id", "start_date")
    return [[pk, partner_id, type_id, start.isoformat()] for pk, partner_id, type_id, start in rows]


def participation_facts(
    *, office=None, date_from: date, date_to: date, partner=None, training_type=None, officer=None, today=None,
    region=None, outcomes: bool = False,
) -> dict:  # fmt: skip
    """What the participation report is folded from (``fold_participation``), JSON-ready.

    ``sessions``: the held sessions of the period with their counts; ``people``: participants as
    [session, programme, sex, n]; ``clients``: the participating clients as [session, [client ids]];
    ``planned``: the sessions not held yet. With ``outcomes``, also ``groups``: participants as
    [session, domicile, matched interest, latest follow-up status, n] (``fold_implementation``).
    Seven queries (eight with ``outcomes``), whatever the number of rows.

    The facts of one office and year are what ``reports.rollups`` keeps for the regional and national
    pages; ``narrow_facts`` cuts a period, partner or type out of them, so a report from those rows and
    one computed here are folded by the same code.
    """
    scope = {"office": office, "date_from": date_from, "date_to": date_to, "partner": partner,
             "training_type": training_type, "officer": officer, "today": today, "region": region}  # fmt: skip
    sessions = _scoped_sessions(**scope)
    enrolments = _scoped_enrolments(sessions, officer)
    rows = _session_rows(sessions)
    _count_per_session(rows, enrolments)
    counted = participants(enrolments).order_by()
    facts = {
        "sessions": rows,
        "people": [list(g) for g in counted.values_list("session_id", "client__programme", "client__sex").annotate(
            n=Count("pk"))],
        "clients": _clients_by_session(counted.values_list("session_id", "client_id").distinct()),
        "planned": _planned_facts(scope),
    }  # fmt: skip
    if outcomes:
        facts["groups"] = _outcome_groups(enrolments)
    return facts


def _clients_by_session(pairs) -> list[list]:
    """[[session, [client ids]], ...] from (session, client) pairs."""
    by_session: dict[int, list[int]] = defaultdict(list)
    for session_id, client_id in pairs:
        by_session[session_id].append(client_id)
    return [[session_id, clients] for session_id, clients in by_session.items()]


def _outcome_groups(enrolments) -> list[list]:
    """Participants as [session, domicile, matched interest, latest follow-up status, n] (one query)."""
    groups = (
        participants(enrolments)
        .order_by()
        .values_list("session_id", "client__domicile", "matched_interest", "latest_status")
        .annotate(n=Count("pk"))
    )
    return [list(g) for g in groups]


def narrow_facts(facts: dict, *, date_from: date, date_to: date, partner=None, training_type=None) -> dict:
    """The facts of the sessions starting in [date_from, date_to] (of one partner or training type),
    ordered as ``_session_rows`` orders them: the one way a report is cut out of rolled-up facts."""
    first, last = date_from.isoformat(), date_to.isoformat()
    partner_id, type_id = _pk(partner), _pk(training_type)

    def keep(partner_of, type_of, start) -> bool:
        return (
            first <= start <= last
            and (partner_id is None or partner_of == partner_id)
            and (type_id is None or type_of == type_id)
        )

    rows = [r for r in facts["sessions"] if keep(r["partner_id"], r["training_type_id"], r["start"])]
    rows.sort(key=session_order)
    ids = {r["id"] for r in rows}
    narrowed = {
        "sessions": rows,
        "planned": [p for p in facts["planned"] if keep(p[1], p[2], p[3])],
    }
    for key in ("people", "clients", "groups"):
        if key in facts:
            narrowed[key] = [g for g in facts[key] if g[0] in ids]
    return narrowed


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
    facts = participation_facts(office=office, date_from=date_from, date_to=date_to, partner=partner,
                                training_type=training_type, officer=officer, today=today, region=region)  # fmt: skip
    return fold_participation(facts, office=office, region=region, date_from=date_from, date_to=date_to,
                              filters=_filters(partner=partner, training_type=training_type, officer=officer))  # fmt: skip


def fold_participation(facts: dict, *, office, region, date_from: date, date_to: date, filters: dict) -> dict:
    """The participation dataset from its facts (``participation_facts`` or ``narrow_facts``)."""
    rows = facts["sessions"]
    by_programme, by_sex = _participants_by_person(facts["people"])
    unique_clients = len({client for _session, clients in facts["clients"] for client in clients})
    totals = {**_participation_totals(rows, unique_clients), "planned": len(facts["planned"])}

    by_year = {year: _empty_counts(year=year) for year in range(date_from.year, date_to.year + 1)}
    for group in _fold_sessions(rows, lambda r: (int(r["start"][:4]),), year=None):
        by_year[group["year"]] = group

    return {
        "report": "participation",
        "office": _office_code(office),
        "region": _region_code(office, region),
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": filters,
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


def duration_band(days: int, labels=None) -> str:
    """The duration band of a session (``labels``: the bands already translated, for a long fold)."""
    bands = labels or DURATION_BANDS
    for low, high, label in bands:
        if days >= low and (high is None or days <= high):
            return str(label)
    return str(bands[-1][2])


def budget_band(budget: int | None, participant_count: int, labels=None, unknown=None) -> str:
    """The band of the budget per participant (``labels``, ``unknown``: translated already)."""
    if budget is None or not participant_count:
        return unknown or _("Budget not recorded")
    bands = labels or BUDGET_BANDS
    per_participant = budget / participant_count
    for low, high, label in bands:
        if per_participant >= low and (high is None or per_participant < high):
            return str(label)
    return str(bands[-1][2])


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


IMPLEMENTATION_BREAKDOWNS = (
    "by_training_type", "by_partner", "by_category", "by_method", "by_duration", "by_budget_per_participant",
    "by_domicile", "by_interest_match", "by_office", "by_session",
)  # fmt: skip


def _implementation_dimensions() -> tuple[dict, dict]:
    """Each breakdown of the implementation report: those of the session (name -> session row ->
    (label key, label)) and those of the person (name -> (domicile, matched interest) -> ...)."""
    category_labels = {k: str(v) for k, v in TrainingType.Category.choices}
    method_labels = {k: str(v) for k, v in TrainingSession.Method.choices}
    domicile_labels = {k: str(v) for k, v in Client.Domicile.choices}
    no_method, no_domicile = _("Method not recorded"), _("Domicile not recorded")
    matches, does_not = _("Matches the client's interest"), _("Does not match the interest")
    durations = [(low, high, str(label)) for low, high, label in DURATION_BANDS]
    budgets = [(low, high, str(label)) for low, high, label in BUDGET_BANDS]
    no_budget = _("Budget not recorded")
    of_session = {
        "by_training_type": lambda r: ("training_type", r["training_type"]),
        "by_partner": lambda r: ("partner", r["partner"]),
        "by_category": lambda r: ("category", category_labels.get(r["category"], r["category"])),
        "by_method": lambda r: ("method", method_labels.get(r["method"], no_method)),
        "by_duration": lambda r: ("duration", duration_band(r["days"], labels=durations)),
        "by_budget_per_participant": lambda r: (
            "budget_band",
            budget_band(r["budget"], r["participants"], labels=budgets, unknown=no_budget),
        ),
        "by_office": lambda r: ("office", r["office"]),
        "by_session": lambda r: ("session", f"{r['code']} · {r['title']}"),
    }
    of_person = {
        "by_domicile": lambda p: ("domicile", domicile_labels.get(p[0], no_domicile)),
        "by_interest_match": lambda p: ("interest_match", matches if p[1] else does_not),
    }
    return of_session, of_person


def _add_outcome(into: dict, counts: list[int]) -> None:
    into["participants"] += counts[0]
    into["followed_up"] += counts[1]
    into["implemented"] += counts[2]


def _fold_outcomes(groups: list, by_id: dict) -> tuple[dict[str, dict], dict, dict]:
    """The participant groups ([session, domicile, matched interest, latest status, n]) added up per
    breakdown label, in total and per latest outcome.

    The groups are first added up per session and per person kind (domicile, interest match), so each
    breakdown folds a few thousand sums, not every group. Each session row's ``participants`` is
    counted here first (the budget band divides by it)."""
    of_session, of_person = _implementation_dimensions()
    per_session: dict = defaultdict(lambda: [0, 0, 0])
    per_person: dict = defaultdict(lambda: [0, 0, 0])
    per_status: dict = defaultdict(int)
    for session_id, domicile, matched, status, n in groups:
        per_status[status] += n
        for bucket in (per_session[session_id], per_person[(domicile, matched)]):
            bucket[0] += n
            if status:
                bucket[1] += n
                if is_implemented(status):
                    bucket[2] += n
    outcomes: dict = defaultdict(int)
    for status, n in per_status.items():
        outcomes[status or ""] += n
    breakdowns: dict[str, dict] = {name: {} for name in IMPLEMENTATION_BREAKDOWNS}
    totals = _outcome_counts()
    for session_id, counts in per_session.items():
        by_id[session_id]["participants"] += counts[0]
    for session_id, counts in per_session.items():
        row = by_id[session_id]
        for name, key_func in of_session.items():
            label_key, label = key_func(row)
            group = breakdowns[name].get(label)
            if group is None:
                extra = {"session_start": row["start"], "office": row["office"]} if name == "by_session" else {}
                group = breakdowns[name][label] = _outcome_counts(**{label_key: label}, **extra)
            _add_outcome(group, counts)
        _add_outcome(totals, counts)
    for person, counts in per_person.items():
        for name, key_func in of_person.items():
            label_key, label = key_func(person)
            group = breakdowns[name].get(label)
            if group is None:
                group = breakdowns[name][label] = _outcome_counts(**{label_key: label})
            _add_outcome(group, counts)
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
    facts = {
        "sessions": _session_rows(sessions),
        "groups": _outcome_groups(_scoped_enrolments(sessions, officer)),
        "planned": _planned_facts(scope),
    }
    return fold_implementation(facts, office=office, region=region, date_from=date_from, date_to=date_to,
                               filters=_filters(partner=partner, training_type=training_type, officer=officer))  # fmt: skip


def fold_implementation(
    facts: dict, *, office, region, date_from: date, date_to: date, filters: dict
) -> tuple[dict, list[dict]]:
    """The implementation dataset and its session rows from the facts (``participation_facts`` with
    outcomes, or ``narrow_facts`` of them): participants are counted from the outcome groups."""
    rows = [{**row, "participants": 0} for row in facts["sessions"]]
    by_id = {row["id"]: row for row in rows}
    breakdowns, totals, outcomes = _fold_outcomes(facts["groups"], by_id)

    status_labels = dict(FollowUp.Status.choices)
    result = {
        "report": "implementation",
        "office": _office_code(office),
        "region": _region_code(office, region),
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": filters,
        "empty": not rows,
        "totals": {**_with_rates(totals), "planned": len(facts["planned"])},
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
            clean[key] = without_personal_data(value) if isinstance(value, dict | list) else value
        return clean
    if isinstance(data, list):
        return [without_personal_data(v) if isinstance(v, dict | list) else v for v in data]
    return data
