"""Pokmaslipas partners and their agreements (PKS / MoU)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bapas.history import audited
from bapas.models import Office, Region

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


class Level(models.TextChoices):
    """Whom a partner or an agreement belongs to: one office, one region (Kanwil) or the nation (Ditjenpas).

    A regional or national record is kept by its Admin Kanwil or Admin Ditjenpas and covers every
    office under it: their staff read it and plan trainings under it."""

    OFFICE = "OFFICE", _("Office")
    REGION = "REGION", _("Regional (Kanwil)")
    NATION = "NATION", _("National")


def owner_check(name: str) -> models.CheckConstraint:
    """Exactly the owner the level names is set: the office, the region, or neither (national)."""
    return models.CheckConstraint(
        condition=Q(level=Level.OFFICE, office__isnull=False, region__isnull=True)
        | Q(level=Level.REGION, office__isnull=True, region__isnull=False)
        | Q(level=Level.NATION, office__isnull=True, region__isnull=True),
        name=name,
        violation_error_message=_("A record belongs to exactly one office, one region or the nation."),
    )


def covering_q(office, prefix: str = "") -> Q:
    """The records an office works with: its own, its region's and the national ones."""
    q = Q(**{f"{prefix}office_id": getattr(office, "pk", office)}) | Q(**{f"{prefix}level": Level.NATION})
    region_id = getattr(office, "region_id", None)
    if region_id:
        q |= Q(**{f"{prefix}level": Level.REGION, f"{prefix}region_id": region_id})
    return q


def owner_label(level: str, *, office_name: str = "", province: str = "") -> str:
    """The owner of a partner or agreement as lists and pages show it: "Nasional", "Kanwil <province>"
    or the office's name."""
    if level == Level.NATION:
        return str(_("National"))
    if level == Level.REGION:
        return str(_("Kanwil %(province)s") % {"province": province})
    return office_name


class Owned:
    """What partners and agreements share about their owner (``level``, ``office``, ``region``)."""

    level: str
    office_id: int | None
    region_id: int | None

    @property
    def is_office_level(self) -> bool:
        return self.level == Level.OFFICE

    @property
    def owner_name(self) -> str:
        """ "Nasional", the region's name or the office's name: the label lists and pages show."""
        if self.level == Level.NATION:
            return owner_label(Level.NATION)
        if self.level == Level.REGION:
            return owner_label(Level.REGION, province=self.region.province)  # type: ignore[attr-defined]
        return owner_label(Level.OFFICE, office_name=str(self.office))  # type: ignore[attr-defined]

    @property
    def keeper_name(self) -> str:
        """Who keeps the record, for sentences: "Ditjenpas", "Kanwil Banten" or the office's name."""
        return "Ditjenpas" if self.level == Level.NATION else self.owner_name

    def covers(self, office) -> bool:
        """True when the office works under this record (its own, its region's or a national one)."""
        if self.level == Level.NATION:
            return True
        if self.level == Level.REGION:
            return self.region_id is not None and self.region_id == office.region_id
        return self.office_id == office.pk

    def covered_office_ids(self) -> list[int]:
        """The offices whose figures may show this record: their data version moves with it."""
        if self.level == Level.OFFICE:
            return [self.office_id] if self.office_id else []
        offices = (
            Office.objects.all() if self.level == Level.NATION else Office.objects.filter(region_id=self.region_id)
        )
        return list(offices.values_list("pk", flat=True))

    def same_owner(self, other) -> bool:
        return (self.level, self.office_id, self.region_id) == (other.level, other.office_id, other.region_id)


class Partner(Owned, models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "MASYARAKAT", _("Community group or foundation")
        RELIGIOUS = "KEAGAMAAN", _("Religious body")
        COMPANY = "SWASTA", _("Company")
        LPK = "LPK", _("Training institute (LPK)")
        UNIVERSITY = "PERGURUAN_TINGGI", _("University")
        GOVERNMENT = "PEMERINTAH", _("Government agency")

    level = models.CharField(_("level"), max_length=6, choices=Level.choices, default=Level.OFFICE)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True, related_name="partners"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="partners"
    )
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
            models.UniqueConstraint(
                fields=["region", "code"],
                condition=Q(level=Level.REGION),
                name="partner_code_unique_per_region",
                violation_error_message=_("This partner code is already used in this region."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(level=Level.NATION),
                name="partner_code_unique_national",
                violation_error_message=_("This partner code is already used by a national partner."),
            ),
            owner_check("partner_owner_matches_level"),
        ]
        indexes = [models.Index(fields=["office", "name"], name="partner_office_name")]

    def __str__(self) -> str:
        return self.name


class Agreement(Owned, models.Model):
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

    level = models.CharField(_("level"), max_length=6, choices=Level.choices, default=Level.OFFICE)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
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
            models.UniqueConstraint(
                fields=["region", "number"],
                condition=Q(level=Level.REGION),
                name="agreement_number_unique_per_region",
                violation_error_message=_("An agreement with this number already exists."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(level=Level.NATION),
                name="agreement_number_unique_national",
                violation_error_message=_("An agreement with this number already exists."),
            ),
            owner_check("agreement_owner_matches_level"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["office", "end_date"], name="agreement_office_end")]

    def __str__(self) -> str:
        return f"{self.number} ({self.partner})"

    def clean(self):
        super().clean()
        if self.partner_id and not self.same_owner(self.partner):
            raise ValidationError(
                {"partner": _("The agreement belongs to the same office, region or nation as its partner.")}
            )

    @property
    def scope_list(self) -> list[str]:
        return split_codes(self.scope)

    def status_on(self, as_of: date) -> str:
        """Status as of a date, as docs/INTERFACES.md section 3 defines it for the agreements report."""
        return agreement_status(self.end_date, self.terminated_on, as_of)

    def is_valid_between(self, start: date, end: date) -> bool:
        """True when the agreement covers every day from start to end and was not terminated before."""
        if self.terminated_on and self.terminated_on <= end:
            return False
        return self.start_date <= start and end <= self.end_date


def agreement_status(end_date: date, terminated_on: date | None, as_of: date) -> str:
    """An agreement's status as of a date (``Agreement.status_on``; the agreements report reads the
    dates without building the agreement)."""
    if terminated_on and terminated_on <= as_of:
        return Agreement.Status.TERMINATED
    if end_date < as_of:
        return Agreement.Status.EXPIRED
    if end_date <= as_of + timedelta(days=EXPIRING_DAYS):
        return Agreement.Status.EXPIRING
    return Agreement.Status.ACTIVE


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
