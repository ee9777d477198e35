"""Certificate batches: up to 30 certificates the PDF comes straight back; more are made in the background
(reports.GeneratedFile of kind "certificates", django-tasks queue "reports") behind the progress bar page."""

import io
import json

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reports import tasks
from reports.models import GeneratedFile
from reports.views import CERTIFICATES_SYNC_MAX
from tests.factories import AttendanceFactory, EnrolmentFactory
from tests.trainings.conftest import DAY, active_client
from trainings import services
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings, tmp_path):
    """Tasks wait in the database for a worker (the production backend); files go to a temporary folder."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "imports"]}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def certify(session, office, officer, kasubsi, n):
    """``n`` participants of the session with a certificate each (and one absentee without)."""
    for i in range(n):
        enrolment = EnrolmentFactory(session=session, client=active_client(office, officer, name=f"Peserta {i:03d}"))
        AttendanceFactory(enrolment=enrolment, date=DAY)
    absent = EnrolmentFactory(session=session, client=active_client(office, officer, name="Tono Absen"))
    AttendanceFactory(enrolment=absent, date=DAY, status="TIDAK_HADIR")
    services.certificates_issue_all(session=session, user=kasubsi)
    return list(session.enrolments.filter(certificate_number__isnull=False).order_by("client__name"))


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_threshold_is_thirty():
    assert CERTIFICATES_SYNC_MAX == 30


def test_31_certificates_are_made_in_the_background(
    login, session_a, office_a, office_b, alice, kasubsi_a, kabapas_a, kasi_b, kasubsi_b
):
    issued = certify(session_a, office_a, alice, kasubsi_a, 31)
    assert len(issued) == 31
    client = login(kasubsi_a)
    url = reverse("certificates_pdf", args=[session_a.pk])
    response = client.get(url)

    generated = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:generated_detail", args=[generated.pk])
    assert generated.kind == GeneratedFile.Kind.CERTIFICATES == "certificates"
    assert generated.user == kasubsi_a and generated.office == office_a
    assert generated.params["session"] == session_a.pk
    assert generated.params["base_url"] == "http://testserver/"
    assert session_a.code in generated.title
    assert generated.status == GeneratedFile.Status.PENDING  # waits for a worker
    queued = DBTaskResult.objects.get(id=generated.task_id)
    assert queued.queue_name == "reports" and queued.task_path == "reports.tasks.generate_file"
    assert queued.args_kwargs["args"] == [generated.pk]

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="generated-progress' in body  # the progress bar page
    assert "31 sertifikat" in body  # the message: made in the background, the user may leave
    # Reloading while it is being made shows the same batch instead of starting a second one.
    assert client.get(url)["Location"] == response["Location"]
    assert GeneratedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1

    # What the worker runs: the stored task with its stored arguments.
    tasks.generate_file.call(*queued.args_kwargs["args"])
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE and generated.progress == 100
    assert generated.content_type == "application/pdf"
    assert generated.filename == f"sertifikat-{session_a.code}.pdf"
    with generated.file.open("rb") as handle:
        texts = pages(handle.read())
    assert len(texts) == len(issued) == 31
    for text, enrolment in zip(texts, issued, strict=True):
        assert enrolment.certificate_number in text and enrolment.client.name in text
    assert "Tono Absen" not in " ".join(texts)

    status = json.loads(client.get(reverse("reports:generated_status", args=[generated.pk])).content)
    assert status["status"] == "DONE" and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200 and len(pages(b"".join(download.streaming_content))) == 31

    # The file is its owner's: another office's users, and anyone else, get 404.
    for other in (kasi_b, kasubsi_b, kabapas_a):
        c = login(other)
        for name in ("generated_detail", "generated_status", "generated_download"):
            assert c.get(reverse(f"reports:{name}", args=[generated.pk])).status_code == 404
        assert c.post(reverse("reports:generated_retry", args=[generated.pk])).status_code == 404
    # ... and another office's user cannot ask for the batch either.
    assert login(kasubsi_b).get(url).status_code == 404
    assert GeneratedFile.objects.count() == 1


def test_30_certificates_come_straight_back(login, session_a, office_a, alice, kasubsi_a):
    certify(session_a, office_a, alice, kasubsi_a, 30)
    response = login(kasubsi_a).get(reverse("certificates_pdf", args=[session_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(pages(response.content)) == 30
    assert not GeneratedFile.objects.exists() and not DBTaskResult.objects.exists()


def test_withdrawn_certificates_do_not_count_towards_the_batch(login, session_a, office_a, alice, kasubsi_a):
    issued = certify(session_a, office_a, alice, kasubsi_a, 31)
    withdrawn = issued[0]
    withdrawn.status = Enrolment.Status.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    response = login(kasubsi_a).get(reverse("certificates_pdf", args=[session_a.pk]))
    assert response.status_code == 200 and len(pages(response.content)) == 30
    assert not GeneratedFile.objects.exists()


def test_background_renderer_is_the_direct_pdf(session_a, office_a, alice, kasubsi_a):
    """The task's renderer (reports.tasks) makes the same PDF as the page: trainings.certificates."""
    from trainings.certificates import render_session_certificates

    certify(session_a, office_a, alice, kasubsi_a, 3)
    steps = []
    params = {"session": session_a.pk, "base_url": "https://bapas.example.go.id/"}
    content, filename, content_type = tasks.render_certificates_file(params, progress=steps.append)
    assert steps and all(0 < step < 100 for step in steps)
    assert (filename, content_type) == ("sertifikat-PLT-0001.pdf", "application/pdf")
    direct = render_session_certificates(session_a, "https://bapas.example.go.id/")
    assert pages(content) == pages(direct) and len(pages(content)) == 3


def test_a_large_batch_reports_its_progress_part_by_part(session_a, office_a, alice, kasubsi_a):
    """31 certificates are laid out in two parts of at most 25: the progress bar moves twice."""
    certify(session_a, office_a, alice, kasubsi_a, 31)
    steps = []
    params = {"session": session_a.pk, "base_url": "https://bapas.example.go.id/"}
    content, _filename, _type = tasks.render_certificates_file(params, progress=steps.append)
    texts = pages(content)
    assert len(texts) == 31 and len(set(texts)) == 31  # every certificate once, in one document
    parts = [step for step in steps if 10 < step < 100]
    assert len(parts) == 2 and parts == sorted(parts) and parts[-1] == 90
