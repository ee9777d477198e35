"""The one definition of the counts in docs/INTERFACES.md section 3, as query pieces every app reuses.

- An enrolment counts unless withdrawn or cancelled.
- A participant is a counted enrolment with at least one day HADIR or TERLAMBAT.
- The latest follow-up (by date, then id) decides the outcome; implemented means USAHA_SAMPINGAN,
  BEKERJA_DI_BIDANG or USAHA_SENDIRI. Follow-ups of non-participants are ignored.
- A session is held when it is not cancelled and its start date is on or before today (the date in
  the session's office); a session of a period that is not cancelled and not held yet is planned.
"""

import functools
import re
from collections import defaultdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bapas.arithmetic import rate
from bapas.models import Office
from pokmaslipas.models import Agreement, Partner
from pokmaslipas.selectors import ALERT_SOON_DAYS, expiring_agreements
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType


def attended_days_exist():
    return Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=Attendance.ATTENDED))


def latest_follow_up_status():
    return Subquery(FollowUp.objects.filter(enrolment=OuterRef("pk")).order_by("-date", "-id").values("status")[:1])


def counted_enrolments(qs: QuerySet | None = None) -> QuerySet:
    qs = Enrolment.objects.all() if qs is None else qs
    return qs.filter(status__in=Enrolment.COUNTED)


def participants(qs: QuerySet | None = None) -> QuerySet:
    """Counted enrolments with at least one day present or late, annotated with the latest outcome."""
    return (
        counted_enrolments(qs)
        .annotate(is_participant=attended_days_exist())
        .filter(is_participant=True)
        .annotate(latest_status=latest_follow_up_status())
    )


def is_implemented(status: str | None) -> bool:
    return status in FollowUp.IMPLEMENTED


def started_q(today: date | None = None, prefix: str = "") -> Q:
    """Start date on or before ``today``; without it, on or before the date in the session's office.

    ``prefix`` reaches the session from another model (``"session__"`` for enrolments). The offices'
    dates differ only in the hours after midnight in the east, then one condition per time zone.
    """
    if today is not None:
        return Q(**{f"{prefix}start_date__lte": today})
    by_zone = {zone: timezone.localdate(timezone=ZoneInfo(zone)) for zone in Office.Zone.values}
    fallback = timezone.localdate()  # an office whose zone is not one of the choices (raw inserts)
    if len({*by_zone.values(), fallback}) == 1:
        return Q(**{f"{prefix}start_date__lte": fallback})
    zone_field = f"{prefix}office__time_zone"
    condition = Q(**{f"{prefix}start_date__lte": fallback}) & ~Q(**{f"{zone_field}__in": list(by_zone)})
    for zone, day in by_zone.items():
        condition |= Q(**{zone_field: zone, f"{prefix}start_date__lte": day})
    return condition


def held_q(today: date | None = None, prefix: str = "") -> Q:
    """A held session: not cancelled, started on or before today (docs/INTERFACES.md section 3)."""
    return ~Q(**{f"{prefix}status": TrainingSession.Status.CANCELLED}) & started_q(today, prefix)


def held_sessions(qs: QuerySet | None = None, *, today: date | None = None) -> QuerySet:
    qs = TrainingSession.objects.all() if qs is None else qs
    return qs.filter(held_q(today))


def planned_sessions(qs: QuerySet | None = None, *, today: date | None = None) -> QuerySet:
    """Sessions not cancelled that have not started yet: counted apart from the held ones."""
    qs = TrainingSession.objects.all() if qs is None else qs
    return qs.exclude(status=TrainingSession.Status.CANCELLED).exclude(started_q(today))


def is_held(session: TrainingSession, today: date | None = None) -> bool:
    """``held_q`` for one loaded session (its office's date when ``today`` is not given)."""
    if session.status == TrainingSession.Status.CANCELLED:
        return False
    return session.start_date <= (today or timezone.localdate(timezone=session.office.tzinfo))


def sessions_in_period(qs: QuerySet | None, date_from: date, date_to: date) -> QuerySet:
    qs = TrainingSession.objects.all() if qs is None else qs
    return qs.filter(start_date__gte=date_from, start_date__lte=date_to)


# --- extensions used by the trainings pages (same definitions as above) -------------------------


def attended_days_count():
    """Days with HADIR or TERLAMBAT of the outer enrolment, as a subquery (no join fan-out)."""
    return Subquery(
        Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=Attendance.ATTENDED)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def latest_follow_up_date():
    return Subquery(FollowUp.objects.filter(enrolment=OuterRef("pk")).order_by("-date", "-id").values("date")[:1])


def roster(qs: QuerySet) -> QuerySet:
    """Enrolments annotated for display: days attended, participant flag, latest outcome and its date."""
    return qs.select_related("client", "client__officer").annotate(
        days_attended=Coalesce(attended_days_count(), Value(0)),
        is_participant=attended_days_exist(),
        latest_status=latest_follow_up_status(),
        latest_date=latest_follow_up_date(),
    )


def implementation_summary(qs: QuerySet | None = None) -> dict:
    """Participants, followed up, implemented, rate and coverage of a set of enrolments (docs/INTERFACES.md section 3)."""
    return summarise_statuses(list(participants(qs).values_list("latest_status", flat=True)))


def summarise_statuses(rows: list) -> dict:
    """The counts of ``implementation_summary`` from the latest statuses of participants (None: no follow-up)."""
    followed_up = sum(1 for status in rows if status)
    implemented = sum(1 for status in rows if is_implemented(status))
    return {
        "participants": len(rows),
        "followed_up": followed_up,
        "implemented": implemented,
        "rate": rate(implemented, followed_up),
        "coverage": rate(followed_up, len(rows)),
    }


# Words that tie a client's stated interests (minat) to a training category.
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    TrainingType.Category.CULINARY: (
        "kuliner",
        "masak",
        "boga",
        "kue",
        "makanan",
        "minuman",
        "kopi",
        "barista",
        "bakso",
        "seblak",
        "roti",
        "dagang",
        "warung",
        "culinary",
        "cook",
    ),
    TrainingType.Category.FARMING: ("tani", "kebun", "bibit", "tanam", "pupuk", "hidroponik", "farm"),
    TrainingType.Category.FISHERIES: ("ikan", "lele", "tambak", "perikanan", "fish"),
    TrainingType.Category.SERVICES: ("jasa", "pijat", "refleksi", "cukur", "barber", "laundry", "service"),
    TrainingType.Category.BEAUTY: ("rias", "make up", "makeup", "salon", "kecantikan", "beauty"),
    TrainingType.Category.TECHNICAL: (
        "otomotif",
        "bengkel",
        "mesin",
        "motor",
        "mobil",
        "las",
        "listrik",
        "ac",
        "teknik",
        "jok",
        "interior",
        "wallpaper",
        "technical",
    ),
    TrainingType.Category.CRAFTS: ("kerajinan", "jahit", "anyam", "kayu", "craft"),
    TrainingType.Category.DIGITAL: ("komputer", "digital", "desain", "online", "internet", "computer"),
}


def interest_matches(interests: list[str], training_type: TrainingType) -> bool:
    """Whether an enrolment "matches the client's interest": the one rule for every path that enrols.

    True when one of the client's interests names the training type or a word of its category.
    The enrolment service, the workbook import, the demo and the scale data all call it.
    """
    return interest_matches_text(", ".join(interests), training_type.name, training_type.category)


@functools.lru_cache(maxsize=4096)
def interest_matches_text(interests: str, type_name: str, category: str) -> bool:
    """``interest_matches`` for a comma list of interests and a type's name and category code.

    The same in every language: the category's code words count, not its translated label.
    """
    keywords = set(CATEGORY_KEYWORDS.get(category, ()))
    keywords.update(word for word in category.lower().split("_") if word)
    keywords.update(word for word in type_name.lower().split() if len(word) >= 4)
    for interest in interests.split(","):
        text = interest.lower().strip()
        if not text:
            continue
        words = set(re.findall(r"\w+", text))
        for keyword in keywords:
            if keyword in words or (len(keyword) >= 4 and keyword in text) or (len(text) >= 4 and text in keyword):
                return True
    return False


def suggested_clients(session: TrainingSession, *, officer=None, limit: int = 50) -> list:
    """Active clients of the session's office, best candidates first.

    Ranked by: interest matching the category, no earlier training of that type, currently without
    work, then months left in the programme (more is better). Clients already enrolled are left out;
    ``officer`` limits the list to one PK's caseload. Two queries whatever the size.
    """
    from clients.models import Client

    qs = (
        Client.objects.filter(office_id=session.office_id, status=Client.Status.ACTIVE)
        .exclude(enrolments__session=session, enrolments__status__in=Enrolment.COUNTED)
        .select_related("officer")
        .annotate(
            took_type=Exists(
                Enrolment.objects.filter(
                    client=OuterRef("pk"),
                    session__training_type_id=session.training_type_id,
                    status__in=Enrolment.COUNTED,
                ).exclude(session=session)
            )
        )
    )
    if officer is not None:
        qs = qs.filter(officer=officer)
    training_type = session.training_type
    rows: list[Any] = []  # clients with the ranking attributes the page shows
    client: Any
    for client in qs:
        client.matches_interest = interest_matches(client.interest_list, training_type)
        client.months_left = max(0, (client.programme_end - session.start_date).days // 30)
        client.ends_before_training = client.programme_end < session.end_date
        rows.append(client)
    rows.sort(
        key=lambda c: (
            not c.matches_interest,
            c.took_type,
            c.is_employed,
            c.ends_before_training,
            -c.months_left,
            c.name,
        )
    )
    return rows[:limit]


# --- partners and agreements: the trainings run under them ---------------------------------------


def session_figures(sessions: list[Any], enrolments: QuerySet, today: date) -> dict:
    """Per-session counts and rates, with the participant and outcome rules above.

    Three queries whatever the number of sessions: counted enrolments, participants with their
    latest follow-up, and attended days. Attendance rate = days present or late / (counted
    enrolments x training days). Implementation rate = implemented / followed up. The totals count
    held sessions only (``is_held``); ``planned`` counts those not held yet. Each TrainingSession gets
    its figures as attributes (``enrolled``, ``participant_count`` ...).
    """
    enrolments = enrolments.order_by()
    counted = counted_enrolments(enrolments)
    enrolled = dict(counted.values("session_id").annotate(n=Count("id")).values_list("session_id", "n"))
    outcome_rows = participants(enrolments).values_list("session_id", "latest_status")
    attended = dict(
        Attendance.objects.filter(enrolment__in=counted.values("pk"), status__in=Attendance.ATTENDED)
        .order_by()
        .values("enrolment__session_id")
        .annotate(n=Count("id"))
        .values_list("enrolment__session_id", "n")
    )
    per_session: defaultdict[int, dict[str, int]] = defaultdict(
        lambda: {"participants": 0, "followed_up": 0, "implemented": 0}
    )
    for session_id, status in outcome_rows:
        row = per_session[session_id]
        row["participants"] += 1
        if status:
            row["followed_up"] += 1
            if is_implemented(status):
                row["implemented"] += 1
    totals: dict[str, Any] = {
        "sessions": 0,
        "enrolled": 0,
        "participants": 0,
        "followed_up": 0,
        "implemented": 0,
        "planned": 0,
    }
    totals_days = {"possible": 0, "attended": 0}
    for session in sessions:
        row = per_session[session.pk]
        session.enrolled = enrolled.get(session.pk, 0)
        session.participant_count = row["participants"]
        session.followed_up = row["followed_up"]
        session.implemented = row["implemented"]
        possible = session.enrolled * session.days
        session.attended_days = attended.get(session.pk, 0)
        session.attendance_rate = rate(session.attended_days, possible)
        session.implementation_rate = rate(row["implemented"], row["followed_up"])
        if not is_held(session, today):
            totals["planned"] += session.status != TrainingSession.Status.CANCELLED
            continue
        totals["sessions"] += 1
        totals["enrolled"] += session.enrolled
        totals["participants"] += row["participants"]
        totals["followed_up"] += row["followed_up"]
        totals["implemented"] += row["implemented"]
        totals_days["possible"] += possible
        totals_days["attended"] += session.attended_days
    totals["attendance_rate"] = rate(totals_days["attended"], totals_days["possible"])
    totals["implementation_rate"] = rate(totals["implemented"], totals["followed_up"])
    totals["coverage"] = rate(totals["followed_up"], totals["participants"])
    return totals


def partner_trainings(
    partner: Partner, today: date | None = None, office_ids: list[int] | None = None
) -> tuple[list[TrainingSession], dict]:
    """The sessions a partner delivered, newest first, with their figures and the totals as of ``today``
    (default: the partner's office's date). ``office_ids``: only the sessions of these offices (a
    regional or national partner works for many; each office sees its own)."""
    office = partner.office
    today = today or timezone.localdate(timezone=office.tzinfo if office is not None else None)
    sessions_qs = TrainingSession.objects.filter(partner=partner)
    if office_ids is not None:
        sessions_qs = sessions_qs.filter(office_id__in=office_ids)
    sessions = list(sessions_qs.select_related("training_type", "agreement", "office").order_by("-start_date", "-id"))
    totals = session_figures(sessions, Enrolment.objects.filter(session__in=sessions_qs), today)
    return sessions, totals


def agreement_sessions(agreement: Agreement, office_ids: list[int] | None = None) -> list[TrainingSession]:
    """The sessions run under an agreement, newest first (``office_ids``: of these offices only). One query."""
    qs = TrainingSession.objects.filter(agreement=agreement)
    if office_ids is not None:
        qs = qs.filter(office_id__in=office_ids)
    return list(qs.select_related("training_type", "office").order_by("-start_date"))


def expiry_alerts(office, today: date | None = None) -> dict:
    """What the Admin and the Kasi must act on; ``office`` is an Office, its id, or None for all.

    - ``expiring_90``: agreements not terminated that end within 90 days from today (today
      included), soonest first; ``expiring_30`` is the part of it ending within 30 days. An
      agreement already renewed by a later-ending agreement is left out: nothing to do.
      Each row has ``days_left`` (``pokmaslipas.selectors.expiring_agreements``).
    - ``partners_without_valid_agreement``: partners with PLANNED sessions that have not ended
      yet and for which no agreement of the partner is valid on all the session's dates; each
      partner has ``uncovered_sessions``.
    Three queries.
    """
    today = today or timezone.localdate()
    office_id = getattr(office, "pk", office)
    expiring: list[Any] = expiring_agreements(office_id, today)
    sessions = TrainingSession.objects.filter(status=TrainingSession.Status.PLANNED, end_date__gte=today)
    if office_id is not None:
        sessions = sessions.filter(office_id=office_id)
    planned = list(sessions.select_related("partner").order_by("start_date", "id"))
    partner_ids = {s.partner_id for s in planned}
    by_partner = defaultdict(list)
    if partner_ids:
        for agreement in Agreement.objects.filter(partner_id__in=partner_ids).only(
            "id", "partner_id", "start_date", "end_date", "terminated_on"
        ):
            by_partner[agreement.partner_id].append(agreement)
    uncovered: dict[int, Any] = {}
    for session in planned:
        if any(a.is_valid_between(session.start_date, session.end_date) for a in by_partner[session.partner_id]):
            continue
        partner = uncovered.setdefault(session.partner_id, session.partner)
        if not hasattr(partner, "uncovered_sessions"):
            partner.uncovered_sessions = []
        partner.uncovered_sessions.append(session)
    return {
        "today": today,
        "expiring_90": expiring,
        "expiring_30": [a for a in expiring if a.days_left <= ALERT_SOON_DAYS],
        "partners_without_valid_agreement": sorted(uncovered.values(), key=lambda p: (p.name, p.pk)),
    }


# --- list filters (the values of trainings.forms.*FilterForm, see bapas.formtools.filter_values) ----
def filter_sessions(qs: QuerySet, *, q: str = "", year: int | None = None, status: str = "") -> QuerySet:
    q = q.strip()
    if year:
        qs = qs.filter(start_date__year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(partner__name__icontains=q))
    return qs


def filter_enrolments(qs: QuerySet, *, q: str = "", year: int | None = None, session: str = "") -> QuerySet:
    q, session = q.strip(), session.strip()
    if year:
        qs = qs.filter(session__start_date__year=year)
    if session:
        qs = qs.filter(session__code=session)
    if q:
        qs = qs.filter(Q(session__title__icontains=q) | Q(session__code__icontains=q) | Q(client__name__icontains=q))
    return qs


def filter_follow_ups(
    qs: QuerySet, *, q: str = "", year: int | None = None, session: str = "", status: str = ""
) -> QuerySet:
    q, session = q.strip(), session.strip()
    if session:
        qs = qs.filter(enrolment__session__code=session)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(date__year=year)
    if q:
        qs = qs.filter(Q(enrolment__client__name__icontains=q) | Q(enrolment__session__title__icontains=q))
    return qs
