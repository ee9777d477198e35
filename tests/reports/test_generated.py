import datetime as dt
import json
import signal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.models import GeneratedFile
from reports.services import generated_file_request
from tests.reports.test_exports import pdf_text

pytestmark = pytest.mark.django_db

PARAMS = {"report": "participation", "format": "xlsx", "office": "TNG", "officer": None, "personal_data": True,
          "from": "2022-01-01", "to": "2023-12-31", "partner": None, "training_type": None}  # fmt: skip


def test_immediate_backend_renders_and_reports_progress(world, kasi_a, office_a):
    generated = generated_file_request(user=kasi_a, kind="participation", params=PARAMS, title="x", office=office_a)
    generated.refresh_from_db()
    assert generated.status == "DONE" and generated.progress == 100
    assert generated.filename == "rekap-partisipasi-tng-2022-01-01-2023-12-31.xlsx"
    assert generated.file.size > 1000 and generated.task_id


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections like a real one
def test_database_backend_with_a_real_worker(world, kasi_a, office_a, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "imports"]}
    }
    params = {**PARAMS, "format": "pdf"}
    generated = generated_file_request(user=kasi_a, kind="participation", params=params, title="y", office=office_a)
    generated.refresh_from_db()
    assert generated.status == "PENDING"  # waits for a worker
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", "--batch", "--queue-name", "reports", "--no-startup-delay", "--no-reload", "--interval", "0"
        )
    finally:
        # The worker installs its own shutdown handlers; leave pytest's signals as they were.
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    generated.refresh_from_db()
    assert generated.status == "DONE" and generated.progress == 100
    with generated.file.open("rb") as handle:
        assert "PLT-S1" in pdf_text(handle.read())


def test_failed_task_is_shown_and_can_be_retried(world, login, kasi_a, office_a, monkeypatch):
    def broken(params, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "render_report_file", broken)
    monkeypatch.setitem(tasks.RENDERERS, "participation", broken)
    generated = generated_file_request(user=kasi_a, kind="participation", params=PARAMS, title="z", office=office_a)
    generated.refresh_from_db()
    assert generated.status == "FAILED" and "disk full" in generated.error
    assert generated.error.startswith("Berkas tidak dapat dibuat")
    client = login(kasi_a)
    page = client.get(reverse("reports:generated_detail", args=[generated.pk])).content.decode()
    assert "disk full" in page and reverse("reports:generated_retry", args=[generated.pk]) in page
    status = json.loads(client.get(reverse("reports:generated_status", args=[generated.pk])).content)
    assert status["status"] == "FAILED" and status["finished"] is True and status["download_url"] is None
    assert client.get(reverse("reports:generated_retry", args=[generated.pk])).status_code == 405
    monkeypatch.delitem(tasks.RENDERERS, "participation")
    monkeypatch.undo()
    response = client.post(reverse("reports:generated_retry", args=[generated.pk]))
    assert response.status_code == 302
    generated.refresh_from_db()
    assert generated.status == "DONE" and generated.attempts == 2 and generated.error == ""
    # A finished one cannot be retried.
    client.post(reverse("reports:generated_retry", args=[generated.pk]))
    generated.refresh_from_db()
    assert generated.attempts == 2


def test_generated_pages_belong_to_their_owner(world, login, kasi_a, kabapas_a, kasi_b, client, office_a):
    generated = generated_file_request(user=kasi_a, kind="participation", params=PARAMS, title="Rekap", office=office_a)
    names = ["generated_detail", "generated_status", "generated_download"]
    owner = login(kasi_a)
    assert "Rekap" in owner.get(reverse("reports:generated_list")).content.decode()
    for name in names:
        assert owner.get(reverse(f"reports:{name}", args=[generated.pk])).status_code == 200
    status = json.loads(owner.get(reverse("reports:generated_status", args=[generated.pk])).content)
    assert status["progress"] == 100 and status["download_url"].endswith("/unduh/")
    for other in (kabapas_a, kasi_b):
        c = login(other)
        assert "Rekap" not in c.get(reverse("reports:generated_list")).content.decode()
        for name in names:
            assert c.get(reverse(f"reports:{name}", args=[generated.pk])).status_code == 404
        assert c.post(reverse("reports:generated_retry", args=[generated.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("reports:generated_detail", args=[generated.pk])).status_code == 302
    assert login(kasi_a).post(reverse("reports:generated_list")).status_code == 405


def test_generated_list_empty_state(login, kasi_a):
    assert "belum memiliki berkas" in login(kasi_a).get(reverse("reports:generated_list")).content.decode()


def test_cleanup_removes_expired_files(kasi_a, office_a, capsys):
    old = GeneratedFile.objects.create(user=kasi_a, kind="participation", status="DONE",
                                       expires_at=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    old.file.save("old.csv", ContentFile(b"a,b"), save=True)
    path = old.file.path
    fresh = GeneratedFile.objects.create(user=kasi_a, kind="participation", status="DONE",
                                         expires_at=timezone.now() + dt.timedelta(hours=1))  # fmt: skip
    call_command("cleanup_generated_files", "--dry-run")
    assert "1 expired" in capsys.readouterr().out and GeneratedFile.objects.count() == 2
    call_command("cleanup_generated_files")
    assert list(GeneratedFile.objects.all()) == [fresh]
    import os

    assert not os.path.exists(path)


def test_certificate_batch_kind(world, kasi_a, office_a, monkeypatch):
    import trainings.certificates

    monkeypatch.setattr(
        trainings.certificates, "render_session_certificates", lambda session, base_url, progress=None: b"%PDF-cert"
    )
    generated = generated_file_request(
        user=kasi_a, kind="certificates", params={"session": world["s2"].pk}, office=office_a
    )
    generated.refresh_from_db()
    assert generated.status == "DONE" and generated.filename == "sertifikat-PLT-S2.pdf"
    with generated.file.open("rb") as handle:
        assert handle.read() == b"%PDF-cert"
