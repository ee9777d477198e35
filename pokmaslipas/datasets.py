"""The agreements report (docs/INTERFACES.md section 3): one function feeds the page, JSON, CSV, XLSX and PDF."""

from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Case, F, IntegerField, Q, Subquery, Value, When
from django.utils import timezone

from bapas.access import office_q
from bapas.models import Office
from pokmaslipas.models import Agreement, Level, agreement_status, covering_q, owner_label, renewals, split_codes

STATUSES = [s.value for s in Agreement.Status]


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def status_day(date_to: date, office: Office | str | None, today: date | None = None) -> date:
    """The day a report's statuses are taken on: the period's end, or today when the period is not over.

    A report of this year must not call an agreement that is still running "expired" because it
    ends before 31 December. ``today`` defaults to the date in the office's time zone (``office``: an
    office or a time zone name; for a regional or national agreement in a report of several offices:
    the server's)."""
    zone = office.tzinfo if isinstance(office, Office) else ZoneInfo(office) if office else None
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
    # One query of plain values, the owners' codes and names joined: at national scale (thousands of
    # agreements) building model rows cost more than the query.
    fields = ("level", "number", "partner_number", "kind", "signed_on", "start_date", "end_date", "scope",
              "terminated_on")  # fmt: skip
    qs = (
        Agreement.objects.filter(_in_scope(office, region))
        .annotate(
            renewed_by=Subquery(renewals().order_by("-end_date", "-pk").values("number")[:1]),
            partner_name=F("partner__name"),
            partner_code=F("partner__code"),
            renews_number=F("renews__number"),
            office_code=F("office__code"),
            office_name=F("office__name"),
            office_zone=F("office__time_zone"),
            region_code=F("region__code"),
            region_province=F("region__province"),
        )
        .order_by(LEVEL_ORDER, "office__code", "region__code", "partner__name", "start_date", "number", "id")
        .values(*fields, "renewed_by", "partner_name", "partner_code", "renews_number", "office_code",
                "office_name", "office_zone", "region_code", "region_province")
    )  # fmt: skip
    days: dict = {}  # the status day in each owner office's time zone (the scope's for the others)
    scope_zone = office.time_zone if isinstance(office, Office) else None
    rows = []
    totals = {"agreements": 0, **dict.fromkeys(STATUSES, 0)}
    for a in qs:
        zone = a["office_zone"] or scope_zone
        if zone not in days:
            days[zone] = status_day(date_to, zone, today)
        status = str(agreement_status(a["end_date"], a["terminated_on"], days[zone]))
        totals["agreements"] += 1
        totals[status] += 1
        owner = owner_label(a["level"], office_name=a["office_name"] or "", province=a["region_province"] or "")
        rows.append(
            {
                "number": a["number"],
                "partner": a["partner_name"],
                "partner_code": a["partner_code"],
                "office": a["office_code"],
                "level": a["level"],
                "region": a["region_code"],
                "owner": owner,
                "start": a["start_date"].isoformat(),
                "end": a["end_date"].isoformat(),
                "status": status,
                "scope": split_codes(a["scope"]),
                "kind": a["kind"],
                "partner_number": a["partner_number"],
                "signed_on": a["signed_on"].isoformat() if a["signed_on"] else None,
                "terminated_on": a["terminated_on"].isoformat() if a["terminated_on"] else None,
                "renews": a["renews_number"],
                "renewed_by": a["renewed_by"],
                "overlaps_period": a["start_date"] <= date_to and a["end_date"] >= date_from,
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
