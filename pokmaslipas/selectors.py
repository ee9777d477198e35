"""Read-side queries of the Pokmaslipas app: statuses, lists, the partner page and expiry alerts.

Agreement status follows docs/INTERFACES.md section 3 (the same rule as ``Agreement.status_on``):
TERMINATED when ended early on or before the date, EXPIRED when the end date is before it,
EXPIRING when it ends within 90 days, otherwise ACTIVE.
"""

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from pokmaslipas import models
from pokmaslipas.models import EXPIRING_DAYS, Agreement, Partner

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
    qs = agreements_with_status(qs.select_related("partner", "renews", "region"), today)
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
    qs = (
        qs.select_related("region")
        .annotate(
            agreement_count=Count("agreements"),
            current_end=Max("agreements__end_date", filter=in_force),
        )
        .annotate(
            agreement_status=Case(
                When(agreement_count=0, then=Value(PartnerStatus.NONE)),
                When(current_end__gt=today + timedelta(days=EXPIRING_DAYS), then=Value(PartnerStatus.ACTIVE)),
                When(current_end__gte=today, then=Value(PartnerStatus.EXPIRING)),
                default=Value(PartnerStatus.NO_VALID),
                output_field=CharField(),
            )
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


def annotate_agreements(agreements: list[Any], today: date) -> list[Agreement]:
    """Status today, the agreement renewed and the renewals, from one loaded list; current first.

    Each Agreement gets ``status_today``, ``renewed_by``, ``renews_obj`` and ``not_started``.
    """
    by_id: dict[int | None, Any] = {a.pk: a for a in agreements}
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


def valid_agreement_for(partner, start: date, end: date) -> Agreement | None:
    """The agreement of a partner valid on every day from start to end (the one ending last), or None."""
    candidates = Agreement.objects.filter(partner=partner, start_date__lte=start, end_date__gte=end).exclude(
        terminated_on__lte=end
    )
    return candidates.order_by("-end_date", "-id").first()


def expiring_agreements(office, today: date) -> list[Agreement]:
    """The agreements of an office that need renewing (``pokmaslipas.models.expiring_agreements``: not
    terminated, ending within 90 days from today, today included, not renewed yet), soonest first,
    each with ``days_left``; ``office`` is an Office, its id, or None for all. One query.

    An office's alerts count its own agreements only: a regional or national agreement is renewed by
    its Admin Kanwil or Admin Ditjenpas (``expiring_among``), the office Admin reads it as a note.
    """
    agreements = Agreement.objects.all()
    office_id = getattr(office, "pk", office)
    if office_id is not None:
        agreements = agreements.filter(office_id=office_id)
    return expiring_among(agreements, today)


def expiring_among(agreements: QuerySet, today: date) -> list[Agreement]:
    """``expiring_agreements`` over any set of agreements (a region's, the national ones). One query."""
    expiring = list(
        models.expiring_agreements(agreements, today)
        .select_related("partner", "office", "region")
        .order_by("end_date", "number")
    )
    for agreement in expiring:
        agreement.days_left = (agreement.end_date - today).days
    return expiring
