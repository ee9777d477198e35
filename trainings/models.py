"""Independence trainings: types, sessions, enrolments, daily attendance and outcome follow-ups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bapas.history import audited
from bapas.models import Office
from clients.models import Client, ReportingVisit
from pokmaslipas.models import Agreement, Partner

FOLLOW_UP_MONTHS = (1, 3, 6, 12)


class TrainingType(models.Model):
    class Category(models.TextChoices):
        CULINARY = "KULINER", _("Culinary")
        FARMING = "PERTANIAN", _("Farming")
        FISHERIES = "PERIKANAN", _("Fisheries")
        SERVICES = "JASA", _("Services")
        BEAUTY = "KECANTIKAN", _("Beauty")
        TECHNICAL = "OTOMOTIF_TEKNIK", _("Automotive and technical")
        CRAFTS = "KERAJINAN", _("Crafts")
        DIGITAL = "DIGITAL", _("Digital")
        OTHER = "LAINNYA", _("Other")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="training_types")
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    # The partners who can deliver this type; a partner's list is ``partner.training_types``.
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("partners who can deliver it"),
        through="PartnerTrainingType",
        blank=True,
        related_name="training_types",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("training type")
        verbose_name_plural = _("training types")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="training_type_unique_per_office",
                violation_error_message=_("This training type already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerTrainingType(models.Model):
    """A training type a partner can deliver; each link added or removed is kept in the audit history."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+")
    training_type = models.ForeignKey(
        TrainingType, verbose_name=_("training type"), on_delete=models.CASCADE, related_name="+"
    )

    history = audited()

    class Meta:
        verbose_name = _("training type of a partner")
        verbose_name_plural = _("training types of partners")
        constraints = [
            models.UniqueConstraint(fields=["partner", "training_type"], name="partner_training_type_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.training_type_id}"


# Pages list every day of a session: a span of centuries would take minutes to render.
MAX_SESSION_DAYS = 366


def session_dates_errors(start, end) -> dict:
    """The errors of a session's dates (by field): an end before the start, or a session too long."""
    if not start or not end:
        return {}
    if end < start:
        return {"end_date": _("The end date cannot be before the start date.")}
    if (end - start).days >= MAX_SESSION_DAYS:
        return {"end_date": _("A training lasts at most %(days)s days.") % {"days": MAX_SESSION_DAYS}}
    return {}


class TrainingSession(models.Model):
    class Method(models.TextChoices):
        INTRODUCTION = "PENGENALAN", _("Introduction")
        PRACTICE = "PRAKTIK", _("Hands-on practice")
        APPRENTICESHIP = "MAGANG", _("Apprenticeship")

    class LocationKind(models.TextChoices):
        HALL = "AULA", _("Bapas hall")
        PARTNER_SITE = "MITRA", _("Partner site")
        OTHER = "LAINNYA", _("Other address")

    class Status(models.TextChoices):
        PLANNED = "PLANNED", _("Planned")
        HELD = "HELD", _("Held")
        CANCELLED = "CANCELLED", _("Cancelled")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="training_sessions")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    training_type = models.ForeignKey(
        TrainingType, verbose_name=_("training type"), on_delete=models.PROTECT, related_name="sessions"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement (PKS)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    location_kind = models.CharField(
        _("location"), max_length=8, choices=LocationKind.choices, default=LocationKind.HALL
    )
    location = models.CharField(_("address or place"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_per_day = models.DecimalField(_("hours per day"), max_digits=4, decimal_places=1, null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (Rp)"), null=True, blank=True)
    transport_per_day = models.PositiveIntegerField(
        _("transport money per participant per day (Rp)"), null=True, blank=True
    )
    souvenir = models.CharField(_("souvenir"), max_length=200, blank=True)
    issues_certificate = models.BooleanField(_("issues certificates"), default=True)
    certificate_min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance for a certificate (%)"), default=80
    )
    facilitators = models.TextField(_("facilitators"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("repeat of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code"],
                name="session_code_unique_per_office",
                violation_error_message=_("This session code is already used in this office."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["office", "start_date"], name="session_office_start")]

    def __str__(self) -> str:
        from bapas.formatting import date_label

        return f"{self.title} ({date_label(self.start_date)})"

    def clean(self):
        super().clean()
        errors = session_dates_errors(self.start_date, self.end_date)
        if errors:
            raise ValidationError(errors)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def dates(self):
        from datetime import timedelta

        return [self.start_date + timedelta(days=i) for i in range(self.days)]


class Enrolment(models.Model):
    class Status(models.TextChoices):
        INVITED = "INVITED", _("Invited")
        REGISTERED = "REGISTERED", _("Registered")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        CANCELLED = "CANCELLED", _("Cancelled")

    class Motivation(models.IntegerChoices):
        """The PK's rating of the client's motivation and interest before the training (1 low to 5 high)."""

        VERY_LOW = 1, _("1 – very low: comes only because it is required, no interest in the skill")
        LOW = 2, _("2 – low: little interest, doubts the skill will be used")
        MODERATE = 3, _("3 – moderate: some interest, no plan yet to use the skill")
        HIGH = 4, _("4 – high: interested, with a plan to use the skill")
        VERY_HIGH = 5, _("5 – very high: eager, work or means to use the skill are waiting")

    COUNTED = (Status.INVITED, Status.REGISTERED)

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="enrolments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)
    status_reason = models.TextField(_("reason"), blank=True)
    motivation = models.PositiveSmallIntegerField(
        _("motivation"),
        choices=Motivation.choices,
        null=True,
        blank=True,
        help_text=_("Rated by the PK at enrolment; locked once the training starts."),
    )
    matched_interest = models.BooleanField(_("matches the client's interest"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=60, null=True, blank=True, unique=True)
    certificate_issued_at = models.DateTimeField(_("certificate issued"), null=True, blank=True)
    # The secret in the certificate's QR code and verification link (trainings.certificates): random,
    # never derived from the sequential number, so that nobody can walk the holders' names.
    certificate_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited(excluded_fields=["certificate_token"])

    class Meta:
        ordering = ["session", "client__name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "client"],
                name="enrolment_unique",
                violation_error_message=_("This client is already enrolled in this session."),
            )
        ]
        indexes = [models.Index(fields=["client", "status"], name="enrolment_client_status")]

    def __str__(self) -> str:
        return f"{self.client} @ {self.session}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "HADIR", _("Present")
        LATE = "TERLAMBAT", _("Late")
        EXCUSED = "IZIN", _("Excused")
        ABSENT = "TIDAK_HADIR", _("Absent")

    ATTENDED = (Status.PRESENT, Status.LATE)

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=11, choices=Status.choices, default=Status.PRESENT)
    transport_paid = models.PositiveIntegerField(_("transport money paid (Rp)"), default=0)
    counts_as_report = models.ForeignKey(
        ReportingVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["date"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["enrolment", "date"], name="attendance_unique_day")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.date} {self.status}"


class FollowUp(models.Model):
    class Status(models.TextChoices):
        NOT_APPLIED = "BELUM_MENERAPKAN", _("Not applied yet")
        SIDE_INCOME = "USAHA_SAMPINGAN", _("Applied as a side income")
        WORKS_IN_FIELD = "BEKERJA_DI_BIDANG", _("Works in the trained field")
        OWN_BUSINESS = "USAHA_SENDIRI", _("Opened own business")
        OTHER_FIELD = "BEKERJA_BIDANG_LAIN", _("Works in another field")
        UNREACHABLE = "TIDAK_DAPAT_DIHUBUNGI", _("Unreachable")

    class Reason(models.TextChoices):
        NO_CAPITAL = "MODAL", _("No capital")
        NO_INTEREST = "MINAT", _("No interest")
        WORKS_ELSEWHERE = "BEKERJA_LAIN", _("Works elsewhere")
        NO_EQUIPMENT = "PERALATAN", _("No equipment")
        OTHER = "LAINNYA", _("Other")

    IMPLEMENTED = (Status.SIDE_INCOME, Status.WORKS_IN_FIELD, Status.OWN_BUSINESS)

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="follow_ups")
    date = models.DateField(_("date"))
    status = models.CharField(_("outcome"), max_length=21, choices=Status.choices)
    income = models.PositiveBigIntegerField(_("income estimate per month (Rp)"), null=True, blank=True)
    reason = models.CharField(_("reason the skill is not applied"), max_length=12, choices=Reason.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(_("evidence photo"), upload_to="followups/%Y/%m/", blank=True, max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "date"],
                name="followup_unique_day",
                violation_error_message=_("This participant already has a follow-up on that date."),
            )
        ]
        indexes = [models.Index(fields=["enrolment", "date"], name="followup_enrolment_date")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.date} {self.status}"

    @property
    def is_implemented(self) -> bool:
        return self.status in self.IMPLEMENTED
