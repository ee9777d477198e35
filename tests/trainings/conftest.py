"""Training fixtures: office A (Tangerang) with a partner under a valid PKS, a held one-day session
and a three-day session, Alice's and Paula's clients, and a client of office B (Bob's)."""

import datetime as dt

import pytest
from django.utils import translation

from clients.models import Client
from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    PartnerFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
)
from trainings.models import TrainingSession, TrainingType

DAY = dt.date(2023, 3, 21)


@pytest.fixture(autouse=True)
def _indonesian():
    """Services speak the user's language; outside a request that is the default, Indonesian."""
    with translation.override("id"):
        yield


@pytest.fixture
def partner_a(office_a):
    return PartnerFactory(office=office_a, code="GBI", name="GBI WTC Regency")


@pytest.fixture
def agreement_a(partner_a):
    return AgreementFactory(
        partner=partner_a,
        office=partner_a.office,
        number="W11.PAS.PAS1-PK.01.05-001",
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2030, 12, 31),
        bapas_signatory="Hendra",
        partner_signatory="Pdt. Yusuf Gunawan",
        partner_signatory_title="Ketua GBI WTC Regency",
    )


@pytest.fixture
def culinary(office_a):
    return TrainingTypeFactory(office=office_a, name="Bakso Instan", category=TrainingType.Category.CULINARY)


@pytest.fixture
def session_a(office_a, culinary, partner_a, agreement_a):
    """One-day culinary session of office A in the past, capacity 30."""
    return TrainingSessionFactory(
        office=office_a,
        code="PLT-0001",
        title="Pelatihan Bakso Instan",
        training_type=culinary,
        partner=partner_a,
        agreement=agreement_a,
        start_date=DAY,
        end_date=DAY,
        capacity=30,
        transport_per_day=50000,
        status=TrainingSession.Status.HELD,
    )


@pytest.fixture
def session_3days(office_a, culinary, partner_a, agreement_a):
    return TrainingSessionFactory(
        office=office_a,
        code="PLT-0002",
        title="Tata Boga",
        training_type=culinary,
        partner=partner_a,
        agreement=agreement_a,
        start_date=dt.date(2023, 5, 22),
        end_date=dt.date(2023, 5, 24),
        transport_per_day=40000,
        certificate_min_attendance=80,
    )


@pytest.fixture
def session_b(office_b):
    return TrainingSessionFactory(office=office_b, code="PLT-0001", title="Servis AC", start_date=DAY, end_date=DAY)


def active_client(office, officer, **kwargs):
    kwargs.setdefault("programme_start", dt.date(2022, 6, 1))
    kwargs.setdefault("programme_end", dt.date(2030, 6, 1))
    kwargs.setdefault("status", Client.Status.ACTIVE)
    return ClientFactory(office=office, officer=officer, **kwargs)


@pytest.fixture
def alice_client(office_a, alice):
    return active_client(office_a, alice, name="Agus Salim", interests="memasak, otomotif")


@pytest.fixture
def paula_client(office_a, paula):
    return active_client(office_a, paula, name="Putri Ayu")


@pytest.fixture
def bob_client(office_b, bob):
    return active_client(office_b, bob, name="Baso Daeng")


@pytest.fixture
def participant(session_a, alice_client):
    """Alice's client attended session A (one day present)."""
    enrolment = EnrolmentFactory(session=session_a, client=alice_client)
    AttendanceFactory(enrolment=enrolment, date=session_a.start_date)
    return enrolment
