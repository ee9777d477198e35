"""Files rendered in the background (large reports, certificate batches), kept per user for a while;
the offices' dashboard summary rows; the offices' monthly returns."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bapas.history import audited


def stored_language() -> str:
    """The language of the kept rows a request reads (summary rows and rollups hold translated labels)."""
    return (translation.get_language() or settings.LANGUAGE_CODE)[:10]


def background_refresh_enabled() -> bool:
    """Whether the worker recomputes outdated summary rows and rollups (meanwhile pages show the
    rows of a moment ago); off, every request computes what it lacks."""
    return getattr(settings, "DASHBOARD_BACKGROUND_REFRESH", True)


def generated_upload_to(instance, filename):
    return f"generated/{instance.user_id}/{timezone.now():%Y/%m}/{filename}"


class GeneratedFile(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting")
        RUNNING = "RUNNING", _("Running")
        DONE = "DONE", _("Ready")
        FAILED = "FAILED", _("Failed")

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Participation")
        IMPLEMENTATION = "implementation", _("Implementation rate")
        COMPLIANCE = "compliance", _("Wajib lapor compliance")
        AGREEMENTS = "agreements", _("Agreements")
        CERTIFICATES = "certificates", _("Certificate batch")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generated_files")
    office = models.ForeignKey("bapas.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=generated_upload_to, blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The worker's last sign of life while it renders (start and every progress step): a file whose
    # worker died (killed, out of memory, machine down) is handed to another worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="generated_user_created"),
            models.Index(fields=["expires_at"], name="generated_expires"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def default_expiry(self):
        return timezone.now() + timedelta(hours=settings.GENERATED_FILE_RETENTION_HOURS)


class OfficeSummary(models.Model):
    """The office's dashboard aggregates for one day and language (a summary table row).

    Served while ``version`` equals the office's current ``bapas.OfficeDataVersion``; recomputed otherwise.
    The regional dashboard adds these rows up instead of aggregating millions of raw rows.
    """

    office = models.ForeignKey("bapas.Office", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    language = models.CharField(max_length=10)
    version = models.PositiveBigIntegerField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    seconds = models.FloatField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office summary")
        constraints = [models.UniqueConstraint(fields=["office", "day", "language"], name="office_summary_unique_day")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} {self.language} v{self.version}"


def monthly_return_upload_to(instance, filename):
    return f"monthly/{instance.office_id}/{instance.month:%Y-%m}/{filename}"


class MonthlyReturn(models.Model):
    """An office's return (*laporan bulanan*) for one month, one row per revision.

    A DRAFT revision holds who reviewed it; its figures are computed when asked. Signing freezes the
    figures (``data``) and the PDF: a signed revision is never recomputed or changed. A correction
    is a new revision with a reason; the signed one stays as it was.
    """

    class State(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        SIGNED = "SIGNED", _("Signed")

    office = models.ForeignKey("bapas.Office", on_delete=models.PROTECT, related_name="monthly_returns")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.DRAFT)
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    data = models.JSONField(_("figures"), encoder=DjangoJSONEncoder, null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=monthly_return_upload_to, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["office", "-month", "-revision"]
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        constraints = [
            models.UniqueConstraint(fields=["office", "month", "revision"], name="monthly_return_unique_revision")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.month:%Y-%m} r{self.revision} {self.state}"

    def save(self, *args, **kwargs):
        """A signed revision is frozen: saving it again is refused (a correction is a new revision)."""
        if self.pk and MonthlyReturn.objects.filter(pk=self.pk, state=self.State.SIGNED).exists():
            raise ValidationError(_("A signed monthly return cannot be changed; start a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and MonthlyReturn.objects.filter(pk=self.pk, state=self.State.SIGNED).exists():
            raise ValidationError(_("A signed monthly return cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED


class OfficeRollup(models.Model):
    """One office's report facts for one calendar year and language (``reports.rollups``).

    The regional and national report pages add these rows up instead of aggregating the raw rows of
    every office. Served while ``version`` equals the office's current ``bapas.OfficeDataVersion`` and,
    for a year not over when it was computed, on the office's ``day`` it was computed for.

    Each part is JSON text in its own column: a page reads only the parts its report folds, and text
    comes back from the database as stored (no conversion of megabytes of jsonb per request).
    """

    PARTS = ("sessions", "people", "clients", "groups", "planned", "compliance")

    office = models.ForeignKey("bapas.Office", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=10)
    day = models.DateField(help_text="The office's date the row was computed on.")
    version = models.PositiveBigIntegerField()
    sessions = models.TextField(help_text="JSON: the held sessions of the year with their counts.")
    people = models.TextField(help_text="JSON: participants as [session, programme, sex, n].")
    clients = models.TextField(help_text="JSON: {session: [participating client ids]}.")
    groups = models.TextField(help_text="JSON: participants as [session, domicile, matched interest, status, n].")
    planned = models.TextField(help_text="JSON: sessions not held yet as [id, partner, type, start].")
    compliance = models.TextField(help_text="JSON: due and reported per month, warnings per month and level.")
    seconds = models.FloatField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office report rollup")
        constraints = [models.UniqueConstraint(fields=["office", "year", "language"], name="office_rollup_unique_year")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.year} {self.language} v{self.version}"
