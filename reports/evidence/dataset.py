"""The evidence report's one dataset function: every output (page, PDF, XLSX, CSV, JSON) prints it.

``evidence_dataset`` reads the held sessions of the period, their participants, the follow-ups in
the horizon's windows, and for the comparison group the clients of the offices and their wajib
lapor work statuses: a fixed number of ``values()`` queries whatever the size. The statistics are in
``reports.evidence.estimate`` (no Django there); the sentences for people in ``findings``.
"""

from datetime import date, timedelta

import pandas as pd
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bapas.arithmetic import add_months
from bapas.models import Office, Region
from clients.models import WORKING_STATUSES, Client, ReportingVisit, WorkStatus
from reports.evidence import estimate
from reports.evidence.findings import findings_for
from trainings.models import Attendance, Enrolment, FollowUp
from trainings.selectors import counted_enrolments, held_sessions, is_implemented, sessions_in_period

HORIZONS = (3, 6, 12)
DEFAULT_HORIZON = 6
REVOCATION_MONTHS = 12
# Factors and their levels, reference first (category: filled from the data, most participants first).
FACTORS = {
    "method": ["PENGENALAN", "PRAKTIK", "MAGANG"],
    "duration": ["1", "2-5", "6+"],
    "budget_per_participant": ["<250000", "250000-499999", "500000-999999", "1000000+"],
    "category": [],
    "interest_match": ["TIDAK", "YA"],
    "domicile": ["KOTA", "DESA"],
    "motivation": ["1-2", "3", "4-5"],
}
SESSION_FACTORS = {"method", "duration", "budget_per_participant", "category"}
BUDGET_LIMITS = [(250_000, "<250000"), (500_000, "250000-499999"), (1_000_000, "500000-999999")]


def duration_level(days: int) -> str:
    return "1" if days <= 1 else "2-5" if days <= 5 else "6+"


def budget_level(budget, participants: int):
    if budget is None or not participants:
        return None
    per_participant = budget / participants
    return next((level for limit, level in BUDGET_LIMITS if per_participant < limit), "1000000+")


def motivation_level(value):
    if value is None:
        return None
    return "1-2" if value <= 2 else "3" if value == 3 else "4-5"


def _window(end: date, horizon: int) -> tuple[date, date]:
    """The follow-up window of the horizon: from (end + horizon - 1 month) to (end + horizon + 2 months)."""
    return add_months(end, horizon - 1), add_months(end, horizon + 2)


# --- reading the database ----------------------------------------------------------------------


def _sessions(office, date_from, date_to, today, region=None):
    qs = held_sessions(sessions_in_period(None, date_from, date_to), today=today)
    if office is not None:
        qs = qs.filter(office_id=office.pk)
    elif region is not None:
        qs = qs.filter(office__region_id=region.pk)
    return list(qs.values("id", "office_id", "start_date", "end_date", "method", "budget", "training_type__category"))


def _participants(session_ids):
    attended = Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=Attendance.ATTENDED))
    qs = counted_enrolments(Enrolment.objects.filter(session_id__in=session_ids)).filter(attended)
    return list(
        qs.values(
            "id", "session_id", "client_id", "matched_interest", "motivation", "client__domicile",
            "client__programme", "client__sex", "client__birth_date", "client__programme_end",
            "client__work_status_start", "client__status", "client__status_date",
        )
    )  # fmt: skip


def _outcomes(rows, horizon, today) -> None:
    """Mark each participant due / observed / implemented from the follow-ups in its window (one query)."""
    for row in rows:
        row["window_from"], row["window_to"] = _window(row["end"], horizon)
        row["due"] = row["window_to"] < today
        row["observed"] = row["implemented"] = False
    if not rows:
        return
    by_enrolment = {row["id"]: row for row in rows}
    follow_ups = (
        FollowUp.objects.filter(
            enrolment__session_id__in={row["session"] for row in rows},
            date__gte=min(row["window_from"] for row in rows),
            date__lte=max(row["window_to"] for row in rows),
        )
        .order_by("enrolment_id", "date", "id")
        .values_list("enrolment_id", "date", "status")
    )
    for enrolment_id, day, status in follow_ups:
        row = by_enrolment.get(enrolment_id)
        if row is None or not row["due"] or not row["window_from"] <= day <= row["window_to"]:
            continue
        row["observed"] = True
        row["implemented"] = is_implemented(status)  # ordered by date: the latest in the window wins


def _records(office, date_from, date_to, horizon, today, region=None) -> tuple[list[dict], list[dict]]:
    """The sessions and one record per participant with its factor levels and outcome."""
    sessions = _sessions(office, date_from, date_to, today, region)
    people = _participants([s["id"] for s in sessions])
    size: dict = {}
    for person in people:
        size[person["session_id"]] = size.get(person["session_id"], 0) + 1
    by_id = {s["id"]: s for s in sessions}
    rows = []
    for person in people:
        s = by_id[person["session_id"]]
        rows.append(
            {
                "id": person["id"],
                "session": s["id"],
                "office": s["office_id"],
                "client": person["client_id"],
                "start": s["start_date"],
                "end": s["end_date"],
                "method": s["method"] or None,
                "duration": duration_level((s["end_date"] - s["start_date"]).days + 1),
                "budget_per_participant": budget_level(s["budget"], size[s["id"]]),
                "category": s["training_type__category"],
                "interest_match": "YA" if person["matched_interest"] else "TIDAK",
                "domicile": person["client__domicile"] or None,
                "motivation": motivation_level(person["motivation"]),
                "programme": person["client__programme"],
                "sex": person["client__sex"],
                "birth_date": person["client__birth_date"],
                "programme_end": person["client__programme_end"],
                "work_status_start": person["client__work_status_start"],
                "revoked_on": person["client__status_date"]
                if person["client__status"] == Client.Status.REVOKED
                else None,
            }
        )
    _outcomes(rows, horizon, today)
    return sessions, rows


# --- the comparison group ----------------------------------------------------------------------

AGE_BANDS = [(25, "<25"), (35, "25-34"), (45, "35-44")]
MONTHS_LEFT_BANDS = [(6, "<6"), (12, "6-11"), (24, "12-23")]
BASELINE_LOOKBACK_DAYS = 183  # a work status older than this at enrolment falls back to the register's


def _band(values: pd.Series, bands, last: str) -> pd.Series:
    out = pd.Series(last, index=values.index, dtype=object)
    for limit, label in reversed(bands):
        out[values < limit] = label
    out[values.isna()] = "?"
    return out


def _candidates(office_ids, rows) -> pd.DataFrame:
    """Clients of the offices who never took part in a training, one row per participant group
    (office and quarter of the session start) whose first session start falls in their programme."""
    took_part = counted_enrolments(Enrolment.objects.filter(client=OuterRef("pk"))).filter(
        Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=Attendance.ATTENDED))
    )
    clients = pd.DataFrame.from_records(
        Client.objects.filter(office_id__in=office_ids)
        .exclude(Exists(took_part))
        .values("id", "office_id", "programme", "sex", "birth_date", "programme_start", "programme_end",
                "work_status_start", "status", "status_date"),
        columns=["id", "office_id", "programme", "sex", "birth_date", "programme_start", "programme_end",
                 "work_status_start", "status", "status_date"],
    )  # fmt: skip
    anchors: dict = {}
    for row in sorted(rows, key=lambda r: r["start"]):
        anchors.setdefault((row["office"], row["quarter"]), row)
    groups = pd.DataFrame(
        [{"office_id": k[0], "quarter": k[1], "start": r["start"], "end": r["end"]} for k, r in anchors.items()],
        columns=["office_id", "quarter", "start", "end"],
    )
    merged = clients.merge(groups, on="office_id")
    revoked = merged["status"].eq(Client.Status.REVOKED)
    merged["revoked_on"] = merged["status_date"].where(revoked, None)
    keep = (merged["programme_start"] <= merged["start"]) & (merged["start"] <= merged["programme_end"])
    keep &= ~(revoked & merged["status_date"].notna() & (merged["status_date"] < merged["start"]))
    merged = merged[keep].rename(columns={"id": "client", "office_id": "office"})
    merged["treated"] = False
    return merged


def _frame(rows, horizon, today) -> pd.DataFrame:
    columns = ["client", "office", "quarter", "start", "end", "programme", "sex", "birth_date",
               "programme_end", "work_status_start", "revoked_on"]  # fmt: skip
    frame = pd.DataFrame([{k: r[k] for k in columns} for r in rows], columns=columns)
    frame["treated"] = True
    return frame


def _with_dates(frame: pd.DataFrame, horizon: int, today: date) -> pd.DataFrame:
    pairs = {(s, e) for s, e in zip(frame["start"], frame["end"], strict=True)}
    dates = {(s, e): (add_months(e, horizon), *_window(e, horizon), add_months(s, REVOCATION_MONTHS)) for s, e in pairs}
    keys = list(zip(frame["start"], frame["end"], strict=True))
    for i, name in enumerate(("horizon_date", "window_from", "window_to", "revocation_until")):
        frame[name] = pd.to_datetime([dates[k][i] for k in keys]).astype("datetime64[ns]")
    for name in ("start", "end", "birth_date", "programme_end", "revoked_on"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    frame["client"] = frame["client"].astype("int64")
    frame["due"] = frame["window_to"] < pd.Timestamp(today)
    return frame


def _visit_status(frame: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """The work status at enrolment (last known before the start) and nearest the horizon."""
    frame = frame.reset_index(drop=True)
    frame["row"] = frame.index
    before = pd.merge_asof(
        frame[["row", "client", "start"]].sort_values("start"),
        visits.rename(columns={"day": "start"}).sort_values("start"),
        on="start", by="client", direction="backward", allow_exact_matches=False,
        tolerance=pd.Timedelta(days=BASELINE_LOOKBACK_DAYS),
    ).set_index("row")  # fmt: skip
    frame["baseline"] = before["status"].reindex(frame.index).fillna(frame["work_status_start"])
    near = pd.merge_asof(
        frame[["row", "client", "horizon_date"]].sort_values("horizon_date"),
        visits.rename(columns={"day": "horizon_date"}).assign(seen=lambda v: v["horizon_date"]).sort_values(
            "horizon_date"
        ),
        on="horizon_date", by="client", direction="nearest",
    ).set_index("row").reindex(frame.index)  # fmt: skip
    inside = frame["due"] & near["seen"].between(frame["window_from"], frame["window_to"])
    status = near["status"].where(inside)
    working = status.isin(list(WORKING_STATUSES)).astype(float)
    frame["working"] = working.where(status.notna() & status.ne(WorkStatus.UNABLE))
    return frame


def _comparison(rows, horizon, today) -> dict:
    office_ids = sorted({row["office"] for row in rows})
    treated = _frame(rows, horizon, today)
    everyone = pd.concat([treated, _candidates(office_ids, rows)[treated.columns]], ignore_index=True)
    everyone = _with_dates(everyone, horizon, today)
    visits = pd.DataFrame.from_records(
        ReportingVisit.objects.filter(
            office_id__in=office_ids,
            report_date__gte=everyone["start"].min().date() - timedelta(days=BASELINE_LOOKBACK_DAYS),
            report_date__lte=everyone["window_to"].max().date(),
        )
        .exclude(work_status=WorkStatus.UNKNOWN)
        .values_list("client_id", "report_date", "work_status"),
        columns=["client", "day", "status"],
    )
    visits["day"] = pd.to_datetime(visits["day"]).astype("datetime64[ns]")
    visits["client"] = visits["client"].astype("int64")
    everyone = _visit_status(everyone, visits)
    age = (everyone["start"] - everyone["birth_date"]).dt.days / 365.25
    left = (everyone["programme_end"] - everyone["start"]).dt.days / 30.44
    everyone["stratum"] = (
        everyone["office"].astype(str) + "|" + everyone["programme"].astype(str) + "|" + everyone["sex"].astype(str)
        + "|" + _band(age, AGE_BANDS, "45+") + "|" + everyone["baseline"].astype(str)
        + "|" + _band(left, MONTHS_LEFT_BANDS, "24+") + "|" + everyone["quarter"].astype(str)
    )  # fmt: skip
    closed = everyone["revocation_until"] < pd.Timestamp(today)
    revoked = everyone["revoked_on"].notna() & (everyone["revoked_on"] <= everyone["revocation_until"])
    everyone["revoked"] = revoked.astype(float).where(closed)
    return estimate.matched_comparison(everyone)


EMPTY_COMPARISON = pd.DataFrame(columns=["client", "treated", "stratum", "working", "revoked"])


def factor_levels(rows) -> dict[str, list]:
    """The contract's levels; category's reference is the category with the most participants."""
    counts: dict = {}
    for row in rows:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    return {**FACTORS, "category": sorted(counts, key=lambda code: (-counts[code], code))}


def _factor_frame(rows) -> pd.DataFrame:
    observed = [row for row in rows if row["observed"]]
    columns = ["session", "y", *FACTORS]
    frame = pd.DataFrame(
        [{**{f: row[f] for f in FACTORS}, "session": row["session"], "y": float(row["implemented"])}
         for row in observed],
        columns=columns,
    )  # fmt: skip
    frame["y"] = frame["y"].astype(float)
    return frame


def _outcome_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{k: row[k] for k in ("session", "due", "observed", "implemented")} for row in rows],
        columns=["session", "due", "observed", "implemented"],
    ).astype({"due": bool, "observed": bool, "implemented": bool})


def evidence_dataset(
    office=None, date_from: date | None = None, date_to: date | None = None, horizon: int = DEFAULT_HORIZON,
    today: date | None = None, region: Region | None = None,
) -> dict:  # fmt: skip
    """Temuan: the outcome at the horizon, the factors' differences and the comparison group.

    ``office``: one Office, or None for the offices of ``region`` pooled (every office without a
    region). ``today`` decides which sessions are held and which windows have closed (default: the
    office's date, or the server's for a pool)."""
    if horizon not in HORIZONS:
        raise ValueError(f"horizon must be one of {HORIZONS}")
    if isinstance(office, str):
        office = Office.objects.get(code=office)
    if today is None:
        today = timezone.localdate(timezone=office.tzinfo) if office is not None else timezone.localdate()
    if office is not None:
        region = None
    sessions, rows = _records(office, date_from, date_to, horizon, today, region)
    for row in rows:
        row["quarter"] = f"{row['start'].year}Q{(row['start'].month - 1) // 3 + 1}"
    levels = factor_levels(rows)
    outcome = estimate.outcome_summary(_outcome_frame(rows))
    frame = _factor_frame(rows)
    factors = estimate.factor_effects(frame, levels, SESSION_FACTORS)
    due_rows = [row for row in rows if row["due"]]
    comparison = _comparison(due_rows, horizon, today) if due_rows else estimate.matched_comparison(EMPTY_COMPARISON)
    data = {
        "report": "evidence",
        "office": office.code if office is not None else None,
        "region": region.code if region is not None else None,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "horizon_months": horizon,
        "computed_on": today.isoformat(),
        "empty": not sessions,
        "sessions": len(sessions),
        "outcome": outcome,
        "factors": factors,
        "comparison": comparison,
    }
    data["findings"] = findings_for(data)
    return data
