import datetime as dt

import pytest
from django.template.loader import render_to_string

from pokmaslipas.selectors import valid_agreement_for
from tests.factories import AgreementFactory, PartnerFactory, TrainingSessionFactory
from trainings.models import TrainingSession
from trainings.selectors import expiry_alerts

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 5, 1)


def days(n):
    return TODAY + dt.timedelta(days=n)


def test_expiring_within_30_and_90_days(office_a, office_b, django_assert_max_num_queries):
    partner = PartnerFactory(office=office_a)
    start = dt.date(2023, 1, 1)
    in_0 = AgreementFactory(partner=partner, number="E-0", start_date=start, end_date=TODAY)
    in_30 = AgreementFactory(partner=partner, number="E-30", start_date=start, end_date=days(30))
    in_31 = AgreementFactory(partner=partner, number="E-31", start_date=start, end_date=days(31))
    in_90 = AgreementFactory(partner=partner, number="E-90", start_date=start, end_date=days(90))
    AgreementFactory(partner=partner, number="E-91", start_date=start, end_date=days(91))
    AgreementFactory(partner=partner, number="GONE", start_date=start, end_date=days(-1))
    AgreementFactory(partner=partner, number="STOP", start_date=start, end_date=days(10), terminated_on=days(-5))
    AgreementFactory(partner__office=office_b, number="OTHER", start_date=start, end_date=days(10))
    # renewed already: nothing left to do
    renewed = AgreementFactory(partner=partner, number="OLD", start_date=start, end_date=days(20))
    AgreementFactory(partner=partner, number="NEW", renews=renewed, start_date=days(21), end_date=days(400))

    with django_assert_max_num_queries(3):
        alerts = expiry_alerts(office_a, TODAY)
    assert [a.number for a in alerts["expiring_30"]] == ["E-0", "E-30"]
    assert [a.number for a in alerts["expiring_90"]] == ["E-0", "E-30", "E-31", "E-90"]
    assert [a.days_left for a in alerts["expiring_90"]] == [0, 30, 31, 90]
    assert {in_0.pk, in_30.pk, in_31.pk, in_90.pk} == {a.pk for a in alerts["expiring_90"]}


def test_partners_with_planned_trainings_and_no_valid_agreement(office_a):
    covered = PartnerFactory(office=office_a, name="Tertutup")
    AgreementFactory(partner=covered, start_date=days(-100), end_date=days(100))
    TrainingSessionFactory(office=office_a, partner=covered, start_date=days(10), end_date=days(12))

    gap = PartnerFactory(office=office_a, name="Celah")
    AgreementFactory(partner=gap, start_date=days(-100), end_date=days(11))  # ends during the session
    AgreementFactory(partner=gap, number="STOPPED", start_date=days(-100), end_date=days(300), terminated_on=days(-1))
    uncovered = TrainingSessionFactory(
        office=office_a, partner=gap, start_date=days(10), end_date=days(12), title="Barista"
    )

    none = PartnerFactory(office=office_a, name="Tanpa PKS")
    TrainingSessionFactory(office=office_a, partner=none, start_date=days(5))
    # not counted: held, cancelled or past sessions
    past = PartnerFactory(office=office_a, name="Lampau")
    TrainingSessionFactory(office=office_a, partner=past, start_date=days(-30))
    TrainingSessionFactory(office=office_a, partner=past, start_date=days(30), status=TrainingSession.Status.CANCELLED)

    alerts = expiry_alerts(office_a.pk, TODAY)
    partners = alerts["partners_without_valid_agreement"]
    assert [p.name for p in partners] == ["Celah", "Tanpa PKS"]
    assert partners[0].uncovered_sessions == [uncovered]
    assert valid_agreement_for(covered, days(10), days(12)) is not None
    assert valid_agreement_for(gap, days(10), days(12)) is None


def test_alerts_partial_renders_lists_and_empty_states(office_a):
    partner = PartnerFactory(office=office_a, name="Mitra Kopi")
    AgreementFactory(partner=partner, number="PKS/KOPI/1", start_date=days(-300), end_date=days(15))
    html = render_to_string("pokmaslipas/_alerts.html", {"alerts": expiry_alerts(office_a, TODAY)})
    assert "PKS/KOPI/1" in html
    assert "Mitra Kopi" in html
    empty = render_to_string("pokmaslipas/_alerts.html", {"alerts": expiry_alerts(None, dt.date(2000, 1, 1))})
    assert "PKS/KOPI/1" not in empty
