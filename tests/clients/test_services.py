"""Services: every client rule with its Indonesian message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from clients import services
from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange
from tests.factories import aware, today

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def base_data(**overrides):
    data = {
        "register_number": "PAS-TNG.100/2025",
        "name": "Eko Wibowo",
        "sex": "L",
        "programme": "PB",
        "programme_start": today() - dt.timedelta(days=30),
        "programme_end": today() + dt.timedelta(days=300),
        "reporting_frequency": "BULANAN",
    }
    data.update(overrides)
    return data


def messages_of(exc):
    return " ".join(exc.value.messages)


def test_register_by_pk_assigns_self_and_opens_assignment(alice, office_a):
    client = services.client_register(office=office_a, data=base_data(nik="9901000000000009"), user=alice)
    assert client.officer == alice
    assignment = PKAssignment.objects.get(client=client)
    assert (assignment.officer, assignment.end_date) == (alice, None)


def test_register_rejects_bad_nik_and_duplicate(admin_a, office_a, carol):
    with pytest.raises(ValidationError) as exc:
        services.client_register(office=office_a, data=base_data(nik="12345"), user=admin_a)
    assert "NIK harus tepat 16 digit" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.client_register(office=office_a, data=base_data(nik=carol.nik), user=admin_a)
    assert "NIK ini sudah terdaftar" in messages_of(exc)
    assert Client.objects.count() == 1


def test_register_rejects_end_before_start(admin_a, office_a):
    with pytest.raises(ValidationError) as exc:
        services.client_register(
            office=office_a, data=base_data(programme_start=D(2025, 5, 1), programme_end=D(2025, 4, 1)), user=admin_a
        )
    assert "tanggal akhir program tidak boleh sebelum tanggal mulai" in messages_of(exc).lower()


def test_register_rejects_pk_of_another_office(admin_a, office_a, bob):
    with pytest.raises(ValidationError) as exc:
        services.client_register(office=office_a, data=base_data(), user=admin_a, officer=bob)
    assert "PK harus dari kantor ini" in messages_of(exc)
    assert not Client.objects.exists()


def test_update_with_stale_version_overwrites_nothing(carol, alice, admin_a):
    stale = carol.version
    services.client_update(client=carol, data={"phone": "0811"}, version=stale, user=alice)
    with pytest.raises(ValidationError) as exc:
        services.client_update(client=carol, data={"phone": "0822", "name": "X"}, version=stale, user=admin_a)
    assert "Orang lain telah menyimpan" in messages_of(exc)
    carol.refresh_from_db()
    assert (carol.phone, carol.name, carol.version) == ("0811", "Carol Susanti", stale + 1)


def test_update_records_history_user(carol, alice):
    services.client_update(client=carol, data={"phone": "0899"}, version=carol.version, user=alice)
    assert carol.history.latest().history_user == alice


def test_change_status_writes_status_change(carol, alice):
    change = services.client_change_status(
        client=carol,
        status="PINDAH",
        date=today(),
        reason="Pindah domisili",
        transferred_to="Bapas Bandung",
        user=alice,
    )
    carol.refresh_from_db()
    assert (carol.status, carol.transferred_to, carol.status_date) == ("PINDAH", "Bapas Bandung", today())
    assert StatusChange.objects.get() == change


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"status": "PINDAH", "reason": "r", "transferred_to": ""}, "Sebutkan Bapas tujuan"),
        ({"status": "DICABUT", "reason": ""}, "Isi alasan"),
        ({"status": "AKTIF", "reason": "r"}, "sudah berstatus ini"),
        ({"status": "SELESAI", "date_shift": 1}, "tidak boleh di masa depan"),
    ],
)
def test_change_status_errors(carol, alice, kwargs, expected):
    shift = kwargs.pop("date_shift", 0)
    with pytest.raises(ValidationError) as exc:
        services.client_change_status(client=carol, date=today() + dt.timedelta(days=shift), user=alice, **kwargs)
    assert expected in messages_of(exc)
    assert not StatusChange.objects.exists()


def test_reassign_keeps_history(carol, alice, paula, kasi_a):
    PKAssignment.objects.create(client=carol, officer=alice, start_date=today() - dt.timedelta(days=100))
    services.client_reassign_officer(client=carol, officer=paula, start_date=today(), user=kasi_a)
    carol.refresh_from_db()
    assert carol.officer == paula
    rows = list(
        PKAssignment.objects.filter(client=carol).order_by("start_date").values_list("officer__username", "end_date")
    )
    assert rows == [("alice", today()), ("paula", None)]


def test_reassign_rejects_other_office_pk(carol, bob, kasi_a):
    with pytest.raises(ValidationError) as exc:
        services.client_reassign_officer(client=carol, officer=bob, user=kasi_a)
    assert "PK harus dari kantor ini" in messages_of(exc)
    carol.refresh_from_db()
    assert carol.officer.username == "alice"


def test_visit_record_and_next_due_proposal(carol, alice):
    at = timezone.now() - dt.timedelta(hours=1)
    visit = services.visit_record(client=carol, reported_at=at, user=alice, notes="ok")
    assert visit.received_by == alice and visit.created_by == alice
    local = timezone.localtime(visit.reported_at, carol.office.tzinfo).date()
    assert visit.next_due_date == services.propose_next_due(carol, local)
    assert services.propose_next_due(carol, D(2025, 1, 31)) in (D(2025, 2, 28), None)


def test_propose_next_due_month_end_and_weekly(make_client, alice):
    monthly = make_client(alice, programme_start=D(2025, 1, 1), programme_end=D(2025, 12, 31))
    weekly = make_client(
        alice, programme_start=D(2025, 1, 1), programme_end=D(2025, 1, 20), reporting_frequency="MINGGUAN"
    )
    assert services.propose_next_due(monthly, D(2025, 1, 31)) == D(2025, 2, 28)
    assert services.propose_next_due(monthly, D(2024, 12, 31)) == D(2025, 1, 31)
    assert services.propose_next_due(weekly, D(2025, 1, 6)) == D(2025, 1, 13)
    assert services.propose_next_due(weekly, D(2025, 1, 15)) is None  # beyond the programme


def test_visit_in_future_rejected(carol, alice):
    with pytest.raises(ValidationError) as exc:
        services.visit_record(client=carol, reported_at=timezone.now() + dt.timedelta(hours=2), user=alice)
    assert "tidak boleh bertanggal di masa depan" in messages_of(exc)
    assert not ReportingVisit.objects.exists()


def test_visit_outside_programme_rejected(make_client, alice):
    client = make_client(alice, programme_start=D(2024, 1, 10), programme_end=D(2024, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.visit_record(client=client, reported_at=aware(2024, 1, 9, 10), user=alice)
    assert "harus berada dalam masa program" in messages_of(exc)


def test_visit_uses_office_local_date(make_client, bob):
    client = make_client(bob, programme_start=D(2024, 1, 1), programme_end=D(2024, 6, 30))
    # 23:30 in Jakarta is 00:30 the next day in Balikpapan (WITA): the office's date counts.
    visit = services.visit_record(client=client, reported_at=aware(2024, 1, 31, 23, 30), user=bob)
    assert visit.report_date == D(2024, 2, 1)


def test_two_visits_same_minute_rejected_and_shows_existing(carol, alice):
    at = timezone.now() - dt.timedelta(minutes=5)
    first = services.visit_record(client=carol, reported_at=at, user=alice)
    with pytest.raises(services.DuplicateVisit) as exc:
        services.visit_record(client=carol, reported_at=at.replace(second=30), user=alice)
    assert exc.value.existing == first
    assert "sudah memiliki laporan pada menit tersebut" in messages_of(exc)
    assert ReportingVisit.objects.count() == 1


def test_visit_received_by_other_office_rejected(carol, alice, bob):
    with pytest.raises(ValidationError) as exc:
        services.visit_record(client=carol, reported_at=timezone.now(), user=alice, received_by=bob)
    assert "harus dari kantor ini" in messages_of(exc)


def test_warning_levels_in_order(carol, alice):
    with pytest.raises(ValidationError) as exc:
        services.warning_issue(client=carol, level="SP2", issued_on=today(), reason="x", user=alice)
    assert "SP2 memerlukan SP1" in messages_of(exc)
    services.warning_issue(
        client=carol, level="SP1", issued_on=today(), reason="Tidak lapor", missed_periods="2025-01", user=alice
    )
    services.warning_issue(client=carol, level="SP2", issued_on=today(), reason="Tidak lapor lagi", user=alice)
    assert list(ReportingWarning.objects.order_by("id").values_list("level", flat=True)) == ["SP1", "SP2"]


def test_warning_in_future_rejected(carol, alice):
    with pytest.raises(ValidationError) as exc:
        services.warning_issue(
            client=carol, level="SP1", issued_on=today() + dt.timedelta(days=1), reason="x", user=alice
        )
    assert "tidak boleh bertanggal di masa depan" in messages_of(exc)


def test_archive_only_when_not_active(carol, alice):
    with pytest.raises(ValidationError):
        services.client_archive(client=carol, user=alice)
    services.client_change_status(client=carol, status="SELESAI", date=today(), user=alice)
    services.client_archive(client=carol, user=alice)
    carol.refresh_from_db()
    assert carol.is_archived and Client.objects.filter(pk=carol.pk).exists()
