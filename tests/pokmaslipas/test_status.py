"""Agreement status on its date boundaries, in the model, the list annotation and the report."""

import datetime as dt

import pytest

from pokmaslipas.datasets import agreements_dataset
from pokmaslipas.models import Agreement
from pokmaslipas.selectors import PartnerStatus, agreements_with_status, partner_list
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db

END = dt.date(2024, 6, 30)
S = Agreement.Status


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (END - dt.timedelta(days=91), S.ACTIVE),  # 91 days before the end: not yet expiring
        (END - dt.timedelta(days=90), S.EXPIRING),  # exactly 90 days
        (END - dt.timedelta(days=1), S.EXPIRING),  # the day before the end
        (END, S.EXPIRING),  # the day of the end: still valid
        (END + dt.timedelta(days=1), S.EXPIRED),  # the day after
    ],
)
def test_status_on_date_boundaries(office_a, as_of, expected):
    agreement = AgreementFactory(partner__office=office_a, start_date=dt.date(2022, 7, 1), end_date=END)
    assert agreement.status_on(as_of) == expected
    annotated = agreements_with_status(Agreement.objects.filter(pk=agreement.pk), as_of).get()
    assert annotated.current_status == expected
    dataset = agreements_dataset(office=office_a, date_from=dt.date(2024, 1, 1), date_to=as_of)
    assert dataset["agreements"][0]["status"] == expected


def test_terminated_from_its_termination_day(office_a):
    agreement = AgreementFactory(
        partner__office=office_a, start_date=dt.date(2022, 7, 1), end_date=END, terminated_on=dt.date(2023, 3, 1)
    )
    assert agreement.status_on(dt.date(2023, 2, 28)) == S.ACTIVE
    assert agreement.status_on(dt.date(2023, 3, 1)) == S.TERMINATED
    assert agreements_with_status(Agreement.objects.all(), dt.date(2023, 2, 28)).get().current_status == S.ACTIVE
    assert agreements_with_status(Agreement.objects.all(), dt.date(2023, 3, 1)).get().current_status == S.TERMINATED


def test_partner_status_follows_latest_agreement_in_force(office_a):
    today = dt.date(2024, 1, 10)
    active = PartnerFactory(office=office_a, name="A aktif")
    AgreementFactory(partner=active, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31))
    AgreementFactory(partner=active, start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31), renews=None)
    expiring = PartnerFactory(office=office_a, name="B segera")
    AgreementFactory(partner=expiring, start_date=dt.date(2023, 1, 1), end_date=today + dt.timedelta(days=90))
    expired = PartnerFactory(office=office_a, name="C habis")
    AgreementFactory(partner=expired, start_date=dt.date(2022, 1, 1), end_date=today - dt.timedelta(days=1))
    terminated = PartnerFactory(office=office_a, name="D diakhiri")
    AgreementFactory(
        partner=terminated, start_date=dt.date(2023, 1, 1), end_date=dt.date(2026, 1, 1), terminated_on=today
    )
    never = PartnerFactory(office=office_a, name="E belum")
    rows = {p.pk: p.agreement_status for p in partner_list(office_a.partners.all(), today=today)}
    assert rows == {
        active.pk: PartnerStatus.ACTIVE,
        expiring.pk: PartnerStatus.EXPIRING,
        expired.pk: PartnerStatus.NO_VALID,
        terminated.pk: PartnerStatus.NO_VALID,
        never.pk: PartnerStatus.NONE,
    }
    only_expiring = partner_list(office_a.partners.all(), today=today, status=PartnerStatus.EXPIRING)
    assert [p.pk for p in only_expiring] == [expiring.pk]


def test_is_valid_between(office_a):
    agreement = AgreementFactory(
        partner__office=office_a, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    assert agreement.is_valid_between(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert not agreement.is_valid_between(dt.date(2022, 12, 31), dt.date(2023, 1, 2))
    assert not agreement.is_valid_between(dt.date(2023, 12, 30), dt.date(2024, 1, 1))
