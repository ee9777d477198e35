"""Pokmaslipas partners and their agreements (PKS / MoU)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bapas.history import audited
from bapas.models import Office

EXPIRING_DAYS = 90


class Scope(models.TextChoices):
    """What a partner offers and what an agreement covers (workbook codes)."""

    PERSONALITY = "KEPRIBADIAN", _("Personality guidance")
    INDEPENDENCE = "KEMANDIRIAN", _("Independence guidance (vocational training)")
    LEGAL_AID = "ADVOKASI_HUKUM", _("Legal aid")
    JOB_PLACEMENT = "PENEMPATAN_KERJA", _("Job placement")
    BUSINESS_MENTORING = "PENDAMPINGAN_USAHA", _("Business mentoring")
    STARTUP_CAPITAL = "BANTUAN_MODAL", _("Start-up capital")


def split_codes(value: str) -> list[str]:
    return [code.strip().upper() for code in (value or "").split(",") if code.strip()]


class Partner(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "MASYARAKAT", _("Community group or foundation")
        RELIGIOUS = "KEAGAMAAN", _("Religious body")
        COMPANY = "SWASTA", _("Company")
        LPK = "LPK", _("Training institute (LPK)")
        UNIVERSITY = "PERGURUAN_TINGGI", _("University")
        GOVERNMENT = "PEMERINTAH", _("Government agency")

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="partners")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.TextField(_("address"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    offers = models.CharField(
        _("guidance offered"), max_length=200, blank=True, help_text=_("Comma-separated scope codes.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partner (Pokmaslipas)")
        verbose_name_plural = _("partners (Pokmaslipas)")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code"],
                name="partner_code_unique_per_office",
                violation_error_message=_("This partner code is already used in this office."),
            ),
        ]
        indexes = [models.Index(fields=["office", "name"], name="partner_office_name")]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A PKS or MoU. Renewals and addenda are new agreements linked to the one they renew."""

    class Kind(models.TextChoices):
        PKS = "PKS", _("Cooperation agreement (PKS)")
        MOU = "MOU", _("Memorandum of understanding (MoU)")
        ADDENDUM = "ADDENDUM", _("Addendum")

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        EXPIRING = "EXPIRING", _("Expiring")
        EXPIRED = "EXPIRED", _("Expired")
        TERMINATED = "TERMINATED", _("Terminated")

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="agreements")
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField(_("Bapas agreement number"), max_length=100)
    partner_number = models.CharField(_("partner's agreement number"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PKS)
    title = models.CharField(_("title"), max_length=300, blank=True)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    start_date = models.DateField(_("valid from"))
    end_date = models.DateField(_("valid until"))
    scope = models.CharField(_("scope"), max_length=200, blank=True, help_text=_("Comma-separated scope codes."))
    bapas_signatory = models.CharField(_("Bapas signatory"), max_length=200, blank=True)
    bapas_signatory_title = models.CharField(_("Bapas signatory's position"), max_length=200, blank=True)
    partner_signatory = models.CharField(_("partner signatory"), max_length=200, blank=True)
    partner_signatory_title = models.CharField(_("partner signatory's position"), max_length=200, blank=True)
    document = models.FileField(_("scanned document (PDF)"), upload_to="agreements/%Y/%m/", blank=True, max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    renews = models.ForeignKey(
        "self", verbose_name=_("renews"), on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["-end_date", "-id"]
        verbose_name = _("agreement (PKS)")
        verbose_name_plural = _("agreements (PKS)")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"],
                name="agreement_number_unique_per_office",
                violation_error_message=_("An agreement with this number already exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["office", "end_date"], name="agreement_office_end")]

    def __str__(self) -> str:
        return f"{self.number} ({self.partner})"

    @property
    def scope_list(self) -> list[str]:
        return split_codes(self.scope)

    def status_on(self, as_of: date) -> str:
        """Status as of a date, as docs/INTERFACES.md section 3 defines it for the agreements report."""
        if self.terminated_on and self.terminated_on <= as_of:
            return self.Status.TERMINATED
        if self.end_date < as_of:
            return self.Status.EXPIRED
        if self.end_date <= as_of + timedelta(days=EXPIRING_DAYS):
            return self.Status.EXPIRING
        return self.Status.ACTIVE

    def is_valid_between(self, start: date, end: date) -> bool:
        """True when the agreement covers every day from start to end and was not terminated before."""
        if self.terminated_on and self.terminated_on <= end:
            return False
        return self.start_date <= start and end <= self.end_date


def renewals() -> QuerySet:
    """The agreements that renew the outer agreement: not terminated and ending after it."""
    return Agreement.objects.filter(
        renews=OuterRef("pk"), terminated_on__isnull=True, end_date__gt=OuterRef("end_date")
    )


def expiring_agreements(qs: QuerySet, today: date) -> QuerySet:
    """The one meaning of "expiring" for alerts and counts: agreements that need renewing.

    Status EXPIRING today (today <= end date <= today + 90 days), no termination recorded, and not
    renewed yet (``renewals``): an agreement already renewed by a later one needs no action. The
    office alerts, the dashboards and the summaries count these; the agreements report shows each
    agreement's own status and names its renewal (``renewed_by``).
    """
    return qs.filter(
        terminated_on__isnull=True, end_date__gte=today, end_date__lte=today + timedelta(days=EXPIRING_DAYS)
    ).exclude(Exists(renewals()))
