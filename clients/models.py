"""Clients (klien pemasyarakatan), their PK assignments, status changes, wajib lapor and warnings."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bapas.history import audited
from bapas.models import Office

nik_validator = RegexValidator(r"^\d{16}$", _("NIK must be exactly 16 digits."))

CHILD_AGE = 18
# Children in conflict with the law are 12 to 18 years old (UU 11/2012, SPPA): nobody younger
# is a client.
MIN_AGE = 12


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_error(birth_date: date | None, programme_start: date | None, today: date) -> str | None:
    """Why a date of birth cannot be right, or None: the one rule of the form, the services and the import."""
    if birth_date is None:
        return None
    if birth_date > today:
        return str(_("The date of birth lies in the future."))
    if programme_start and age_on(birth_date, programme_start) < MIN_AGE:
        return str(
            _(
                "The client would be younger than %(min)s years at the programme start (%(start)s); "
                "children in conflict with the law are %(min)s to 18 (UU 11/2012)."
            )
            % {"min": MIN_AGE, "start": programme_start.isoformat()}
        )
    return None


class WorkStatus(models.TextChoices):
    """What a client does for a living, recorded at programme start and at every wajib lapor."""

    FORMAL = "FORMAL", _("Formal job")
    INFORMAL = "INFORMAL", _("Informal or daily work")
    OWN_BUSINESS = "USAHA_SENDIRI", _("Own business")
    NOT_WORKING = "TIDAK_BEKERJA", _("Not working")
    UNABLE = "TIDAK_DAPAT_BEKERJA", _("Unable to work (sick, school, caring)")
    UNKNOWN = "TIDAK_DIKETAHUI", _("Unknown")


# The statuses that count as working (a job, daily work or an own business).
WORKING_STATUSES = (WorkStatus.FORMAL, WorkStatus.INFORMAL, WorkStatus.OWN_BUSINESS)


class IncomeBand(models.TextChoices):
    """An optional band of monthly income, asked at wajib lapor when the client is willing to say."""

    UNDER_1M = "<1JT", _("Under Rp 1 million a month")
    FROM_1M = "1-3JT", _("Rp 1–3 million a month")
    FROM_3M = "3-5JT", _("Rp 3–5 million a month")
    FROM_5M = "5JT+", _("Rp 5 million a month or more")


class Client(models.Model):
    """A client under supervision. Codes match the workbook contract (docs/INTERFACES.md section 2)."""

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Programme(models.TextChoices):
        PB = "PB", _("Parole (PB)")
        CB = "CB", _("Conditional leave (CB)")
        CMB = "CMB", _("Leave before release (CMB)")
        ASIMILASI = "ASIMILASI", _("Assimilation")
        PIDANA_BERSYARAT = "PIDANA_BERSYARAT", _("Conditional sentence")
        DIVERSI = "DIVERSI", _("Diversion")
        LAINNYA = "LAINNYA", _("Other")

    class Frequency(models.TextChoices):
        MONTHLY = "BULANAN", _("Monthly")
        WEEKLY = "MINGGUAN", _("Weekly")

    class Status(models.TextChoices):
        ACTIVE = "AKTIF", _("Active")
        COMPLETED = "SELESAI", _("Completed")
        REVOKED = "DICABUT", _("Revoked")
        SUSPENDED = "DITANGGUHKAN", _("Suspended")
        TRANSFERRED = "PINDAH", _("Transferred")
        DECEASED = "MENINGGAL", _("Deceased")

    class Domicile(models.TextChoices):
        URBAN = "KOTA", _("Urban")
        RURAL = "DESA", _("Rural")

    class Religion(models.TextChoices):
        ISLAM = "ISLAM", _("Islam")
        PROTESTANT = "KRISTEN", _("Protestant")
        CATHOLIC = "KATOLIK", _("Catholic")
        HINDU = "HINDU", _("Hindu")
        BUDDHIST = "BUDDHA", _("Buddhist")
        CONFUCIAN = "KONGHUCU", _("Confucian")
        OTHER = "LAINNYA", _("Other")

    class Education(models.TextChoices):
        NONE = "TIDAK_SEKOLAH", _("No schooling")
        SD = "SD", _("Primary school (SD)")
        SMP = "SMP", _("Junior high school (SMP)")
        SMA = "SMA", _("Senior high school (SMA/SMK)")
        DIPLOMA = "DIPLOMA", _("Diploma")
        S1 = "S1", _("Bachelor (S1)")
        S2 = "S2", _("Postgraduate (S2/S3)")

    class Marital(models.TextChoices):
        SINGLE = "BELUM_KAWIN", _("Single")
        MARRIED = "KAWIN", _("Married")
        DIVORCED = "CERAI_HIDUP", _("Divorced")
        WIDOWED = "CERAI_MATI", _("Widowed")

    class Institution(models.TextChoices):
        LAPAS = "LAPAS", _("Lapas (prison)")
        RUTAN = "RUTAN", _("Rutan (detention centre)")
        LPKA = "LPKA", _("LPKA (juvenile centre)")

    class Sensitive(models.TextChoices):
        NONE = "", _("None")
        TERRORISM = "TERORISME", _("Terrorism")
        NARCOTICS = "NARKOTIKA", _("Narcotics")

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="clients")
    register_number = models.CharField(_("register number"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[nik_validator],
        error_messages={"unique": _("This NIK is already registered.")},
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    religion = models.CharField(_("religion"), max_length=12, choices=Religion.choices, blank=True)
    education = models.CharField(_("education"), max_length=15, choices=Education.choices, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=12, choices=Marital.choices, blank=True)
    dependants = models.PositiveSmallIntegerField(_("dependants"), default=0)
    previous_occupation = models.CharField(_("previous occupation"), max_length=150, blank=True)
    domicile = models.CharField(_("domicile"), max_length=4, choices=Domicile.choices, blank=True)
    origin_institution_type = models.CharField(
        _("origin institution type"), max_length=5, choices=Institution.choices, blank=True
    )
    origin_institution = models.CharField(_("origin institution"), max_length=150, blank=True)
    offence = models.CharField(_("offence (article)"), max_length=200, blank=True)
    sentence = models.CharField(_("sentence"), max_length=100, blank=True)
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    programme_start = models.DateField(_("programme start"))
    programme_end = models.DateField(_("programme end"))
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible PK"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    guarantor_name = models.CharField(_("guarantor name"), max_length=200, blank=True)
    guarantor_relation = models.CharField(_("guarantor relation"), max_length=100, blank=True)
    guarantor_phone = models.CharField(_("guarantor phone"), max_length=40, blank=True)
    interests = models.CharField(_("interests"), max_length=300, blank=True, help_text=_("Comma-separated."))
    skills = models.TextField(_("skills"), blank=True)
    is_employed = models.BooleanField(_("currently working"), default=False)
    work_status_start = models.CharField(
        _("work status at programme start"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.UNKNOWN
    )
    sensitive_category = models.CharField(
        _("sensitive category"), max_length=10, choices=Sensitive.choices, blank=True, default=""
    )
    is_child = models.BooleanField(_("child"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    status_reason = models.TextField(_("status reason"), blank=True)
    transferred_to = models.CharField(_("transferred to (Bapas)"), max_length=200, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "register_number"],
                name="client_register_unique_per_office",
                violation_error_message=_("This register number is already used in this office."),
            ),
            models.CheckConstraint(
                condition=Q(programme_end__gte=models.F("programme_start")),
                name="client_programme_end_after_start",
                violation_error_message=_("The programme end date cannot be before its start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "name", "id"], name="client_office_status_name"),
            models.Index(fields=["office", "name", "id"], name="client_office_name"),
            models.Index(fields=["officer", "status", "name"], name="client_officer_status_name"),
            models.Index(fields=["office", "status", "programme_end"], name="client_office_status_end"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.register_number})"

    def save(self, *args, **kwargs):
        self.is_child = self.compute_is_child()
        if self.nik == "":
            self.nik = None
        super().save(*args, **kwargs)

    @property
    def origin_label(self) -> str:
        """The origin once: "Lapas Kelas I Tangerang", or "Lapas Tangerang" when only the type prefixes it."""
        kind = self.get_origin_institution_type_display() if self.origin_institution_type else ""
        name = self.origin_institution.strip()
        if kind and name.lower().startswith(str(kind).lower()):
            return name
        return " ".join(part for part in (str(kind), name) if part)

    def clean(self):
        super().clean()
        from django.utils import timezone

        today = timezone.localdate(timezone=self.office.tzinfo) if self.office_id else timezone.localdate()
        error = birth_date_error(self.birth_date, self.programme_start, today)
        if error:
            raise ValidationError({"birth_date": error})

    def unique_error_message(self, model_class, unique_check):
        """A NIK held by an active client of another office asks for a transfer (naming nothing of it)."""
        if tuple(unique_check) == ("nik",) and self.nik:
            return ValidationError(nik_taken_message(self.nik, self.office_id, self.pk), code="unique")
        return super().unique_error_message(model_class, unique_check)

    def compute_is_child(self) -> bool:
        if self.programme == self.Programme.DIVERSI or self.origin_institution_type == self.Institution.LPKA:
            return True
        if self.birth_date and self.programme_start:
            return age_on(self.birth_date, self.programme_start) < CHILD_AGE
        return False

    @property
    def initials(self) -> str:
        return ".".join(part[0].upper() for part in self.name.split() if part) + "."

    def days_left(self, today: date | None = None) -> int:
        from django.utils import timezone

        today = today or timezone.localdate()
        return (self.programme_end - today).days

    @property
    def interest_list(self) -> list[str]:
        return [item.strip() for item in self.interests.split(",") if item.strip()]

    @property
    def interest_labels(self) -> list[str]:
        """The interests as words: a category code typed as an interest ("otomotif_teknik") reads
        "otomotif teknik"."""
        return [item.replace("_", " ") for item in self.interest_list]


# Statuses of a client still under another office's supervision: registering its NIK again is a transfer.
SUPERVISED_STATUSES = (Client.Status.ACTIVE, Client.Status.SUSPENDED)


def nik_taken_message(nik: str, office_id, exclude_pk=None) -> str:
    """Why ``nik`` cannot be registered in ``office_id``: a client of another office still under
    supervision there calls for a transfer request (without naming that office or client)."""
    owner = Client.objects.filter(nik=nik).exclude(pk=exclude_pk).values_list("office_id", "status").first()
    if owner is not None and owner[0] != office_id and owner[1] in SUPERVISED_STATUSES:
        return str(
            _(
                "This NIK belongs to a client under the supervision of another Bapas. Do not register the "
                "client again: ask that Bapas to transfer the client to your office (pelimpahan)."
            )
        )
    return str(_("This NIK is already registered."))


class PKAssignment(models.Model):
    """Who was the responsible PK from when: kept when the PK changes."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="pk_assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("PK"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("PK assignment")
        verbose_name_plural = _("PK assignments")

    def __str__(self) -> str:
        return f"{self.officer} {self.start_date}"


class StatusChange(models.Model):
    """One step of a client's status lifecycle, with date and reason."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=Client.Status.choices)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    transferred_to = models.CharField(_("transferred to (Bapas)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.status} {self.date}"


class ReportingVisit(models.Model):
    """One wajib lapor: the client reported (or was visited) and received guidance."""

    class Mode(models.TextChoices):
        IN_PERSON = "DATANG", _("In person at the Bapas")
        HOME_VISIT = "KUNJUNGAN_RUMAH", _("Home visit")
        VIDEO_CALL = "VIDEO_CALL", _("Video call")
        ACTIVITY = "KEGIATAN", _("During an activity")

    class Condition(models.TextChoices):
        GOOD = "BAIK", _("Good")
        FAIR = "CUKUP", _("Fair")
        NEEDS_ATTENTION = "PERLU_PERHATIAN", _("Needs attention")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="visits")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", editable=False)
    reported_at = models.DateTimeField(_("date and time"))
    report_date = models.DateField(_("date"), editable=False, help_text=_("Local date in the office's time zone."))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_visits",
    )
    topics = models.CharField(_("guidance topics"), max_length=300, blank=True)
    notes = models.TextField(_("guidance notes"), blank=True)
    condition = models.CharField(_("client's condition"), max_length=16, choices=Condition.choices, blank=True)
    condition_notes = models.CharField(_("condition notes"), max_length=300, blank=True)
    work_status = models.CharField(
        _("work status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.UNKNOWN
    )
    income_band = models.CharField(_("income band"), max_length=6, choices=IncomeBand.choices, blank=True)
    next_due_date = models.DateField(_("next report due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("wajib lapor report")
        verbose_name_plural = _("wajib lapor reports")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "reported_at"],
                name="report_unique_client_minute",
                violation_error_message=_("This client already has a report at that minute."),
            ),
        ]
        indexes = [
            models.Index(fields=["client", "report_date"], name="report_client_date"),
            models.Index(fields=["office", "report_date"], name="report_office_date"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.report_date}"

    def save(self, *args, **kwargs):
        from django.utils import timezone

        self.reported_at = self.reported_at.replace(second=0, microsecond=0)
        self.office_id = self.client.office_id
        self.report_date = timezone.localtime(self.reported_at, self.client.office.tzinfo).date()
        super().save(*args, **kwargs)


class ReportingWarning(models.Model):
    """A surat peringatan (SP1, SP2, SP3) for missed reporting periods."""

    class Level(models.TextChoices):
        SP1 = "SP1", _("First warning (SP1)")
        SP2 = "SP2", _("Second warning (SP2)")
        SP3 = "SP3", _("Third warning (SP3)")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="warnings")
    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    number = models.CharField(_("letter number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    reason = models.TextField(_("reason"))
    missed_periods = models.CharField(
        _("missed periods"), max_length=300, blank=True, help_text=_("The reporting periods it answers.")
    )
    order_reason = models.TextField(
        _("reason for skipping a step"),
        blank=True,
        help_text=_("Why this warning comes without the previous level (e.g. SP3 without SP2)."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.level} {self.client}"

    @property
    def letter_number(self) -> str:
        """The number printed on the letter and cited by later papers: the one typed, else ``TNG/SP1/2026/00042``."""
        return self.number or f"{self.client.office.code}/{self.level}/{self.issued_on:%Y}/{self.pk:05d}"


class ExcuseQuerySet(models.QuerySet):
    def in_force(self):
        """The excused absences that count: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ExcusedAbsence(models.Model):
    """An izin: the PK excused the client from reporting from one day to another.

    A reporting period that such an absence touches and in which the client did not report is
    *excused*: neither due nor missed (``clients.compliance``). The evidence (a doctor's letter, the
    employer's letter) is an image or a PDF kept in the private store. An izin recorded by mistake is
    withdrawn with a reason (kept, marked, audited); from then on it excuses nothing (``in_force``).
    """

    class Kind(models.TextChoices):
        ILLNESS = "SAKIT", _("Illness (with a letter)")
        WORK = "KERJA", _("Permitted work away")
        DISASTER = "BENCANA", _("Disaster")
        FAMILY = "KELUARGA", _("Family emergency")
        OTHER = "LAINNYA", _("Other")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="excuses")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"))
    kind = models.CharField(_("reason"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("explanation"))
    evidence = models.FileField(_("evidence"), upload_to="excuses/%Y/%m/", blank=True, max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    objects = ExcuseQuerySet.as_manager()
    history = audited()

    class Meta:
        ordering = ["-date_from", "-id"]
        verbose_name = _("excused absence")
        verbose_name_plural = _("excused absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")),
                name="excuse_end_after_start",
                violation_error_message=_("The end of an excused absence cannot be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["client", "date_from"], name="excuse_client_from")]

    def __str__(self) -> str:
        return f"{self.client} {self.date_from}–{self.date_to}"


class TPPSession(models.Model):
    """A session of the observation team (Tim Pengamat Pemasyarakatan) on one or more clients' cases.

    The Kasi BKD schedules it (date, members from the office's staff, the cases); its minutes record
    who attended and, per case, the findings and the recommendation.
    """

    class State(models.TextChoices):
        PLANNED = "DIRENCANAKAN", _("Planned")
        HELD = "DILAKSANAKAN", _("Held")

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="+")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("present"), related_name="+", blank=True
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("TPP session")
        verbose_name_plural = _("TPP sessions")

    def __str__(self) -> str:
        return f"TPP {self.office.code} {self.date}"

    @property
    def number(self) -> str:
        """The minutes' number, cited by the proposal to the Kanwil: ``TNG/TPP/2026/0007``."""
        return f"{self.office.code}/TPP/{self.date:%Y}/{self.pk:04d}"


class TPPCase(models.Model):
    """One client's case in a TPP session, with the session's findings and recommendation."""

    class Recommendation(models.TextChoices):
        CONTINUE = "LANJUT", _("Continue the programme, with a note")
        WARNING = "PERINGATAN", _("Another warning")
        REVOKE = "USUL_CABUT", _("Propose revocation")

    session = models.ForeignKey(TPPSession, on_delete=models.CASCADE, related_name="cases")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="tpp_cases")
    findings = models.TextField(_("findings"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=12, choices=Recommendation.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = audited()

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("TPP case")
        verbose_name_plural = _("TPP cases")
        constraints = [models.UniqueConstraint(fields=["session", "client"], name="tpp_case_unique_client")]

    def __str__(self) -> str:
        return f"{self.session} {self.client}"


class RevocationProposal(models.Model):
    """The Kepala Bapas suspended the programme on a TPP's recommendation and proposed its revocation to
    the Kanwil; the Admin records the Kanwil's decision (revoked with a decree, or continued)."""

    class Decision(models.TextChoices):
        PENDING = "MENUNGGU", _("Awaiting the Kanwil's decision")
        REVOKED = "DICABUT", _("Revoked")
        CONTINUED = "DILANJUTKAN", _("Continued")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="proposals")
    tpp_case = models.ForeignKey(TPPCase, verbose_name=_("TPP recommendation"), on_delete=models.PROTECT)
    suspended_on = models.DateField(_("suspended on"))
    grounds = models.TextField(_("further grounds"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        ordering = ["-suspended_on", "-id"]
        verbose_name = _("revocation proposal")
        verbose_name_plural = _("revocation proposals")

    def __str__(self) -> str:
        return f"{self.client} {self.suspended_on}"

    @property
    def number(self) -> str:
        """The proposal letter's number: ``TNG/USUL-CABUT/2026/00003``."""
        return f"{self.client.office.code}/USUL-CABUT/{self.suspended_on:%Y}/{self.pk:05d}"


class Transfer(models.Model):
    """A pelimpahan: the client is handed to another Bapas from ``transfer_date``.

    The sending office proposes; the receiving office's Admin or Kasi BKD accepts (choosing its PK and
    register number) or rejects with a reason; the sending office may cancel an open proposal. On
    acceptance the client becomes the receiving office's with its whole history, while the reporting
    periods that end before ``transfer_date`` stay the sending office's (``clients.compliance``), and
    the sending office keeps a read-only view of the client up to that date.
    """

    class State(models.TextChoices):
        PROPOSED = "DIUSULKAN", _("Proposed")
        ACCEPTED = "DITERIMA", _("Accepted")
        REJECTED = "DITOLAK", _("Rejected")
        CANCELLED = "DIBATALKAN", _("Cancelled")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="transfers")
    from_office = models.ForeignKey(
        Office, verbose_name=_("sending office"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_office = models.ForeignKey(
        Office, verbose_name=_("receiving office"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    transfer_date = models.DateField(_("transfer date"))
    reason = models.TextField(_("reason"))
    letter_number = models.CharField(_("letter number"), max_length=100)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    decision_reason = models.TextField(_("reason for rejection"), blank=True)
    # The sending office's PK and register number at the transfer: its periods stay under that PK.
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PK of the sending office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_register_number = models.CharField(_("register number at the sending office"), max_length=50, blank=True)
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PK of the receiving office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_register_number = models.CharField(_("register number at the receiving office"), max_length=50, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited()

    class Meta:
        ordering = ["-transfer_date", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(state="DIUSULKAN"),
                name="transfer_one_open_per_client",
                violation_error_message=_("This client already has an open transfer proposal."),
            ),
            models.CheckConstraint(
                condition=~Q(from_office=models.F("to_office")),
                name="transfer_to_another_office",
                violation_error_message=_("A client cannot be transferred to its own office."),
            ),
        ]
        indexes = [
            models.Index(fields=["client", "state", "transfer_date"], name="transfer_client_state_date"),
            models.Index(fields=["to_office", "state"], name="transfer_to_state"),
            models.Index(fields=["from_office", "state"], name="transfer_from_state"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.from_office.code}→{self.to_office.code} {self.transfer_date}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PROPOSED
