"""A hand-made office A with two trainings whose every number is worked out in the tests.

Session S1 "Barista" (2022-03-30, 1 day, introduction, Rp4.000.000, partner Kopi):
  c1 present (Rp50.000), c2 late (Rp50.000), c3 absent, c4 withdrawn (present, Rp50.000: not counted).
  Follow-ups: c1 side income then not applied (latest), c2 unreachable, c3 own business (ignored).
Session S2 "Make-Up" (2023-06-19..21, 3 days, apprenticeship, Rp900.000, partner Salon):
  c1 present, excused, present (Rp75.000 each present day), matched interest; c5 (woman, CB) present 3 days.
  Follow-up: c1 works in the field.
A cancelled session in 2023 and one session of office B are there too.
"""

import datetime as dt

import pytest

from tests.factories import (
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    PartnerFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
)
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

PERIOD = {"date_from": dt.date(2022, 1, 1), "date_to": dt.date(2023, 12, 31)}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "reports", "imports"],
        }
    }
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}  # fmt: skip


def _attend(enrolment, day, status=Attendance.Status.PRESENT, paid=0):
    return AttendanceFactory(enrolment=enrolment, date=day, status=status, transport_paid=paid)


@pytest.fixture
def world(office_a, office_b, alice, paula, bob):
    barista = TrainingTypeFactory(office=office_a, name="Barista", category=TrainingType.Category.CULINARY)
    makeup = TrainingTypeFactory(office=office_a, name="Make-Up Artis", category=TrainingType.Category.BEAUTY)
    kopi = PartnerFactory(office=office_a, code="KOPI", name="Mitra Kopi Nusantara")
    salon = PartnerFactory(office=office_a, code="SALON", name="Mitra Salon Cantik")
    s1 = TrainingSessionFactory(
        office=office_a,
        code="PLT-S1",
        title="Pelatihan Barista",
        training_type=barista,
        partner=kopi,
        start_date=dt.date(2022, 3, 30),
        end_date=dt.date(2022, 3, 30),
        method=TrainingSession.Method.INTRODUCTION,
        budget=4_000_000,
        location="Aula Bapas",
    )
    s2 = TrainingSessionFactory(
        office=office_a,
        code="PLT-S2",
        title="Pelatihan Make-Up",
        training_type=makeup,
        partner=salon,
        start_date=dt.date(2023, 6, 19),
        end_date=dt.date(2023, 6, 21),
        method=TrainingSession.Method.APPRENTICESHIP,
        budget=900_000,
    )
    TrainingSessionFactory(
        office=office_a, code="PLT-X", training_type=barista, partner=kopi, start_date=dt.date(2023, 8, 1),
        status=TrainingSession.Status.CANCELLED,
    )  # fmt: skip
    c1 = ClientFactory(office=office_a, officer=alice, name="Slamet Riyadi", nik="3671010101900001",
                       register_number="PAS.00001/2022")  # fmt: skip
    c2 = ClientFactory(office=office_a, officer=paula, name="Joko Susanto", nik="3671010101900002",
                       register_number="PAS.00002/2022", domicile="DESA")  # fmt: skip
    c3 = ClientFactory(office=office_a, officer=alice, name="Bambang Wibowo", register_number="PAS.00003/2022")
    c4 = ClientFactory(office=office_a, officer=alice, name="Hendro Kusumo", register_number="PAS.00004/2022")
    c5 = ClientFactory(office=office_a, officer=alice, name="Sri Wahyuni", sex="P", programme="CB",
                       register_number="PAS.00005/2023", nik="3671010101900005")  # fmt: skip
    e1 = EnrolmentFactory(session=s1, client=c1)
    e2 = EnrolmentFactory(session=s1, client=c2)
    e3 = EnrolmentFactory(session=s1, client=c3)
    e4 = EnrolmentFactory(session=s1, client=c4, status=Enrolment.Status.WITHDRAWN)
    _attend(e1, s1.start_date, paid=50_000)
    _attend(e2, s1.start_date, Attendance.Status.LATE, paid=50_000)
    _attend(e3, s1.start_date, Attendance.Status.ABSENT)
    _attend(e4, s1.start_date, paid=50_000)
    FollowUpFactory(enrolment=e1, date=dt.date(2022, 5, 1), status=FollowUp.Status.SIDE_INCOME)
    FollowUpFactory(enrolment=e1, date=dt.date(2022, 10, 1), status=FollowUp.Status.NOT_APPLIED)
    FollowUpFactory(enrolment=e2, date=dt.date(2022, 5, 1), status=FollowUp.Status.UNREACHABLE)
    FollowUpFactory(enrolment=e3, date=dt.date(2022, 5, 1), status=FollowUp.Status.OWN_BUSINESS)
    e5 = EnrolmentFactory(session=s2, client=c1, matched_interest=True)
    e6 = EnrolmentFactory(session=s2, client=c5)
    for day, status in zip(s2.dates(), ["HADIR", "IZIN", "HADIR"], strict=True):
        _attend(e5, day, status, paid=75_000 if status == "HADIR" else 0)
    for day in s2.dates():
        _attend(e6, day, paid=75_000)
    FollowUpFactory(enrolment=e5, date=dt.date(2023, 8, 1), status=FollowUp.Status.WORKS_IN_FIELD)
    # Office B: one participant in 2023, outside office A's figures.
    sb = TrainingSessionFactory(office=office_b, code="PLT-B1", title="Servis AC", start_date=dt.date(2023, 2, 1))
    cb = ClientFactory(office=office_b, officer=bob, name="Yohanes Pardede", nik="6471010101900009",
                       register_number="BPN.00009/2023")  # fmt: skip
    _attend(EnrolmentFactory(session=sb, client=cb), sb.start_date)
    return {
        "s1": s1, "s2": s2, "sb": sb, "clients": [c1, c2, c3, c4, c5, cb],
        "c1": c1, "c2": c2, "c5": c5, "kopi": kopi, "salon": salon, "barista": barista, "makeup": makeup,
    }  # fmt: skip


def grow(office, n_sessions=3, per_session=4):
    """More rows of the same shape: query counts must not change."""
    for i in range(n_sessions):
        session = TrainingSessionFactory(office=office, start_date=dt.date(2023, 1, 10) + dt.timedelta(days=i))
        for _ in range(per_session):
            enrolment = EnrolmentFactory(session=session)
            _attend(enrolment, session.start_date)
            FollowUpFactory(enrolment=enrolment, status=FollowUp.Status.OWN_BUSINESS)
