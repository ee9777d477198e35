"""A study in office A whose truth is worked out: 12 one-day sessions in the first half of 2023.

Sessions alternate PENGENALAN / PRAKTIK, and culinary / beauty every two sessions (so method and
category vary independently). Five participants each (PB, men born 1990, programme 2022-06-01 to
2025-12-31). The follow-up six months after the session: in a PRAKTIK session 4 of 5 apply the
skill, in a PENGENALAN session 1 of 5; the last participant of the first session has none (missing).
Everybody reports at the horizon: participants working formally; ten non-participants of office A
with the same traits, half of them working (one visit each near every session's horizon).
"""

import datetime as dt
from datetime import UTC, datetime

from bapas.arithmetic import add_months
from clients.models import ReportingVisit, WorkStatus
from tests.factories import (
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
)
from trainings.models import FollowUp, TrainingSession, TrainingType

PROGRAMME = {"programme_start": dt.date(2022, 6, 1), "programme_end": dt.date(2025, 12, 31), "sex": "L",
             "birth_date": dt.date(1990, 5, 17), "programme": "PB"}  # fmt: skip


def _visit(client, day, status):
    ReportingVisit.objects.create(
        client=client, reported_at=datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC), work_status=status
    )


def build_study(office, sessions=12, per_session=5, start=dt.date(2023, 1, 9), visits=True):
    types = {
        TrainingType.Category.CULINARY: TrainingTypeFactory(office=office, name="Bakso", category="KULINER"),
        TrainingType.Category.BEAUTY: TrainingTypeFactory(office=office, name="Make-Up", category="KECANTIKAN"),
    }
    made = []
    for i in range(sessions):
        practice = i % 2 == 1
        day = start + dt.timedelta(days=14 * i)
        session = TrainingSessionFactory(
            office=office,
            start_date=day,
            training_type=types["KULINER" if (i // 2) % 2 == 0 else "KECANTIKAN"],
            method=TrainingSession.Method.PRACTICE if practice else TrainingSession.Method.INTRODUCTION,
        )
        made.append(session)
        for k in range(per_session):
            client = ClientFactory(office=office, **PROGRAMME)
            enrolment = EnrolmentFactory(session=session, client=client)
            AttendanceFactory(enrolment=enrolment)
            if i == 0 and k == per_session - 1:
                continue  # missing: no follow-up
            applied = k < 4 if practice else k < 1
            status = FollowUp.Status.OWN_BUSINESS if applied else FollowUp.Status.NOT_APPLIED
            FollowUpFactory(enrolment=enrolment, date=add_months(session.end_date, 6), status=status)
            if visits:
                _visit(client, add_months(session.end_date, 6), WorkStatus.FORMAL)
    if visits:
        others = [ClientFactory(office=office, **PROGRAMME) for _ in range(10)]
        horizons = sorted({add_months(s.end_date, 6) for s in made})
        for n, client in enumerate(others):
            for day in horizons:
                _visit(client, day, WorkStatus.FORMAL if n % 2 else WorkStatus.NOT_WORKING)
    return made
