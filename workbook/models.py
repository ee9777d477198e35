"""An uploaded workbook on its way into the office: preview, confirmation, background run."""

import datetime as dt
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bapas.models import Office

# Uploaded workbooks wait this long for a confirmation before they are deleted.
EXPIRY_HOURS = getattr(settings, "WORKBOOK_UPLOAD_EXPIRY_HOURS", 24)
# Larger workbooks are imported by the task worker (queue "imports") with a progress page.
BACKGROUND_ROWS = getattr(settings, "WORKBOOK_BACKGROUND_ROWS", 2000)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "PREVIEWED", _("Awaiting confirmation")
        QUEUED = "QUEUED", _("Queued")
        RUNNING = "RUNNING", _("Importing")
        DONE = "DONE", _("Imported")
        FAILED = "FAILED", _("Failed")
        EXPIRED = "EXPIRED", _("Expired")

    OPEN = (Status.PREVIEWED,)
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        indexes = [models.Index(fields=["office", "-created_at"], name="importjob_office_created")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + dt.timedelta(hours=EXPIRY_HOURS)

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (self.status in self.OPEN and timezone.now() >= self.expires_at)

    @property
    def can_confirm(self) -> bool:
        return self.status in self.OPEN and not self.is_expired and not self.preview.get("issues") and bool(self.file)

    @property
    def runs_in_background(self) -> bool:
        return self.row_count > BACKGROUND_ROWS

    def delete_file(self) -> None:
        if self.file:
            self.file.delete(save=False)
        self.file = ""

    # Progress of a running import lives in a small file beside the upload: the import itself
    # runs inside one database transaction, which other requests cannot see into.
    def _progress_path(self) -> Path | None:
        try:
            return Path(default_storage.path(f"imports/progress/{self.pk}.json"))
        except NotImplementedError:
            return None

    def write_progress(self, done: int, total: int) -> None:
        path = self._progress_path()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "total": total}))
        os.replace(temporary, path)

    def read_progress(self) -> dict:
        path = self._progress_path()
        try:
            return json.loads(path.read_text()) if path else {}
        except (OSError, ValueError):
            return {}

    def clear_progress(self) -> None:
        path = self._progress_path()
        if path is not None:
            path.unlink(missing_ok=True)


def expire_old_jobs(now: dt.datetime | None = None) -> int:
    """Delete the files of previews nobody confirmed in time; returns how many expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=EXPIRY_HOURS)
    count = 0
    for job in ImportJob.objects.filter(status__in=ImportJob.OPEN, created_at__lt=cutoff):
        job.delete_file()
        job.status = ImportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count
