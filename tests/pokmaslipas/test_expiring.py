"""Agreement status as of the earlier of the period's end and today; one meaning of "expiring".

- The agreements report of a period that is not over takes statuses as of today: an agreement
  running until later this year is EXPIRING (as its page says), not EXPIRED.
- "Expiring" for alerts and counts (``expiring_agreements``): status EXPIRING today, not terminated,
  not renewed by a later agreement. The office alerts and the regional dashboard count the same.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pokmaslipas.datasets import agreements_dataset
from reports.dashboards import regional_dashboard
from tests.factories import AgreementFactory, PartnerFactory
from trainings.selectors import expiry_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(office_a):
    return timezone.localdate(timezone=office_a.tzinfo)


@pytest.fixture
def agreements(office_a, today):
    partner = PartnerFactory(office=office_a, code="GBI", name="GBI WTC Regency")
    soon = AgreementFactory(partner=partner, number="PKS-SOON", end_date=today + dt.timedelta(days=21))
    renewed = AgreementFactory(partner=partner, number="PKS-OLD", end_date=today + dt.timedelta(days=10))
    AgreementFactory(
        partner=partner, number="PKS-NEW", renews=renewed, start_date=renewed.end_date + dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=400),
    )  # fmt: skip
    return {"soon": soon, "renewed": renewed}


def _period(today):
    """A period that is not over: from a month ago to two months ahead."""
    return {"date_from": today - dt.timedelta(days=30), "date_to": today + dt.timedelta(days=60)}


def test_report_of_a_running_period_takes_the_status_as_of_today(agreements, office_a, today):
    rows = {row["number"]: row for row in agreements_dataset(office=office_a, **_period(today))["agreements"]}
    assert rows["PKS-SOON"]["status"] == "EXPIRING"  # ends before `to`, but the period is not over
    assert rows["PKS-OLD"]["status"] == "EXPIRING" and rows["PKS-OLD"]["renewed_by"] == "PKS-NEW"
    assert rows["PKS-NEW"]["status"] == "ACTIVE" and rows["PKS-NEW"]["renewed_by"] is None


def test_report_of_a_past_period_takes_the_status_as_of_its_end(agreements, office_a, today):
    ended = today - dt.timedelta(days=1)
    data = agreements_dataset(office=office_a, date_from=ended - dt.timedelta(days=30), date_to=ended, today=today)
    assert {row["number"]: row["status"] for row in data["agreements"]}["PKS-SOON"] == "EXPIRING"
    later = agreements["soon"].end_date + dt.timedelta(days=5)
    data = agreements_dataset(office=office_a, date_from=today, date_to=later, today=later + dt.timedelta(days=1))
    assert {row["number"]: row["status"] for row in data["agreements"]}["PKS-SOON"] == "EXPIRED"


def test_report_page_and_agreement_page_agree(agreements, login, admin_a, today):
    period = _period(today)
    params = {"period": "range", "date_from": period["date_from"].isoformat(), "date_to": period["date_to"].isoformat()}
    client = login(admin_a)
    data = client.get(reverse("reports:download", args=["agreements", "json"]), params).json()
    status = {row["number"]: row["status"] for row in data["agreements"]}["PKS-SOON"]
    page = client.get(reverse("pokmaslipas:agreement_detail", args=[agreements["soon"].pk])).content.decode()
    assert status == "EXPIRING" and "Segera berakhir" in page


def test_alerts_and_regional_column_count_the_same_agreements(agreements, office_a, today):
    alerts = expiry_alerts(office_a, today)
    assert [a.number for a in alerts["expiring_90"]] == ["PKS-SOON"]  # the renewed one needs no action
    row = next(r for r in regional_dashboard(today=today)["rows"] if r["office"] == office_a)
    assert row["expiring"] == len(alerts["expiring_90"]) == 1
