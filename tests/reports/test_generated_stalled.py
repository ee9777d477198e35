"""A background file whose worker died is handed to another worker, which finishes it."""

import datetime as dt
import json
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.models import GeneratedFile
from reports.services import generated_file_request, generated_files_requeue_stalled
from tests.reports.test_generated import PARAMS

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "imports"]}
}


def _worker_claims_and_dies(generated: GeneratedFile, *, silent_for: int, attempts: int = 1) -> None:
    """What a worker leaves behind when it is killed mid-file: its task claimed, the file running."""
    DBTaskResult.objects.filter(id=generated.task_id).update(status="RUNNING", started_at=timezone.now())
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=GeneratedFile.Status.RUNNING,
        progress=40,
        attempts=attempts,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=silent_for),
    )


def _run_worker() -> None:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", "--batch", "--queue-name", "reports", "--no-startup-delay", "--no-reload", "--interval", "0"
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_worker_died_is_finished_by_another(world, login, kasi_a, office_a, settings):
    settings.TASKS = DATABASE_TASKS
    generated = generated_file_request(user=kasi_a, kind="participation", params=PARAMS, title="x", office=office_a)
    generated.refresh_from_db()
    _worker_claims_and_dies(generated, silent_for=settings.GENERATED_FILE_STALLED_SECONDS + 60)
    _run_worker()  # the dead worker's task is claimed: nothing to run yet
    generated.refresh_from_db()
    assert generated.status == "RUNNING"
    # The user's progress page polls the status: the stalled file goes to a new task.
    status = json.loads(login(kasi_a).get(reverse("reports:generated_status", args=[generated.pk])).content)
    assert status["status"] == "PENDING" and status["progress"] == 0
    _run_worker()
    generated.refresh_from_db()
    assert generated.status == "DONE" and generated.progress == 100 and generated.attempts == 2
    assert generated.file.size > 1000


@pytest.mark.django_db(transaction=True)
def test_a_slow_worker_keeps_its_file_and_a_third_death_fails_it(world, kasi_a, office_a, settings):
    settings.TASKS = DATABASE_TASKS
    generated = generated_file_request(user=kasi_a, kind="participation", params=PARAMS, title="x", office=office_a)
    generated.refresh_from_db()
    _worker_claims_and_dies(generated, silent_for=settings.GENERATED_FILE_STALLED_SECONDS - 60)
    assert generated_files_requeue_stalled() == 0  # still within its time: left alone
    _worker_claims_and_dies(generated, silent_for=settings.GENERATED_FILE_STALLED_SECONDS + 60, attempts=3)
    assert generated_files_requeue_stalled() == 1
    generated.refresh_from_db()
    assert generated.status == "FAILED" and generated.finished_at is not None
    assert "berhenti 3 kali" in generated.error
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # not queued a fourth time
