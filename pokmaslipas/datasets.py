"""The agreements report (docs/INTERFACES.md section 3): one function feeds the page, JSON, CSV, XLSX and PDF."""

from datetime import date

from django.db.models import Case, IntegerField, Q, Subquery, Value, When
from django.utils import timezone

from bapas.access import office_q
from bapas.models import Office
from pokmaslipas.models import Agreement, Level, covering_q, renewals

STATUSES = [s.value for s in Agreement.Status]


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def status_day(date_to: date, office: Office | None, today: date | None = None) -> date:
    """The day a report's statuses are taken on: the period's end, or today when the period is not over.

    A report of this year must not call an agreement that is still running "expired" because it
    ends before 31 December. ``today`` defaults to the date in the office's time zone (for a regional
    or national agreement in a report of several offices: the server's)."""
    zone = office.tzinfo if isinstance(office, Office) else None
    return min(date_to, today or timezone.localdate(timezone=zone))


def _in_scope(office, region) -> Q:
    """An office's own agreements and those of its region and the nation (the ones it works under); a
    region's offices' agreements, the region's own and the national ones; or every agreement."""
    if office is not None:
        return covering_q(office)
    if region is not None:
        region_id = getattr(region, "pk", region)
        return office_q(region=region) | Q(level=Level.REGION, region_id=region_id) | Q(level=Level.NATION)
    return Q()


LEVEL_ORDER = Case(
    When(level=Level.OFFICE, then=Value(0)), When(level=Level.REGION, then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)  # fmt: skip


def agreements_dataset(*, office=None, date_from, date_to, today: date | None = None, region=None) -> dict:
    """Every agreement of the office (or of one region's offices, or of all) with its status as of
    ``status_day``, followed by the regional and national agreements the office or region works under.

    ``office`` is an Office, an office code or None (the offices of ``region``, or all offices). Rows are
    ordered by level (office, region, nation), office, partner and start date. ``level`` is ``OFFICE``,
    ``REGION`` or ``NATION``; ``office`` and ``region`` name the owner (the other is null). ``overlaps_period`` tells whether the agreement's validity overlaps
    [from, to]; ``renewed_by`` names the later agreement that renews it (an EXPIRING agreement that
    is renewed needs no action: ``pokmaslipas.models.expiring_agreements`` leaves it out). One query.
    """
    date_from, date_to = _as_date(date_from), _as_date(date_to)
    if isinstance(office, str):
        office = Office.objects.get(code=office.upper())
    qs = (
        Agreement.objects.select_related("partner", "office", "region", "renews")
        .annotate(renewed_by=Subquery(renewals().order_by("-end_date", "-pk").values("number")[:1]))
        .order_by(LEVEL_ORDER, "office__code", "region__code", "partner__name", "start_date", "number", "id")
    )
    qs = qs.filter(_in_scope(office, region))
    rows = []
    totals = {"agreements": 0, **dict.fromkeys(STATUSES, 0)}
    for agreement in qs:
        status = str(agreement.status_on(status_day(date_to, agreement.office or office, today)))
        totals["agreements"] += 1
        totals[status] += 1
        rows.append(
            {
                "number": agreement.number,
                "partner": agreement.partner.name,
                "partner_code": agreement.partner.code,
                "office": agreement.office.code if agreement.office_id else None,
                "level": agreement.level,
                "region": agreement.region.code if agreement.region_id else None,
                "owner": agreement.owner_name,
                "start": agreement.start_date.isoformat(),
                "end": agreement.end_date.isoformat(),
                "status": status,
                "scope": agreement.scope_list,
                "kind": agreement.kind,
                "partner_number": agreement.partner_number,
                "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
                "terminated_on": agreement.terminated_on.isoformat() if agreement.terminated_on else None,
                "renews": agreement.renews.number if agreement.renews_id else None,
                "renewed_by": agreement.renewed_by,
                "overlaps_period": agreement.start_date <= date_to and agreement.end_date >= date_from,
            }
        )
    return {
        "report": "agreements",
        "office": office.code if office is not None else None,
        "region": getattr(region, "code", region) if office is None and region is not None else None,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "agreements": rows,
        "totals": totals,
    }
