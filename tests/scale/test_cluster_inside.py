"""The database side of the multi-host proof (bench/cluster_inside.py), on a tiny scale data set: what it
prepares is usable (the load users, the writer's clients, report pages that answer, a certificate batch
large enough for the background), and the count of acknowledged writes finds a missing one."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from bapas.models import User
from bench import cluster_inside
from clients.models import Client
from reports.views import CERTIFICATES_SYNC_MAX
from tests.factories import ReportingVisitFactory
from trainings.models import Enrolment


@pytest.fixture
def prepared(db):
    call_command("seed_scale", "--clients", "300", "--offices", "2", "--seed", "3", verbosity=0)
    return cluster_inside.prepare(users=10, batch=CERTIFICATES_SYNC_MAX + 10)


def test_prepare_gives_the_load_users_and_the_probes_what_they_need(prepared, client):
    specs = prepared["specs"]
    assert 0 < len(specs) <= 10 and {spec["role"] for spec in specs} == {"lead", "kasubsi", "pk"}
    writer = prepared["writer"]
    assert writer["username"] not in {spec["username"] for spec in prepared["specs"]}
    assert writer["visits"]
    client.force_login(User.objects.get(username=writer["username"]))
    assert client.get(writer["visits"][0]).status_code == 200
    client.force_login(User.objects.get(username=prepared["reader"]["username"]))
    for path in prepared["reader"]["paths"]:
        assert client.get(path).status_code == 200, path


def test_the_batch_is_made_in_the_background(prepared, client):
    session = prepared["batch"]["session"]
    certificates = Enrolment.objects.filter(
        session=session, certificate_number__isnull=False, status__in=Enrolment.COUNTED
    ).count()
    assert certificates == CERTIFICATES_SYNC_MAX + 10
    client.force_login(User.objects.get(username=prepared["batch"]["username"]))
    response = client.get(prepared["batch"]["path"])
    assert response.status_code == 302 and "/berkas/" in response["Location"]


def test_verify_counts_an_acknowledged_write_missing_from_the_database(db, tmp_path):
    stored = ReportingVisitFactory(notes=f"{cluster_inside.NOTE_PREFIX}-1-00001")
    missing = f"{cluster_inside.NOTE_PREFIX}-1-00002"
    writes = [[1.0, 1.2, 302, stored.notes, ""], [2.0, 2.2, 302, missing, ""], [3.0, 3.1, 503, "", "error page"]]
    (tmp_path / "client.json").write_text(json.dumps({"writes": writes}))
    args = type("Args", (), {"client": str(tmp_path / "client.json"), "batch_id": None})
    result = cluster_inside.verify(args)
    assert result["acknowledged"] == 2 and result["found"] == 1
    assert result["lost"] == [missing]
    assert Client.objects.filter(pk=stored.client_id).exists()


def test_the_writer_never_gives_one_client_two_reports_in_a_minute():
    probe = cluster_inside.Probe.__new__(cluster_inside.Probe)
    probe.first_minute = None
    form = type("Form", (), {"fields": [("reported_at", "2026-11-30T14:05")]})
    minutes = [probe.reported_at(form, round_) for round_ in range(3)]
    assert minutes == ["2026-11-30T14:05", "2026-11-30T14:04", "2026-11-30T14:03"]


def test_the_batch_status_address_is_the_apps():
    assert cluster_inside.STATUS_PATH.format(id=7) == reverse("reports:generated_status", args=[7])
