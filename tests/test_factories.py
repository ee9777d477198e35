import pytest

from tests.factories import AgreementFactory, AttendanceFactory, FollowUpFactory
from trainings.selectors import participants

pytestmark = pytest.mark.django_db


def test_factories_build_a_consistent_chain():
    attendance = AttendanceFactory()
    follow_up = FollowUpFactory(enrolment=attendance.enrolment, status="USAHA_SENDIRI")
    enrolment = follow_up.enrolment
    assert enrolment.client.office == enrolment.session.office == enrolment.session.partner.office
    row = participants().get(pk=enrolment.pk)
    assert row.latest_status == "USAHA_SENDIRI"
    agreement = AgreementFactory()
    assert agreement.office == agreement.partner.office
