"""load_demo: the paper's figures (2022: 4 sessions, 69 participants; 2023: 6 and 110) and its findings."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from bapas.models import User
from trainings import selectors
from trainings.models import Enrolment, FollowUp, TrainingSession
from trainings.worklist import follow_ups_due

pytestmark = pytest.mark.django_db


def year_figures(office, year):
    sessions = selectors.sessions_in_period(
        TrainingSession.objects.filter(office__code=office), dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    enrolments = Enrolment.objects.filter(session__in=sessions)
    return sessions.count(), selectors.participants(enrolments).count()


def test_demo_matches_the_paper_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    assert year_figures("TNG", 2022) == (4, 69)
    assert year_figures("TNG", 2023) == (6, 110)
    both = Enrolment.objects.filter(
        session__in=selectors.sessions_in_period(
            TrainingSession.objects.filter(office__code="TNG"), dt.date(2022, 1, 1), dt.date(2023, 12, 31)
        )
    )
    assert selectors.participants(both).values("client").distinct().count() == 150
    barista = Enrolment.objects.filter(session__office__code="TNG", session__training_type__name="Barista")
    assert selectors.participants(barista).count() == 40
    assert selectors.implementation_summary(barista)["implemented"] == 0
    for name in ("Make-Up Artis", "Pijat Refleksi"):
        summary = selectors.implementation_summary(Enrolment.objects.filter(session__training_type__name=name))
        assert summary["implemented"] >= 3, name
    canteen = FollowUp.objects.filter(status=FollowUp.Status.OWN_BUSINESS, notes__icontains="Kantin Klien Berkarya")
    assert canteen.values("enrolment__client").distinct().count() == 1
    assert TrainingSession.objects.filter(office__code="BPN", status=TrainingSession.Status.HELD).count() >= 4
    today = timezone.localdate()
    assert TrainingSession.objects.filter(office__code="TNG", status="PLANNED", start_date__gt=today).count() >= 2
    assert TrainingSession.objects.filter(office__code="BPN", status="PLANNED", start_date__gt=today).count() >= 2
    due = follow_ups_due(officer=User.objects.get(username="pk1.tng"), today=today)
    due += follow_ups_due(officer=User.objects.get(username="pk2.tng"), today=today)
    assert due and all(row["milestone_months"] == 1 for row in due)
    enrolments = Enrolment.objects.select_related("client", "session__training_type")
    flags = [
        (e.matched_interest, selectors.interest_matches(e.client.interest_list, e.session.training_type))
        for e in enrolments
    ]
    assert all(stored == rule for stored, rule in flags) and any(stored for stored, _rule in flags)
    before = (Enrolment.objects.count(), FollowUp.objects.count(), TrainingSession.objects.count())
    certificates = sorted(
        Enrolment.objects.exclude(certificate_number=None).values_list("certificate_number", flat=True)
    )
    call_command("load_demo", verbosity=0)
    assert (Enrolment.objects.count(), FollowUp.objects.count(), TrainingSession.objects.count()) == before
    assert (
        sorted(Enrolment.objects.exclude(certificate_number=None).values_list("certificate_number", flat=True))
        == certificates
    )
    assert year_figures("TNG", 2022) == (4, 69)
