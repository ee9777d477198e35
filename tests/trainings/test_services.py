"""Rules of the services, including every case of the issue's "bad input" list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bapas.arithmetic import add_months
from clients.models import Client, ReportingVisit
from tests.factories import AgreementFactory, AttendanceFactory, EnrolmentFactory, TrainingSessionFactory
from tests.trainings.conftest import DAY, active_client
from trainings import services
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 1, 10)


def plan(user, **overrides):
    fields = {
        "title": "Pelatihan Barista",
        "start_date": dt.date(2024, 6, 20),
        "end_date": dt.date(2024, 6, 20),
        "location_kind": TrainingSession.LocationKind.HALL,
        "certificate_min_attendance": 80,
        "issues_certificate": True,
    }
    fields.update(overrides)
    return services.session_create(user=user, **fields)


# --- sessions ---------------------------------------------------------------------------------
def test_session_under_a_valid_agreement_has_no_warning(kasubsi_a, culinary, partner_a, agreement_a):
    session, warnings = plan(kasubsi_a, training_type=culinary, partner=partner_a, agreement=agreement_a)
    assert warnings == []
    assert session.code == "PLT-0001" and session.status == TrainingSession.Status.PLANNED
    assert session.history.first().history_user == kasubsi_a


def test_session_outside_agreement_validity_warns(kasubsi_a, culinary, partner_a, agreement_a):
    session, warnings = plan(
        kasubsi_a,
        training_type=culinary,
        partner=partner_a,
        agreement=agreement_a,
        start_date=dt.date(2031, 1, 5),
        end_date=dt.date(2031, 1, 6),
    )
    assert session.pk and len(warnings) == 1 and agreement_a.number in warnings[0]


def test_session_without_agreement_refused_unless_kasi(kasubsi_a, kasi_a, culinary, partner_a):
    with pytest.raises(ValidationError) as exc:
        plan(kasubsi_a, training_type=culinary, partner=partner_a, agreement=None)
    assert "agreement" in exc.value.message_dict
    assert not TrainingSession.objects.exists()
    session, warnings = plan(kasi_a, training_type=culinary, partner=partner_a, agreement=None)
    assert session.pk and warnings


def test_session_agreement_of_another_partner_refused(kasubsi_a, culinary, partner_a, office_a):
    other = AgreementFactory(partner__office=office_a, office=office_a)
    with pytest.raises(ValidationError) as exc:
        plan(kasubsi_a, training_type=culinary, partner=partner_a, agreement=other)
    assert "agreement" in exc.value.message_dict


def test_session_end_before_start_refused(kasubsi_a, culinary, partner_a, agreement_a):
    with pytest.raises(ValidationError) as exc:
        plan(
            kasubsi_a,
            training_type=culinary,
            partner=partner_a,
            agreement=agreement_a,
            start_date=dt.date(2024, 6, 20),
            end_date=dt.date(2024, 6, 19),
        )
    assert "end_date" in exc.value.message_dict
    assert not TrainingSession.objects.exists()


def test_duplicate_session_code_refused(kasubsi_a, culinary, partner_a, agreement_a, session_a):
    with pytest.raises(ValidationError):
        plan(kasubsi_a, code="PLT-0001", training_type=culinary, partner=partner_a, agreement=agreement_a)


def test_repeat_copies_everything_but_code_and_dates(session_a):
    initial = services.session_repeat_initial(session_a)
    assert initial["title"] == session_a.title and initial["agreement"] == session_a.agreement_id
    assert initial["transport_per_day"] == 50000
    assert not {"code", "start_date", "end_date"} & set(initial)


def test_cancel_needs_reason_and_only_planned(kasubsi_a, session_3days, session_a):
    with pytest.raises(ValidationError):
        services.session_cancel(session=session_3days, user=kasubsi_a, reason="  ")
    services.session_cancel(session=session_3days, user=kasubsi_a, reason="Mitra berhalangan")
    session_3days.refresh_from_db()
    assert session_3days.status == TrainingSession.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.session_cancel(session=session_a, user=kasubsi_a, reason="x")  # already held


def test_mark_held_not_before_start(kasubsi_a, session_3days):
    with pytest.raises(ValidationError):
        services.session_mark_held(session=session_3days, user=kasubsi_a, today=dt.date(2023, 5, 1))
    services.session_mark_held(session=session_3days, user=kasubsi_a, today=dt.date(2023, 5, 22))
    session_3days.refresh_from_db()
    assert session_3days.status == TrainingSession.Status.HELD


# --- enrolment --------------------------------------------------------------------------------
def test_pk_enrols_own_client_with_interest_match(alice, session_a, alice_client):
    enrolment, warnings = services.enrolment_create(session=session_a, client=alice_client, user=alice)
    assert enrolment.status == Enrolment.Status.REGISTERED and enrolment.matched_interest is True
    assert warnings == []


def test_pk_cannot_enrol_another_pks_client(alice, session_a, paula_client):
    with pytest.raises(ValidationError, match="bukan klien Anda"):
        services.enrolment_create(session=session_a, client=paula_client, user=alice)
    assert not Enrolment.objects.exists()


def test_kasubsi_enrols_any_client_of_the_office(kasubsi_a, session_a, paula_client):
    enrolment, _warnings = services.enrolment_create(session=session_a, client=paula_client, user=kasubsi_a)
    assert enrolment.matched_interest is False


def test_client_of_another_office_refused(kasubsi_a, session_a, bob_client):
    with pytest.raises(ValidationError, match="klien kantor lain"):
        services.enrolment_create(session=session_a, client=bob_client, user=kasubsi_a)


def test_revoked_client_refused(kasubsi_a, session_a, office_a, alice):
    revoked = active_client(office_a, alice, status=Client.Status.REVOKED)
    with pytest.raises(ValidationError, match="bukan klien aktif"):
        services.enrolment_create(session=session_a, client=revoked, user=kasubsi_a)
    assert not Enrolment.objects.exists()


def test_over_capacity_refused(kasubsi_a, session_a, office_a, alice):
    session_a.capacity = 2
    session_a.save()
    first, second, third = (active_client(office_a, alice) for _ in range(3))
    services.enrolment_create(session=session_a, client=first, user=kasubsi_a)
    services.enrolment_create(session=session_a, client=second, user=kasubsi_a)
    with pytest.raises(ValidationError, match="sudah penuh"):
        services.enrolment_create(session=session_a, client=third, user=kasubsi_a)
    assert Enrolment.objects.filter(session=session_a).count() == 2
    # A withdrawal frees the place.
    services.enrolment_withdraw(enrolment=Enrolment.objects.get(client=first), user=kasubsi_a, reason="Sakit")
    services.enrolment_create(session=session_a, client=third, user=kasubsi_a)


def test_double_enrolment_refused_and_withdrawn_can_return(kasubsi_a, session_a, alice_client):
    enrolment, _w = services.enrolment_create(session=session_a, client=alice_client, user=kasubsi_a)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.enrolment_create(session=session_a, client=alice_client, user=kasubsi_a)
    services.enrolment_withdraw(enrolment=enrolment, user=kasubsi_a, reason="Bekerja")
    again, _w = services.enrolment_create(session=session_a, client=alice_client, user=kasubsi_a)
    assert again.pk == enrolment.pk and again.status == Enrolment.Status.REGISTERED


def test_warnings_programme_ends_early_and_type_already_taken(kasubsi_a, session_a, session_3days, office_a, alice):
    client = active_client(office_a, alice, programme_end=dt.date(2023, 5, 23))
    services.enrolment_create(session=session_a, client=client, user=kasubsi_a)
    _enrolment, warnings = services.enrolment_create(session=session_3days, client=client, user=kasubsi_a)
    assert len(warnings) == 2
    assert any("berakhir pada" in w for w in warnings) and any("sudah pernah mengikuti" in w for w in warnings)


def test_cancelled_session_refuses_enrolment(kasubsi_a, session_3days, alice_client):
    services.session_cancel(session=session_3days, user=kasubsi_a, reason="Batal")
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.enrolment_create(session=session_3days, client=alice_client, user=kasubsi_a)


def test_withdraw_needs_reason(kasubsi_a, participant):
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=participant, user=kasubsi_a, reason="")
    participant.refresh_from_db()
    assert participant.status == Enrolment.Status.REGISTERED


# --- attendance -------------------------------------------------------------------------------
def _enrol_many(session, office, officer, n):
    return [EnrolmentFactory(session=session, client=active_client(office, officer)) for _ in range(n)]


def test_attendance_everyone_present_by_default_with_transport(alice, session_a, office_a):
    enrolments = _enrol_many(session_a, office_a, alice, 3)
    rows = [{"enrolment": e.pk} for e in enrolments[:2]] + [{"enrolment": enrolments[2].pk, "status": "TIDAK_HADIR"}]
    result = services.attendance_record(session=session_a, date=DAY, rows=rows, user=alice, today=TODAY)
    assert result == {"created": 3, "changed": 0}
    saved = {a.enrolment_id: a for a in Attendance.objects.all()}
    assert [saved[e.pk].status for e in enrolments] == ["HADIR", "HADIR", "TIDAK_HADIR"]
    assert [saved[e.pk].transport_paid for e in enrolments] == [50000, 50000, 0]


def test_attendance_outside_training_dates_refused(alice, session_a, office_a):
    (enrolment,) = _enrol_many(session_a, office_a, alice, 1)
    for day in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError, match="bukan hari pelatihan"):
            services.attendance_record(
                session=session_a, date=day, rows=[{"enrolment": enrolment.pk}], user=alice, today=TODAY
            )
    assert not Attendance.objects.exists()


def test_attendance_for_a_future_day_refused(alice, session_a, office_a):
    (enrolment,) = _enrol_many(session_a, office_a, alice, 1)
    with pytest.raises(ValidationError, match="belum tiba"):
        services.attendance_record(
            session=session_a,
            date=DAY,
            rows=[{"enrolment": enrolment.pk}],
            user=alice,
            today=DAY - dt.timedelta(days=3),
        )


def test_attendance_row_of_another_session_refused(alice, session_a, session_3days, office_a):
    (other,) = _enrol_many(session_3days, office_a, alice, 1)
    with pytest.raises(ValidationError, match="bukan peserta pelatihan"):
        services.attendance_record(session=session_a, date=DAY, rows=[{"enrolment": other.pk}], user=alice, today=TODAY)


def test_correction_only_by_kasubsi_and_audited(alice, kasubsi_a, session_a, office_a):
    (enrolment,) = _enrol_many(session_a, office_a, alice, 1)
    services.attendance_record(session=session_a, date=DAY, rows=[{"enrolment": enrolment.pk}], user=alice, today=TODAY)
    with pytest.raises(ValidationError, match="Kasubsi"):
        services.attendance_record(
            session=session_a, date=DAY, rows=[{"enrolment": enrolment.pk, "status": "IZIN"}], user=alice, today=TODAY
        )
    result = services.attendance_record(
        session=session_a, date=DAY, rows=[{"enrolment": enrolment.pk, "status": "IZIN"}], user=kasubsi_a, today=TODAY
    )
    assert result["changed"] == 1
    attendance = Attendance.objects.get()
    assert attendance.status == "IZIN" and attendance.transport_paid == 0
    history = list(attendance.history.order_by("history_date"))
    assert [h.status for h in history] == ["HADIR", "IZIN"]
    assert [h.history_user for h in history] == [alice, kasubsi_a]


def test_attendance_counts_as_wajib_lapor(alice, kasubsi_a, session_a, office_a):
    present, absent = _enrol_many(session_a, office_a, alice, 2)
    rows = [{"enrolment": present.pk}, {"enrolment": absent.pk, "status": "TIDAK_HADIR"}]
    services.attendance_record(session=session_a, date=DAY, rows=rows, user=alice, counts_as_report=True, today=TODAY)
    visit = ReportingVisit.objects.get()
    assert visit.client == present.client and visit.mode == ReportingVisit.Mode.ACTIVITY
    assert visit.report_date == DAY
    assert Attendance.objects.get(enrolment=present).counts_as_report == visit
    assert Attendance.objects.get(enrolment=absent).counts_as_report is None
    # Correcting the day to absent removes the wajib lapor it stood for.
    services.attendance_record(
        session=session_a,
        date=DAY,
        rows=[{"enrolment": present.pk, "status": "TIDAK_HADIR"}],
        user=kasubsi_a,
        today=TODAY,
    )
    assert not ReportingVisit.objects.exists()


def test_attendance_marks_a_planned_session_held(alice, session_3days, office_a):
    (enrolment,) = _enrol_many(session_3days, office_a, alice, 1)
    services.attendance_record(
        session=session_3days, date=dt.date(2023, 5, 23), rows=[{"enrolment": enrolment.pk}], user=alice, today=TODAY
    )
    session_3days.refresh_from_db()
    assert session_3days.status == TrainingSession.Status.HELD


def test_attendance_view_saves_twenty_in_one_click(login, alice, session_a, office_a):
    enrolments = _enrol_many(session_a, office_a, alice, 20)
    client = login(alice)
    url = f"/pelatihan/{session_a.pk}/kehadiran/{DAY.isoformat()}/"
    page = client.get(url)
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if name.startswith("status_")}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(enrolment__in=enrolments, status="HADIR", transport_paid=50000).count() == 20
    # A PK cannot correct the saved day.
    assert client.post(url, data).status_code == 403


def test_attendance_view_date_outside_training_redirects_with_error(login, kasubsi_a, session_a):
    response = login(kasubsi_a).get(f"/pelatihan/{session_a.pk}/kehadiran/2023-03-25/", follow=True)
    assert response.redirect_chain and "2023" in response.content.decode()
    assert not Attendance.objects.exists()


# --- certificates -----------------------------------------------------------------------------
def test_certificate_numbers_are_unique_and_sequential(kasubsi_a, session_a, office_a, alice):
    enrolments = _enrol_many(session_a, office_a, alice, 2)
    for e in enrolments:
        AttendanceFactory(enrolment=e, date=DAY)
    numbers = [services.certificate_issue(enrolment=e, user=kasubsi_a) for e in enrolments]
    assert numbers == ["TNG/PLT-0001/2023/001", "TNG/PLT-0001/2023/002"]
    assert services.certificate_issue(enrolment=enrolments[0], user=kasubsi_a) == numbers[0]  # idempotent


def test_certificate_below_minimum_attendance_refused(kasubsi_a, session_3days, office_a, alice):
    (enrolment,) = _enrol_many(session_3days, office_a, alice, 1)
    AttendanceFactory(enrolment=enrolment, date=dt.date(2023, 5, 22))
    AttendanceFactory(enrolment=enrolment, date=dt.date(2023, 5, 23))
    AttendanceFactory(enrolment=enrolment, date=dt.date(2023, 5, 24), status="TIDAK_HADIR")
    with pytest.raises(ValidationError, match="67%"):
        services.certificate_issue(enrolment=enrolment, user=kasubsi_a)
    enrolment.refresh_from_db()
    assert enrolment.certificate_number is None
    # Issuing for all skips the ineligible participant.
    assert services.certificates_issue_all(session=session_3days, user=kasubsi_a) == []


def test_withdrawn_with_certificate_cannot_be_withdrawn(kasubsi_a, participant):
    services.certificate_issue(enrolment=participant, user=kasubsi_a)
    with pytest.raises(ValidationError, match="Sertifikat sudah diterbitkan"):
        services.enrolment_withdraw(enrolment=participant, user=kasubsi_a, reason="x")


# --- follow-ups -------------------------------------------------------------------------------
def test_follow_up_before_training_ended_refused(alice, participant):
    for day in (DAY - dt.timedelta(days=5), DAY):
        with pytest.raises(ValidationError) as exc:
            services.follow_up_record(
                enrolment=participant, user=alice, date=day, status="USAHA_SAMPINGAN", today=TODAY
            )
        assert "date" in exc.value.message_dict
    assert not FollowUp.objects.exists()


def test_follow_up_for_non_participant_refused(alice, session_a, alice_client):
    enrolment = EnrolmentFactory(session=session_a, client=alice_client)
    AttendanceFactory(enrolment=enrolment, date=DAY, status="TIDAK_HADIR")
    with pytest.raises(ValidationError, match="tidak mengikuti pelatihan"):
        services.follow_up_record(
            enrolment=enrolment, user=alice, date=dt.date(2023, 4, 21), status="USAHA_SAMPINGAN", today=TODAY
        )
    withdrawn = EnrolmentFactory(session=session_a, status=Enrolment.Status.WITHDRAWN)
    AttendanceFactory(enrolment=withdrawn, date=DAY)
    with pytest.raises(ValidationError):
        services.follow_up_record(
            enrolment=withdrawn, user=alice, date=dt.date(2023, 4, 21), status="USAHA_SAMPINGAN", today=TODAY
        )


def test_follow_up_not_applied_needs_reason_and_not_in_future(alice, participant):
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(
            enrolment=participant, user=alice, date=dt.date(2023, 4, 21), status="BELUM_MENERAPKAN", today=TODAY
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(
            enrolment=participant, user=alice, date=TODAY + dt.timedelta(days=1), status="USAHA_SAMPINGAN", today=TODAY
        )
    assert "date" in exc.value.message_dict
    follow_up = services.follow_up_record(
        enrolment=participant,
        user=alice,
        date=dt.date(2023, 4, 21),
        status="BELUM_MENERAPKAN",
        reason="MODAL",
        today=TODAY,
    )
    assert follow_up.recorded_by == alice and follow_up.history.first().history_user == alice


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2023, 11, 15), 3) == dt.date(2024, 2, 15)


def test_session_factory_cancelled_is_excluded_from_attendance(kasubsi_a, office_a):
    session = TrainingSessionFactory(office=office_a, status=TrainingSession.Status.CANCELLED)
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.check_attendance_date(session, session.start_date, TODAY)
