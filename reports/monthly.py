"""The office's monthly return (*laporan bulanan*): one dataset function, the deadline, and the
return's state as the pages and the ``report monthly`` command show it.

Its compliance block is the compliance report for the month's first to last day, its training block
the participation report for the same dates, its agreements block the agreements report's statuses
on the month's last day (or today while the month runs): the same functions, so the same numbers.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.compliance import compliance_dataset
from clients.holding import held_on_q
from clients.models import Client, ReportingVisit, Transfer, WorkStatus
from pokmaslipas.datasets import agreements_dataset
from reports.datasets import participation_dataset
from reports.models import MonthlyReturn
from reports.periods import office_today
from trainings.models import FollowUp

ENDED = [Client.Status.COMPLETED, Client.Status.REVOKED, Client.Status.TRANSFERRED, Client.Status.DECEASED]


def parse_month(value: str) -> date:
    """``YYYY-MM`` as the month's first day; ValueError otherwise."""
    year, _sep, month = (value or "").partition("-")
    if len(year) != 4 or len(month) != 2 or not (year.isascii() and month.isascii()):
        raise ValueError(value)
    first = date(int(year), int(month), 1)
    if first.year < 2000:
        raise ValueError(value)
    return first


def month_bounds(first: date) -> tuple[date, date]:
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def deadline(first: date) -> date:
    """The return of a month is due signed by this day of the next month (setting, default the 5th)."""
    _first, last = month_bounds(first)
    following = last + timedelta(days=1)
    day = min(settings.MONTHLY_RETURN_DEADLINE_DAY, calendar.monthrange(following.year, following.month)[1])
    return following.replace(day=day)


def days_late(first: date, *, signed_on: date | None, today: date) -> int:
    """Days past the deadline: when signed, on the signing day; unsigned, today (0 when not late)."""
    return max(0, ((signed_on or today) - deadline(first)).days)


def monthly_dataset(office, first: date, *, today: date | None = None) -> dict:
    """The return's figures for ``office`` and the month starting on ``first`` (computed now)."""
    today = today or office_today(office)
    first, last = month_bounds(first)
    clients = Client.objects.filter(office=office)
    # A client transferred between offices counts where it was held on the month's last day (active),
    # on its programme start (new); leaving by transfer is an ended "PINDAH" of the sending office.
    active = (
        Client.objects.filter(held_on_q(office, last))
        .filter(programme_start__lte=last)
        .filter(Q(status=Client.Status.ACTIVE) | Q(status_date__gt=last))
    )
    latest_work = Subquery(
        ReportingVisit.objects.filter(client=OuterRef("pk"), report_date__lte=last)
        .order_by("-reported_at", "-pk")
        .values("work_status")[:1]
    )
    by_programme = dict(active.order_by().values_list("programme").annotate(n=Count("pk")))
    by_work = dict(
        active.annotate(work=Coalesce(latest_work, "work_status_start"))
        .order_by()
        .values_list("work")
        .annotate(n=Count("pk"))
    )
    ended = dict(
        clients.filter(status__in=ENDED, status_date__gte=first, status_date__lte=last)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    transferred_out = Transfer.objects.filter(
        from_office=office, state=Transfer.State.ACCEPTED, transfer_date__gte=first, transfer_date__lte=last
    ).count()
    if transferred_out:
        ended[Client.Status.TRANSFERRED.value] = ended.get(Client.Status.TRANSFERRED.value, 0) + transferred_out
    compliance = compliance_dataset(office=office, date_from=first, date_to=last, today=today)
    participation = participation_dataset(office=office, date_from=first, date_to=last, today=today)
    agreements = agreements_dataset(office=office, date_from=first, date_to=last, today=today)
    follow_ups = FollowUp.objects.filter(enrolment__session__office=office, date__gte=first, date__lte=last)
    statuses = [row["status"] for row in agreements["agreements"]]
    data = {
        "report": "monthly",
        "office": office.code,
        "month": f"{first:%Y-%m}",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "state": MonthlyReturn.State.DRAFT.value,
        "signed_by": None,
        "signed_at": None,
        "revision": 1,
        "clients": {
            "active_end": active.count(),
            "new": Client.objects.filter(held_on_q(office, "programme_start"))
            .filter(programme_start__gte=first, programme_start__lte=last)
            .count(),
            "ended": {status.value: ended.get(status.value, 0) for status in ENDED},
            "by_programme": {code: by_programme.get(code, 0) for code in Client.Programme.values},
            "by_work_status": {code: by_work.get(code, 0) for code in WorkStatus.values},
        },
        "compliance": {key: compliance["totals"][key] for key in ("due", "reported", "missed", "rate")},
        "warnings": compliance["warnings"],
        "trainings": {key: participation["totals"][key] for key in ("sessions", "participants")},
        "follow_ups": {
            "recorded": follow_ups.count(),
            "implemented": follow_ups.filter(status__in=FollowUp.IMPLEMENTED).count(),
        },
        # active: valid on the month's last day (or today), expiring ones included
        "agreements": {
            "active": statuses.count("ACTIVE") + statuses.count("EXPIRING"),
            "expiring": statuses.count("EXPIRING"),
        },
    }
    data["figures"] = [flat_figures(data)]
    return data


def flat_figures(data: dict) -> dict:
    """The return's figures as one flat row (the CSV's one row): ``clients_active_end``, ..."""
    row = {}
    for block in ("clients", "compliance", "warnings", "trainings", "follow_ups", "agreements"):
        for key, value in data[block].items():
            if isinstance(value, dict):
                for sub, number in value.items():
                    row[f"{block}_{key}_{sub}".lower()] = number
            else:
                row[f"{block}_{key}"] = value
    return row


def revisions(office, first: date):
    return MonthlyReturn.objects.filter(office=office, month=first).select_related("signed_by", "reviewed_by")


def current_revision(office, first: date) -> MonthlyReturn | None:
    """The latest revision (a correction in progress, or the signed return), or None."""
    return revisions(office, first).order_by("-revision").first()


def latest_signed(office, first: date) -> MonthlyReturn | None:
    return revisions(office, first).filter(state=MonthlyReturn.State.SIGNED).order_by("-revision").first()


def return_data(office, first: date, *, today: date | None = None) -> dict:
    """What the command and the pages give: the latest signed snapshot, else the figures now."""
    signed = latest_signed(office, first)
    if signed is not None:
        return signed.data
    current = current_revision(office, first)
    data = monthly_dataset(office, first, today=today)
    data["revision"] = current.revision if current is not None else 1
    return data


def overview(offices, first: date, *, today: date | None = None) -> list[dict]:
    """Per office: the latest signed revision, the deadline and how late it is (the viewers' page)."""
    signed = {}
    for row in MonthlyReturn.objects.filter(office__in=offices, month=first, state=MonthlyReturn.State.SIGNED).order_by(
        "office_id", "revision"
    ):
        signed[row.office_id] = row  # the last (highest) revision wins
    rows = []
    for office in offices:
        revision = signed.get(office.pk)
        signed_on = timezone.localtime(revision.signed_at, office.tzinfo).date() if revision else None
        day = today or office_today(office)
        rows.append(
            {
                "office": office,
                "revision": revision,
                "deadline": deadline(first),
                "signed_on": signed_on,
                "late_days": days_late(first, signed_on=signed_on, today=day)
                if revision or day > deadline(first)
                else 0,
                "due": day > month_bounds(first)[1],
            }
        )
    return rows
