"""Read-side queries of the Pokmaslipas app: statuses, lists, the partner page and expiry alerts.

Agreement status follows CONTRACTS.md section 3 (the same rule as ``Agreement.status_on``):
TERMINATED when ended early on or before the date, EXPIRED when the end date is before it,
EXPIRING when it ends within 90 days, otherwise ACTIVE.
"""

import re
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pokmaslipas.models import EXPIRING_DAYS, Agreement, Partner, expiring_agreements
from trainings import selectors as training_selectors
from trainings.models import Attendance, Enrolment, TrainingSession

ALERT_SOON_DAYS = 30
STATUS_ORDER = {
    Agreement.Status.ACTIVE: 0,
    Agreement.Status.EXPIRING: 0,
    Agreement.Status.EXPIRED: 1,
    Agreement.Status.TERMINATED: 2,
}


class PartnerStatus:
    """Agreement situation of a partner today, for the partner list filter."""

    ACTIVE = "ACTIVE"
    EXPIRING = "EXPIRING"
    NO_VALID = "NO_VALID"
    NONE = "NONE"
    choices = [
        (ACTIVE, _("Valid agreement")),
        (EXPIRING, _("Agreement expiring within 90 days")),
        (NO_VALID, _("No valid agreement (expired or terminated)")),
        (NONE, _("No agreement yet")),
    ]
    labels = dict(choices)


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def agreement_status_case(as_of: date) -> Case:
    """The status as of a date as a database expression (one query for a whole list)."""
    return Case(
        When(terminated_on__lte=as_of, then=Value(Agreement.Status.TERMINATED)),
        When(end_date__lt=as_of, then=Value(Agreement.Status.EXPIRED)),
        When(end_date__lte=as_of + timedelta(days=EXPIRING_DAYS), then=Value(Agreement.Status.EXPIRING)),
        default=Value(Agreement.Status.ACTIVE),
        output_field=CharField(),
    )


def agreements_with_status(qs: QuerySet, as_of: date) -> QuerySet:
    return qs.annotate(current_status=agreement_status_case(as_of))


def agreement_list(
    qs: QuerySet, *, today: date, status: str = "", q: str = "", kind: str = "", partner_id=None
) -> QuerySet:
    qs = agreements_with_status(qs.select_related("partner", "renews"), today)
    if status:
        qs = qs.filter(current_status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if partner_id:
        qs = qs.filter(partner_id=partner_id)
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(partner_number__icontains=q)
            | Q(title__icontains=q)
            | Q(partner__name__icontains=q)
        )
    return qs.order_by("end_date", "number")


def partner_list(
    qs: QuerySet, *, today: date, q: str = "", kind: str = "", offer: str = "", status: str = ""
) -> QuerySet:
    """Partners with the end of their latest agreement still in force and their status today."""
    in_force = Q(agreements__terminated_on__isnull=True) | Q(agreements__terminated_on__gt=today)
    qs = qs.annotate(
        agreement_count=Count("agreements"),
        current_end=Max("agreements__end_date", filter=in_force),
    ).annotate(
        agreement_status=Case(
            When(agreement_count=0, then=Value(PartnerStatus.NONE)),
            When(current_end__gt=today + timedelta(days=EXPIRING_DAYS), then=Value(PartnerStatus.ACTIVE)),
            When(current_end__gte=today, then=Value(PartnerStatus.EXPIRING)),
            default=Value(PartnerStatus.NO_VALID),
            output_field=CharField(),
        )
    )
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(contact_person__icontains=q) | Q(address__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if offer:
        # offers is a comma list of codes; match whole codes only (spaces tolerated).
        qs = qs.filter(offers__iregex=rf"(^|,)\s*{re.escape(offer)}\s*(,|$)")
    if status:
        qs = qs.filter(agreement_status=status)
    return qs.order_by("name", "id")


def agreement_chain(agreement: Agreement, agreements: list[Agreement]) -> list[Agreement]:
    """The renewal chain an agreement belongs to, oldest first, from an already loaded list."""
    by_id = {a.pk: a for a in agreements}
    children = defaultdict(list)
    for a in agreements:
        if a.renews_id:
            children[a.renews_id].append(a)
    root = agreement
    seen = {root.pk}
    while root.renews_id in by_id and root.renews_id not in seen:
        root = by_id[root.renews_id]
        seen.add(root.pk)
    chain, stack = [], [root]
    visited = set()
    while stack:
        node = stack.pop(0)
        if node.pk in visited:
            continue
        visited.add(node.pk)
        chain.append(node)
        stack.extend(sorted(children.get(node.pk, []), key=lambda a: (a.start_date, a.pk)))
    return chain


def annotate_agreements(agreements: list[Agreement], today: date) -> list[Agreement]:
    """Status today, the agreement renewed and the renewals, from one loaded list; current first."""
    by_id = {a.pk: a for a in agreements}
    for a in agreements:
        a.status_today = a.status_on(today)
        a.renewed_by = []
        a.renews_obj = by_id.get(a.renews_id)
        a.not_started = a.start_date > today
    for a in agreements:
        if a.renews_obj is not None:
            a.renews_obj.renewed_by.append(a)
    return sorted(
        agreements,
        key=lambda a: (
            STATUS_ORDER[a.status_today],
            a.not_started,
            -a.end_date.toordinal(),
            a.kind == Agreement.Kind.ADDENDUM,
            -a.pk,
        ),
    )


def partner_agreements(partner: Partner, today: date) -> list[Agreement]:
    return annotate_agreements(list(partner.agreements.all()), today)


def session_figures(sessions: list[TrainingSession], enrolments: QuerySet, today: date) -> dict:
    """Per-session counts and rates, with the participant and outcome rules of trainings/selectors.py.

    Three queries whatever the number of sessions: counted enrolments, participants with their
    latest follow-up, and attended days. Attendance rate = days present or late / (counted
    enrolments x training days). Implementation rate = implemented / followed up. The totals count
    held sessions only (``trainings.selectors.is_held``); ``planned`` counts those not held yet.
    """
    enrolments = enrolments.order_by()
    counted = training_selectors.counted_enrolments(enrolments)
    enrolled = dict(counted.values("session_id").annotate(n=Count("id")).values_list("session_id", "n"))
    outcome_rows = training_selectors.participants(enrolments).values_list("session_id", "latest_status")
    attended = dict(
        Attendance.objects.filter(enrolment__in=counted.values("pk"), status__in=Attendance.ATTENDED)
        .order_by()
        .values("enrolment__session_id")
        .annotate(n=Count("id"))
        .values_list("enrolment__session_id", "n")
    )
    per_session = defaultdict(lambda: {"participants": 0, "followed_up": 0, "implemented": 0})
    for session_id, status in outcome_rows:
        row = per_session[session_id]
        row["participants"] += 1
        if status:
            row["followed_up"] += 1
            if training_selectors.is_implemented(status):
                row["implemented"] += 1
    totals = {"sessions": 0, "enrolled": 0, "participants": 0, "followed_up": 0, "implemented": 0, "planned": 0}
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
        if not training_selectors.is_held(session, today):
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


def partner_trainings(partner: Partner, today: date | None = None) -> tuple[list[TrainingSession], dict]:
    """The partner's sessions, latest first, and their totals as of ``today`` (default: the office's date)."""
    today = today or timezone.localdate(timezone=partner.office.tzinfo)
    sessions = list(
        TrainingSession.objects.filter(partner=partner)
        .select_related("training_type", "agreement")
        .order_by("-start_date", "-id")
    )
    totals = session_figures(sessions, Enrolment.objects.filter(session__partner=partner), today)
    return sessions, totals


def valid_agreement_for(partner, start: date, end: date) -> Agreement | None:
    """The agreement of a partner valid on every day from start to end (the one ending last), or None."""
    candidates = Agreement.objects.filter(partner=partner, start_date__lte=start, end_date__gte=end).exclude(
        terminated_on__lte=end
    )
    return candidates.order_by("-end_date", "-id").first()


def expiry_alerts(office, today: date | None = None) -> dict:
    """What the Admin and the Kasi must act on; ``office`` is an Office, its id, or None for all.

    - ``expiring_90``: ``expiring_agreements`` (not terminated, ending within 90 days from today,
      today included, not renewed yet), soonest first; ``expiring_30`` is the part of it ending
      within 30 days.
      Each row has ``days_left``.
    - ``partners_without_valid_agreement``: partners with PLANNED sessions that have not ended
      yet and for which no agreement of the partner is valid on all the session's dates; each
      partner has ``uncovered_sessions``.
    Three queries.
    """
    today = today or timezone.localdate()
    office_id = getattr(office, "pk", office)
    agreements = Agreement.objects.all()
    sessions = TrainingSession.objects.filter(status=TrainingSession.Status.PLANNED, end_date__gte=today)
    if office_id is not None:
        agreements = agreements.filter(office_id=office_id)
        sessions = sessions.filter(office_id=office_id)
    expiring = list(expiring_agreements(agreements, today).select_related("partner").order_by("end_date", "number"))
    for agreement in expiring:
        agreement.days_left = (agreement.end_date - today).days

    planned = list(sessions.select_related("partner").order_by("start_date", "id"))
    partner_ids = {s.partner_id for s in planned}
    by_partner = defaultdict(list)
    if partner_ids:
        for agreement in Agreement.objects.filter(partner_id__in=partner_ids).only(
            "id", "partner_id", "start_date", "end_date", "terminated_on"
        ):
            by_partner[agreement.partner_id].append(agreement)
    uncovered: dict[int, Partner] = {}
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
