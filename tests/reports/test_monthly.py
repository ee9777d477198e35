"""The monthly return: the same numbers as the compliance and participation reports for the month,
the Kasi's review and the Kepala Bapas's sign-off, the frozen snapshot, corrections as revisions,
the deadline, who may read it, and ``report monthly``."""

import csv
import datetime as dt
import io
import json
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from clients.compliance import compliance_dataset
from clients.models import Client, ReportingWarning
from reports.datasets import participation_dataset
from reports.models import MonthlyReturn
from reports.monthly import days_late, deadline, monthly_dataset, overview, parse_month, return_data
from tests.factories import ClientFactory, ReportingVisitFactory

pytestmark = pytest.mark.django_db


def last_month():
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Jakarta"))
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def month_data(office_a, alice):
    """Three active clients of office A, two reported last month, one ended in it, one warning."""
    first = last_month()
    reported_at = dt.datetime.combine(
        first + dt.timedelta(days=9), dt.time(10), tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")
    )
    clients = [ClientFactory(office=office_a, officer=alice) for _ in range(3)]
    for client in clients[:2]:
        ReportingVisitFactory(client=client, reported_at=reported_at, received_by=alice, work_status="FORMAL")
    ended = ClientFactory(office=office_a, officer=alice, status=Client.Status.COMPLETED,
                          status_date=first + dt.timedelta(days=14))  # fmt: skip
    ReportingWarning.objects.create(client=clients[2], level="SP1", issued_on=first + dt.timedelta(days=20),
                                    reason="Tidak lapor", issued_by=alice)  # fmt: skip
    return {"first": first, "clients": clients, "ended": ended}


def url(name, office="TNG", month=None):
    month = month or last_month()
    return reverse(f"reports:{name}", args=[office, month if isinstance(month, str) else f"{month:%Y-%m}"])


def test_the_return_has_the_reports_numbers_for_the_month(month_data, office_a, world):
    first = month_data["first"]
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    data = monthly_dataset(office_a, first)
    compliance = compliance_dataset(office=office_a, date_from=first, date_to=last)
    participation = participation_dataset(office=office_a, date_from=first, date_to=last)
    assert data["compliance"] == {k: compliance["totals"][k] for k in ("due", "reported", "missed", "rate")}
    assert data["trainings"] == {k: participation["totals"][k] for k in ("sessions", "participants")}
    assert data["compliance"]["due"] >= 3 and data["compliance"]["reported"] == 2
    assert data["warnings"] == {"SP1": 1, "SP2": 0, "SP3": 0}
    assert data["clients"]["ended"]["SELESAI"] == 1
    assert data["clients"]["by_work_status"]["FORMAL"] == 2
    assert data["clients"]["active_end"] == sum(data["clients"]["by_programme"].values())
    # a month of the hand-made world: its one session of March 2022 and its two participants
    march = monthly_dataset(office_a, dt.date(2022, 3, 1))
    assert march["trainings"] == {"sessions": 1, "participants": 2}


def test_review_then_sign_freezes_figures_and_pdf(month_data, office_a, login, kasi_a, kabapas_a, alice):
    assert login(kabapas_a).post(url("monthly_sign")).status_code == 302  # nothing reviewed: refused
    assert not MonthlyReturn.objects.filter(state="SIGNED").exists()
    assert login(kasi_a).post(url("monthly_review")).status_code == 302
    draft = MonthlyReturn.objects.get()
    assert draft.reviewed_by == kasi_a and draft.state == "DRAFT"
    assert login(kabapas_a).post(url("monthly_sign")).status_code == 302
    signed = MonthlyReturn.objects.get()
    assert signed.state == "SIGNED" and signed.signed_by == kabapas_a and signed.pdf
    assert signed.data["state"] == "SIGNED" and signed.data["signed_by"] == kabapas_a.username
    frozen = signed.data["compliance"]
    # the records change afterwards: the signed return does not
    ReportingVisitFactory(client=month_data["clients"][2], reported_at=timezone.make_aware(
        dt.datetime.combine(month_data["first"] + dt.timedelta(days=3), dt.time(9))), received_by=alice)  # fmt: skip
    assert monthly_dataset(office_a, month_data["first"])["compliance"]["reported"] == frozen["reported"] + 1
    assert return_data(office_a, month_data["first"])["compliance"] == frozen
    signed.reason = "changed"
    with pytest.raises(ValidationError):
        signed.save()
    with pytest.raises(ValidationError):
        signed.delete()
    page = login(kasi_a).get(url("monthly_detail"))
    assert page.context["data"]["state"] == "SIGNED" and page.context["can_correct"]
    pdf = login(kasi_a).get(url("monthly_pdf"))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_correction_is_a_new_revision_and_keeps_the_signed_one(month_data, office_a, login, kasi_a, kabapas_a):
    login(kasi_a).post(url("monthly_review"))
    login(kabapas_a).post(url("monthly_sign"))
    assert login(kasi_a).post(url("monthly_correct"), {"reason": ""}).status_code == 302
    assert MonthlyReturn.objects.count() == 1  # no reason: refused
    login(kasi_a).post(url("monthly_correct"), {"reason": "Satu klien tercatat ganda"})
    first, second = MonthlyReturn.objects.order_by("revision")
    assert (first.state, second.state, second.revision, second.reason) == ("SIGNED", "DRAFT", 2,
                                                                          "Satu klien tercatat ganda")  # fmt: skip
    assert return_data(office_a, month_data["first"])["revision"] == 1  # still the signed snapshot
    login(kasi_a).post(url("monthly_review"))
    login(kabapas_a).post(url("monthly_sign"))
    assert return_data(office_a, month_data["first"])["revision"] == 2
    assert MonthlyReturn.objects.filter(state="SIGNED").count() == 2


def test_a_month_not_over_cannot_be_reviewed(office_a, login, kasi_a):
    this_month = timezone.localdate().replace(day=1)
    login(kasi_a).post(url("monthly_review", month=this_month))
    assert not MonthlyReturn.objects.exists()


def test_deadline_is_the_fifth_or_the_setting(settings):
    assert deadline(dt.date(2026, 10, 1)) == dt.date(2026, 11, 5)
    assert deadline(dt.date(2026, 12, 1)) == dt.date(2027, 1, 5)
    assert days_late(dt.date(2026, 10, 1), signed_on=dt.date(2026, 11, 5), today=dt.date(2026, 11, 30)) == 0
    assert days_late(dt.date(2026, 10, 1), signed_on=dt.date(2026, 11, 8), today=dt.date(2026, 11, 30)) == 3
    assert days_late(dt.date(2026, 10, 1), signed_on=None, today=dt.date(2026, 11, 30)) == 25
    assert days_late(dt.date(2026, 10, 1), signed_on=None, today=dt.date(2026, 11, 2)) == 0
    settings.MONTHLY_RETURN_DEADLINE_DAY = 10
    assert deadline(dt.date(2026, 10, 1)) == dt.date(2026, 11, 10)


def test_overview_shows_signed_and_late_offices(month_data, office_a, office_b, kasi_a, kabapas_a):
    from reports.services import monthly_return_review, monthly_return_sign

    first = month_data["first"]
    monthly_return_review(office=office_a, month=first, user=kasi_a)
    monthly_return_sign(office=office_a, month=first, user=kabapas_a)
    MonthlyReturn.objects.filter(office=office_a).update(
        signed_at=timezone.make_aware(dt.datetime.combine(deadline(first) + dt.timedelta(days=2), dt.time(10)))
    )
    late_day = deadline(first) + dt.timedelta(days=4)
    rows = {row["office"].code: row for row in overview([office_a, office_b], first, today=late_day)}
    assert rows["TNG"]["revision"] is not None and rows["TNG"]["late_days"] == 2
    assert rows["BPN"]["revision"] is None and rows["BPN"]["late_days"] == 4


def test_who_reads_the_return(month_data, regions, login, alice, kasi_b, kartika, karim, rita, kasi_a):
    assert login(alice).get(url("monthly_detail")).status_code == 403
    assert login(kasi_b).get(url("monthly_detail")).status_code == 404
    assert login(karim).get(url("monthly_detail")).status_code == 404
    assert login(karim).get(url("monthly_pdf")).status_code == 404
    assert login(kartika).get(url("monthly_detail")).status_code == 200
    assert login(rita).get(url("monthly_detail", office="BPN")).status_code == 200
    assert login(kartika).post(url("monthly_review")).status_code == 403
    assert login(kasi_a).get(url("monthly_detail", month="2026-13")).status_code == 404
    listing = login(kartika).get(reverse("reports:monthly_list"), {"month": f"{last_month():%Y-%m}"})
    assert [row["office"].code for row in listing.context["rows"]] == ["TNG"]
    assert 'data-office="BPN"' not in listing.content.decode()


@pytest.fixture
def regions(region_a, region_b):
    return region_a, region_b


def test_report_monthly_command(month_data, office_a, capsysbinary, kasi_a, kabapas_a):
    month = f"{month_data['first']:%Y-%m}"
    call_command("report", "monthly", "--office", "TNG", "--month", month, "--format", "json")
    data = json.loads(capsysbinary.readouterr().out)
    for key in ("report", "office", "month", "state", "signed_by", "signed_at", "revision", "clients", "compliance",
                "warnings", "trainings", "follow_ups", "agreements"):  # fmt: skip
        assert key in data, key
    assert (data["report"], data["office"], data["month"], data["state"]) == ("monthly", "TNG", month, "DRAFT")
    for block in ("SELESAI", "DICABUT", "PINDAH", "MENINGGAL"):
        assert block in data["clients"]["ended"]
    call_command("report", "monthly", "--office", "TNG", "--month", month, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
    assert len(rows) == 1 and int(rows[0]["compliance_due"]) == data["compliance"]["due"]
    from reports.services import monthly_return_review, monthly_return_sign

    monthly_return_review(office=office_a, month=parse_month(month), user=kasi_a)
    monthly_return_sign(office=office_a, month=parse_month(month), user=kabapas_a)
    call_command("report", "monthly", "--office", "TNG", "--month", month, "--format", "json")
    signed = json.loads(capsysbinary.readouterr().out)
    assert signed["state"] == "SIGNED" and signed["signed_by"] == kabapas_a.username
    with pytest.raises(CommandError, match="--month"):
        call_command("report", "monthly", "--office", "TNG", "--month", "10-2026", "--format", "json")
    with pytest.raises(CommandError, match="--office"):
        call_command("report", "monthly", "--month", month, "--format", "json")
