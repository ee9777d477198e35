"""The PK's motivation rating (1-5) at enrolment: kept, described, and locked once the training starts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ClientFactory, EnrolmentFactory, TrainingSessionFactory
from trainings import services
from trainings.models import FOLLOW_UP_MONTHS, Enrolment


def _session(office, start):
    return TrainingSessionFactory(office=office, start_date=start, end_date=start + dt.timedelta(days=1))


def test_levels_are_one_to_five_with_a_description():
    assert [value for value, _label in Enrolment.Motivation.choices] == [1, 2, 3, 4, 5]
    assert all(len(str(label)) > 10 for _value, label in Enrolment.Motivation.choices)


def test_enrolment_keeps_the_rating(alice):
    session = _session(alice.office, timezone.localdate() + dt.timedelta(days=10))
    client = ClientFactory(office=alice.office, officer=alice)
    enrolment, _warnings = services.enrolment_create(session=session, client=client, user=alice, motivation=4)
    enrolment.refresh_from_db()
    assert enrolment.motivation == 4


def test_rating_can_change_before_the_start_and_is_locked_from_the_first_day(alice):
    today = timezone.localdate()
    planned = EnrolmentFactory(session=_session(alice.office, today + dt.timedelta(days=3)), motivation=2)
    services.enrolment_set_motivation(enrolment=planned, motivation=5, user=alice)
    planned.refresh_from_db()
    assert planned.motivation == 5
    started = EnrolmentFactory(session=_session(alice.office, today), motivation=2)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_set_motivation(enrolment=started, motivation=5, user=alice)
    assert "motivation" in caught.value.message_dict
    started.refresh_from_db()
    assert started.motivation == 2


def test_follow_ups_reach_twelve_months():
    assert FOLLOW_UP_MONTHS == (1, 3, 6, 12)
