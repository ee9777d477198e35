"""Excused absences (izin): recorded by the client's PK with evidence, refused when they cover a
report, and counted by the one compliance rule as neither due nor missed in every report."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clients.compliance import client_compliance, compliance_dataset
from clients.models import ExcusedAbsence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def month_start(today: dt.date, back: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def month_end(today: dt.date, back: int) -> dt.date:
    return month_start(today, back - 1) - dt.timedelta(days=1)


@pytest.fixture
def setup(make_client, make_visit, alice):
    """Monthly since 4 months ago; reported in month -4 only: months -3, -2, -1 missed."""
    today = timezone.localdate(timezone=alice.office.tzinfo)
    client = make_client(
        alice, name="Rudi Setiawan", programme_start=month_start(today, 4), programme_end=today + dt.timedelta(days=200)
    )
    make_visit(client, month_start(today, 4) + dt.timedelta(days=3))
    return client, today


def _post(browser, client, **data):
    return browser.post(reverse("clients:excuse_create", args=[client.pk]), data)


def test_pk_records_an_excuse_with_evidence_and_it_leaves_every_count(setup, login, alice, kasi_a, tmp_path):
    client, today = setup
    before = client_compliance(client, today=today)
    assert (before.due, before.missed, before.missed_in_a_row) == (4, 3, 3)
    browser = login(alice)
    response = _post(
        browser,
        client,
        date_from=month_start(today, 2) + dt.timedelta(days=4),
        date_to=month_start(today, 2) + dt.timedelta(days=20),
        kind=ExcusedAbsence.Kind.ILLNESS,
        reason="Rawat inap, surat dokter RSUD",
        evidence=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    excuse = ExcusedAbsence.objects.get(client=client)
    assert excuse.recorded_by == alice and excuse.evidence.name.endswith(".pdf")
    assert "surat" not in excuse.evidence.name  # stored under a random name
    assert excuse.history.get().history_user == alice  # audited

    after = client_compliance(client, today=today)
    assert [p.start for p in after.excused_periods] == [month_start(today, 2)]
    assert [p.start for p in after.missed_periods] == [month_start(today, 3), month_start(today, 1)]
    assert (after.due, after.reported, after.missed_in_a_row) == (3, 1, 2)

    # the office report (page, PDF, exports use this dataset) leaves the excused month out
    data = compliance_dataset(office=client.office, date_from=month_start(today, 4), date_to=today, today=today)
    assert data["totals"] == {"due": 3, "reported": 1, "missed": 2, "rate": pytest.approx(1 / 3, abs=1e-4)}
    month = month_start(today, 2).strftime("%Y-%m")
    assert month not in {row["month"] for row in data["by_month"]}
    out = tmp_path / "kepatuhan.json"
    call_command(
        "report", "compliance", "--office", client.office.code, "--from", str(month_start(today, 4)),
        "--to", str(today), "--format", "json", "--output", str(out),
    )  # fmt: skip
    assert json.loads(out.read_text())["totals"]["due"] == 3

    # the worklist and the client page show the same run
    work = browser.get(reverse("worklist")).context["work"]
    assert next(r for r in work.overdue if r.client == client).missed == 2
    page = browser.get(reverse("clients:detail", args=[client.pk]))
    assert 'data-excused="1"' in page.content.decode()
    assert any(e.kind == "excuse" for e in page.context["timeline"])

    # the evidence is served to the PK and the Kasi, privately
    evidence = browser.get(reverse("clients:excuse_evidence", args=[excuse.pk]))
    assert evidence.status_code == 200 and evidence["Cache-Control"] == "private, no-store"
    assert b"".join(evidence.streaming_content) == PDF
    assert login(kasi_a).get(reverse("clients:excuse_evidence", args=[excuse.pk])).status_code == 200


def test_a_reported_period_stays_reported_when_an_excuse_touches_it(setup, make_visit):
    client, today = setup
    make_visit(client, month_start(today, 2) + dt.timedelta(days=1))
    ExcusedAbsence.objects.create(
        client=client,
        date_from=month_start(today, 2) + dt.timedelta(days=10),
        date_to=month_start(today, 2) + dt.timedelta(days=12),
        kind="SAKIT",
        reason="x",
    )
    result = client_compliance(client, today=today)
    assert result.excused_periods == [] and (result.due, result.reported) == (4, 2)
    data = compliance_dataset(office=client.office, date_from=month_start(today, 4), date_to=today, today=today)
    assert (data["totals"]["due"], data["totals"]["reported"]) == (4, 2)


def test_an_excuse_over_a_reported_day_is_refused_and_nothing_saved(setup, login, alice):
    client, today = setup
    reported_on = month_start(today, 4) + dt.timedelta(days=3)
    response = _post(
        login(alice),
        client,
        date_from=reported_on - dt.timedelta(days=1),
        date_to=reported_on + dt.timedelta(days=1),
        kind="KERJA",
        reason="Bekerja di luar kota",
    )
    assert response.status_code == 200
    assert "Klien melapor pada" in response.content.decode()
    assert not ExcusedAbsence.objects.exists()


@pytest.mark.parametrize(
    "change, error",
    [
        ({"date_to": "2000-01-01"}, "sebelum"),  # end before start
        ({"reason": ""}, "wajib"),
        ({"date_from": "2001-01-01", "date_to": "2001-01-05"}, "dalam masa program"),
    ],
)
def test_bad_excuses_are_refused_in_indonesian(setup, login, alice, change, error):
    client, today = setup
    data = {
        "date_from": month_start(today, 2),
        "date_to": month_start(today, 2) + dt.timedelta(days=5),
        "kind": "SAKIT",
        "reason": "Sakit",
        **change,
    }
    response = _post(login(alice), client, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ExcusedAbsence.objects.exists()


def test_evidence_must_be_a_pdf_or_a_picture(setup, login, alice):
    client, today = setup
    response = _post(
        login(alice),
        client,
        date_from=month_start(today, 2),
        date_to=month_start(today, 2) + dt.timedelta(days=5),
        kind="SAKIT",
        reason="Sakit",
        evidence=SimpleUploadedFile("surat.pdf", b"<script>alert(1)</script>", content_type="application/pdf"),
    )
    assert response.status_code == 200
    assert "harus berupa PDF" in response.content.decode()
    assert not ExcusedAbsence.objects.exists()
    ok = _post(
        login(alice),
        client,
        date_from=month_start(today, 2),
        date_to=month_start(today, 2) + dt.timedelta(days=5),
        kind="SAKIT",
        reason="Sakit",
        evidence=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
    )
    assert ok.status_code == 302, ok.context["form"].errors
    assert ExcusedAbsence.objects.get().evidence.name.endswith(".png")


def test_overlapping_excuses_are_refused(setup, login, alice):
    client, today = setup
    browser = login(alice)
    first = {"date_from": month_start(today, 2), "date_to": month_start(today, 2) + dt.timedelta(days=9)}
    assert _post(browser, client, kind="SAKIT", reason="Sakit", **first).status_code == 302
    second = {
        "date_from": month_start(today, 2) + dt.timedelta(days=5),
        "date_to": month_start(today, 2) + dt.timedelta(days=15),
    }
    response = _post(browser, client, kind="SAKIT", reason="Sakit", **second)
    assert response.status_code == 200 and ExcusedAbsence.objects.count() == 1


def test_excused_current_period_is_not_due_on_the_worklist(make_client, login, alice):
    today = timezone.localdate(timezone=alice.office.tzinfo)
    client = make_client(alice, programme_start=today.replace(day=1), programme_end=today + dt.timedelta(days=200))
    browser = login(alice)
    work = browser.get(reverse("worklist")).context["work"]
    assert any(r.client == client for r in work.due_today + work.due_this_week) or today.day < 25
    ExcusedAbsence.objects.create(client=client, date_from=today, date_to=today, kind="BENCANA", reason="Banjir")
    work = browser.get(reverse("worklist")).context["work"]
    assert not any(r.client == client for r in work.due_today + work.due_this_week + work.overdue)


def test_evidence_is_for_the_pk_the_kasi_and_the_kepala_only(setup, login, kasubsi_a, admin_a, bob):
    client, today = setup
    excuse = ExcusedAbsence.objects.create(
        client=client, date_from=month_start(today, 2), date_to=month_start(today, 2), kind="SAKIT", reason="x"
    )
    excuse.evidence.save("e.pdf", SimpleUploadedFile("e.pdf", PDF), save=True)
    url = reverse("clients:excuse_evidence", args=[excuse.pk])
    assert login(kasubsi_a).get(url).status_code == 403
    assert login(admin_a).get(url).status_code == 403
    assert login(bob).get(url).status_code == 404


# --- withdrawal -------------------------------------------------------------------------------------


def _excuse(client, today, recorded_by):
    return ExcusedAbsence.objects.create(
        client=client, date_from=month_start(today, 2) + dt.timedelta(days=2),
        date_to=month_start(today, 2) + dt.timedelta(days=6), kind="SAKIT", reason="Sakit", recorded_by=recorded_by,
    )  # fmt: skip


def test_the_pk_withdraws_an_excuse_recorded_by_mistake_and_its_period_is_missed_again(setup, login, alice):
    client, today = setup
    excuse = _excuse(client, today, alice)
    assert len(client_compliance(client, today=today).missed_periods) == 2
    browser = login(alice)
    url = reverse("clients:excuse_withdraw", args=[excuse.pk])
    assert "excuse-summary" in browser.get(url).content.decode()
    refused = browser.post(url, {"reason": "  "}, HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 200 and "Jelaskan" in refused.content.decode()
    excuse.refresh_from_db()
    assert excuse.withdrawn_at is None  # nothing saved
    response = browser.post(url, {"reason": "Dicatat untuk klien yang salah"})
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    excuse.refresh_from_db()
    assert excuse.withdrawn_by == alice and excuse.withdrawal_reason == "Dicatat untuk klien yang salah"
    state = client_compliance(client, today=today)
    assert len(state.missed_periods) == 3 and not state.excused_periods  # due again: missed
    history = excuse.history.order_by("-history_date").first()
    assert history.history_user == alice and history.withdrawn_at is not None  # audited
    page = browser.get(reverse("clients:detail", args=[client.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-withdrawn="1"' in page and "Dicatat untuk klien yang salah" in page
    assert 'data-action="excuse-withdraw"' not in page  # a withdrawn excuse cannot be withdrawn again
    again = browser.post(url, {"reason": "lagi"})
    assert again.status_code == 200 and "Izin ini sudah ditarik." in again.content.decode()
    # the withdrawn excuse no longer blocks a new, correct one over the same days
    assert _post(browser, client, date_from=excuse.date_from.isoformat(), date_to=excuse.date_to.isoformat(),
                 kind="SAKIT", reason="Sakit, surat menyusul").status_code == 302  # fmt: skip
    assert client.excuses.in_force().count() == 1


def test_only_the_clients_pk_may_withdraw(setup, login, alice, paula, kasi_a, bob):
    client, today = setup
    excuse = _excuse(client, today, alice)
    url = reverse("clients:excuse_withdraw", args=[excuse.pk])
    assert login(paula).post(url, {"reason": "x"}).status_code == 404  # another PK's client
    assert login(kasi_a).post(url, {"reason": "x"}).status_code == 403  # reads, does not record izin
    assert login(bob).post(url, {"reason": "x"}).status_code == 404  # another office
    excuse.refresh_from_db()
    assert excuse.withdrawn_at is None
