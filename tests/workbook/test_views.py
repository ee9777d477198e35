"""The import UI: upload, preview, confirm, progress; permissions of every view."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bapas.models import AccessLog
from clients.models import Client
from tests.workbook.conftest import full_workbook, make_xlsx
from workbook import models as workbook_models
from workbook.models import ImportJob, expire_old_jobs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def upload(client, content, name="klien.xlsx"):
    return client.post(reverse("workbook:import_upload"), {"file": SimpleUploadedFile(name, content, XLSX)})


def previewed_job(login, user, book=None):
    response = upload(login(user), make_xlsx(book or full_workbook()))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


# --- upload ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin_a", "kasi_a"])
def test_upload_page_for_admin_and_kasi(request, login, who):
    response = login(request.getfixturevalue(who)).get(reverse("workbook:import_upload"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("workbook:import_template") in body
    assert "Belum ada workbook yang diunggah di kantor ini." in body  # empty state


@pytest.mark.parametrize("who", ["alice", "kasubsi_a", "kabapas_a"])
def test_upload_page_forbidden_for_other_roles(request, login, who):
    assert login(request.getfixturevalue(who)).get(reverse("workbook:import_upload")).status_code == 403


def test_upload_page_regional_viewer_404(login, rita):
    assert login(rita).get(reverse("workbook:import_upload")).status_code == 404


def test_upload_anonymous_to_sign_in(client, db):
    response = client.get(reverse("workbook:import_upload"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_upload_wrong_method(login, admin_a):
    assert login(admin_a).put(reverse("workbook:import_upload")).status_code == 405


def test_pk_cannot_upload(login, alice):
    response = upload(login(alice), make_xlsx(full_workbook()))
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_upload_then_preview_shows_counts_and_writes_nothing(login, admin_a, alice, private_storage):
    job = previewed_job(login, admin_a)
    assert job.status == ImportJob.Status.PREVIEWED and job.office == admin_a.office and job.row_count == 12
    assert job.file and (private_storage / job.file.name).exists()
    assert not Client.objects.exists()
    response = login(admin_a).get(reverse("workbook:import_preview", args=[job.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Konfirmasi impor" in body and reverse("workbook:import_confirm", args=[job.pk]) in body
    assert "Klien" in body and "WajibLapor" in body


def test_preview_lists_errors_in_indonesian_and_cannot_be_confirmed(login, admin_a, alice):
    book = full_workbook()
    book["Klien"][1][7] = "123"
    job = previewed_job(login, admin_a, book)
    assert not job.file and not job.can_confirm
    body = login(admin_a).get(reverse("workbook:import_preview", args=[job.pk])).content.decode()
    assert "Klien!2 nik: NIK harus tepat 16 digit (tertulis “123”)." in body
    assert "1 kesalahan: tidak ada yang akan disimpan" in body
    assert reverse("workbook:import_confirm", args=[job.pk]) not in body
    response = login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]))
    assert response.status_code == 302 and not Client.objects.exists()


def test_preview_shows_old_and_new_values(login, admin_a, alice):
    job = previewed_job(login, admin_a)
    login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]))
    book = full_workbook()
    book["Klien"][1][5] = "2025-06-30"
    job = previewed_job(login, admin_a, book)
    body = login(admin_a).get(reverse("workbook:import_preview", args=[job.pk])).content.decode()
    assert "Perubahan di Klien" in body
    assert "akhir_bimbingan" in body and "2024-12-31" in body and "2025-06-30" in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("klien.xlsx", b"bukan excel", "Berkas bukan workbook Excel (.xlsx)."),
        ("klien.xls", b"\xd0\xcf\x11\xe0 old excel", "Format Excel lama (.xls) tidak didukung"),
        ("klien.xlsx", make_xlsx({"Lain": [["a"], ["b"]]}), "Workbook tidak berisi satu pun sheet"),
    ],
    ids=["not-excel", "old-excel", "no-known-sheet"],  # stable: the xlsx bytes hold the time they were made
)
def test_bad_files_are_refused_on_the_upload_page(login, admin_a, name, content, message):
    response = upload(login(admin_a), content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_file_over_the_limit_is_refused(login, admin_a):
    response = upload(login(admin_a), b"\0" * (21 * 1024 * 1024))
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- preview, confirm, status: permissions ----------------------------------------------------
@pytest.mark.parametrize("view", ["import_preview", "import_status", "import_progress"])
def test_job_views_other_office_404_pk_403_anonymous_302(login, client, admin_a, alice, admin_b, view):
    job = previewed_job(login, admin_a)
    url = reverse(f"workbook:{view}", args=[job.pk])
    assert login(admin_b).get(url).status_code == 404
    assert login(alice).get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(admin_a).post(url).status_code == 405


def test_confirm_permissions(login, client, admin_a, kasi_a, alice, admin_b, kasi_b):
    job = previewed_job(login, admin_a)
    url = reverse("workbook:import_confirm", args=[job.pk])
    assert login(admin_a).get(url).status_code == 405
    assert login(kasi_b).post(url).status_code == 404
    assert login(alice).post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302
    assert not Client.objects.exists()
    # The Kasi of the office may confirm the Admin's upload.
    response = login(kasi_a).post(url)
    assert response.status_code == 302 and response.url == reverse("workbook:import_status", args=[job.pk])
    assert Client.objects.filter(office=admin_a.office).count() == 2


def test_confirm_applies_once(login, admin_a, alice, private_storage):
    job = previewed_job(login, admin_a)
    stored = private_storage / job.file.name
    response = login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Workbook klien.xlsx berhasil diimpor." in body
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["applied"]
    assert not job.file and not stored.exists()  # the upload is deleted once imported
    assert Client.objects.count() == 2
    history = Client.objects.get(register_number="REG-1").history.first()
    assert history.history_user == admin_a and history.history_change_reason == "import klien.xlsx"
    assert history.ip_address == "127.0.0.1"
    again = login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "tidak dapat dikonfirmasi" in again.content.decode()
    assert Client.objects.count() == 2


def test_confirm_revalidates_against_the_data_of_that_moment(login, admin_a, alice):
    job = previewed_job(login, admin_a)
    from tests.factories import ClientFactory

    ClientFactory(office=admin_a.office, register_number="OTHER", nik="3671010101900001")
    login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert any("NIK" in issue for issue in job.result["issues"])
    assert Client.objects.count() == 1
    body = login(admin_a).get(reverse("workbook:import_status", args=[job.pk])).content.decode()
    assert "Klien!2 nik" in body


def test_expired_upload_cannot_be_confirmed(login, admin_a, alice, private_storage):
    job = previewed_job(login, admin_a)
    stored = private_storage / job.file.name
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    response = login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "kedaluwarsa" in response.content.decode()
    assert not Client.objects.exists()
    assert expire_old_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.EXPIRED and not stored.exists()


# --- background imports -------------------------------------------------------------------------
def test_large_workbook_runs_as_a_background_task_with_progress(login, admin_a, alice, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from workbook.tasks import run_import_job

    monkeypatch.setattr(workbook_models, "BACKGROUND_ROWS", 5)
    job = previewed_job(login, admin_a)
    response = login(admin_a).post(reverse("workbook:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.queue_name == "imports" and task.args_kwargs["args"] == [job.pk]
    assert not Client.objects.exists()
    page = login(admin_a).get(reverse("workbook:import_status", args=[job.pk])).content.decode()
    assert f'data-progress-url="{reverse("workbook:import_progress", args=[job.pk])}"' in page
    assert "js/workbook.js" in page
    progress = login(admin_a).get(reverse("workbook:import_progress", args=[job.pk])).json()
    assert progress == {
        "status": "QUEUED",
        "status_label": "Dalam antrean",
        "done": 0,
        "total": 12,
        "percent": 0,
        "finished": False,
    }
    # What the worker does:
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Client.objects.count() == 2
    progress = login(admin_a).get(reverse("workbook:import_progress", args=[job.pk])).json()
    assert progress["finished"] and progress["done"] == progress["total"] == 12


def test_progress_file_is_read_while_running(login, admin_a, alice):
    job = previewed_job(login, admin_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    job.write_progress(6, 12)
    progress = login(admin_a).get(reverse("workbook:import_progress", args=[job.pk])).json()
    assert (progress["done"], progress["percent"], progress["finished"]) == (6, 50, False)


# --- template ------------------------------------------------------------------------------------
def test_template_download(login, kasi_a, alice):
    response = login(kasi_a).get(reverse("workbook:import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Petunjuk",
        "Mitra",
        "PKS",
        "Klien",
        "Pelatihan",
        "Peserta",
        "Kehadiran",
        "TindakLanjut",
        "WajibLapor",
        "Izin",
        "Peringatan",
        "SidangTPP",
    ]
    klien = [[c.value for c in row] for row in book["Klien"].iter_rows()]
    assert klien[0][:6] == ["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan"]
    filled = [row for row in klien if any(value is not None for value in row)]  # below: empty text-formatted rows
    assert len(filled) == 2 and klien[1][0] == "PAS.00001/2024"
    guide = "\n".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Cara mengisi workbook ini" in guide
    assert "NIK: tepat 16 digit" in guide and "MASYARAKAT, KEAGAMAAN" in guide
    assert login(alice).get(reverse("workbook:import_template")).status_code == 403


def test_the_untouched_template_imports_nothing(login, admin_a):
    content = login(admin_a).get(reverse("workbook:import_template")).content
    response = upload(login(admin_a), content, "template.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.preview["issues"] == []
    assert sum(s["created"] for s in job.preview["sheets"]) == 0
    assert all(s["examples_skipped"] == 1 for s in job.preview["sheets"])


# --- query budgets --------------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", [1, 8])
def test_upload_page_queries_do_not_grow_with_jobs(login, admin_a, alice, django_assert_max_num_queries, jobs):
    for _ in range(jobs):
        ImportJob.objects.create(office=admin_a.office, created_by=admin_a, filename="a.xlsx")
    client = login(admin_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("workbook:import_upload")).status_code == 200


@pytest.mark.parametrize("clients", [2, 60])
def test_preview_and_import_queries_do_not_grow_with_rows(
    login, admin_a, alice, django_assert_max_num_queries, clients
):
    book = full_workbook()
    for number in range(3, clients + 1):
        book["Klien"].append([f"REG-{number}", "Klien", "L", "PB", "2024-01-01", "2024-12-31", "alice", "", ""])
        book["WajibLapor"].append([f"REG-{number}", "2024-02-01 10:00", "", ""])
    client = login(admin_a)
    content = make_xlsx(book)
    with django_assert_max_num_queries(70):
        assert upload(client, content).status_code == 302
    job = ImportJob.objects.latest("id")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("workbook:import_preview", args=[job.pk])).status_code == 200
    with django_assert_max_num_queries(90):
        client.post(reverse("workbook:import_confirm", args=[job.pk]))
    assert Client.objects.count() == clients


# --- office export -------------------------------------------------------------------------------
def test_export_office(login, admin_a, alice, office_b):
    from tests.factories import ClientFactory

    login(admin_a).post(reverse("workbook:import_confirm", args=[previewed_job(login, admin_a).pk]))
    ClientFactory(office=office_b, register_number="B-1")
    response = login(admin_a).get(reverse("workbook:export_office"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Mitra",
        "PKS",
        "Klien",
        "Pelatihan",
        "Peserta",
        "Kehadiran",
        "TindakLanjut",
        "WajibLapor",
        "Izin",
        "Peringatan",
        "SidangTPP",
    ]
    registers = [row[0] for row in book["Klien"].iter_rows(min_row=2, values_only=True)]
    assert registers == ["REG-1", "REG-2"]  # never another office's clients
    assert AccessLog.objects.filter(user=admin_a, action="workbook_export").exists()


@pytest.mark.parametrize(
    ("who", "status"), [("kasi_a", 200), ("alice", 403), ("kasubsi_a", 403), ("kabapas_a", 403), ("rita", 404)]
)
def test_export_office_permissions(request, login, who, status):
    assert login(request.getfixturevalue(who)).get(reverse("workbook:export_office")).status_code == status


def test_export_office_anonymous_and_method(client, login, admin_a):
    response = client.get(reverse("workbook:export_office"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(admin_a).post(reverse("workbook:export_office")).status_code == 405


def test_navigation_shows_import_to_admin(login, admin_a):
    body = login(admin_a).get(reverse("workbook:import_upload")).content.decode()
    assert 'data-nav="workbook:import_upload"' in body


def _zip_bomb(unpacked_bytes: int) -> bytes:
    """An XLSX-shaped zip whose one sheet unpacks to ``unpacked_bytes`` of spaces (a few KB packed)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def test_workbook_too_large_once_unpacked_is_refused_before_it_is_opened(login, admin_a, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open it")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    content = _zip_bomb(60 * 1024 * 1024)
    assert len(content) < 1024 * 1024
    response = upload(login(admin_a), content)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Workbook terlalu besar setelah dibuka" in body and "50,0 MB" in body
    assert not ImportJob.objects.exists()
