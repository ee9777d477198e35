"""Regions (Kanwil), offices (Bapas) and their staff. Roles decide what each staff member may use."""

from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bapas.history import audited


class Region(models.Model):
    """A regional office (*Kanwil*) of the Directorate General: it holds the offices of one province.

    Its regional viewers read the aggregates of its offices only; its name heads the letterhead of its
    offices' papers (an office without a region keeps its own ``regional_office_name``)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    head_name = models.CharField(_("head of the regional office"), max_length=200, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=30, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regional office")
        verbose_name_plural = _("regional offices")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    class Class(models.TextChoices):
        CLASS_I = "I", _("Class I")
        CLASS_II = "II", _("Class II")

    class Zone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
        WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
        WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    office_class = models.CharField(_("class"), max_length=3, choices=Class.choices, default=Class.CLASS_I)
    city = models.CharField(_("city"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=Zone.choices, default=Zone.WIB)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # What the official letterhead needs.
    ministry_name = models.CharField(
        _("ministry"), max_length=200, default="KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA"
    )
    directorate_name = models.CharField(
        _("directorate general"), max_length=200, default="DIREKTORAT JENDERAL PEMASYARAKATAN"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="offices"
    )
    # The letterhead's regional line for an office without a region (kept from before regions existed).
    regional_office_name = models.CharField(_("regional office"), max_length=200, blank=True)
    head_name = models.CharField(_("head of office"), max_length=200, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=30, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        created = self._state.adding
        super().save(*args, **kwargs)
        if created:
            OfficeDataVersion.objects.get_or_create(office=self)

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def zone_abbreviation(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(self.time_zone, "")


class Role(models.TextChoices):
    PK = "PK", _("PK (Pembimbing Kemasyarakatan)")
    KASUBSI = "KASUBSI", _("Kasubsi Bimker")
    KASI = "KASI", _("Kasi BKD")
    KABAPAS = "KABAPAS", _("Kepala Bapas")
    ADMIN = "ADMIN", _("Admin (Tata Usaha)")
    REGIONAL = "REGIONAL", _("Regional viewer (Kanwil)")
    NATIONAL = "NATIONAL", _("National viewer (Ditjenpas)")
    REGIONAL_ADMIN = "REGIONAL_ADMIN", _("Regional admin (Admin Kanwil)")
    NATIONAL_ADMIN = "NATIONAL_ADMIN", _("National admin (Admin Ditjenpas)")


# Read-only viewers above the offices: aggregates only, never a name or other personal data.
VIEWER_ROLES = (Role.REGIONAL, Role.NATIONAL)
# Admins above the offices: they keep the regional or national partners and agreements, and see no
# client data at all.
SCOPE_ADMIN_ROLES = (Role.REGIONAL_ADMIN, Role.NATIONAL_ADMIN)
# The roles without an office, and those of them bound to one region.
ABOVE_OFFICE_ROLES = (*VIEWER_ROLES, *SCOPE_ADMIN_ROLES)
REGION_ROLES = (Role.REGIONAL, Role.REGIONAL_ADMIN)


class StaffManager(UserManager):
    def pks(self, office):
        return self.filter(office=office, role=Role.PK, is_active=True)


class User(AbstractUser):
    """A staff member. Every role but the viewers above the offices belongs to exactly one office; a
    regional viewer belongs to one region, the national viewer to none."""

    class Rank(models.TextChoices):
        PERTAMA = "PERTAMA", _("PK Pertama")
        MUDA = "MUDA", _("PK Muda")
        MADYA = "MADYA", _("PK Madya")
        OTHER = "", _("—")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="viewers"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PK)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices, blank=True)
    position_title = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Set when an admin creates the account or resets its password: the temporary password is known
    # to the admin, so bapas.middleware.PasswordChangeRequiredMiddleware sends the staff member to the
    # password change page until they choose their own. Tracked in the history on purpose: it changes
    # only with a password (reset, creation, own change), which writes a history row anyway.
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=False)

    objects = StaffManager()
    history = audited(excluded_fields=["last_login", "password"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["office", "role"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role in ABOVE_OFFICE_ROLES and self.office_id:
            raise ValidationError({"office": _("A regional or national viewer does not belong to an office.")})
        if self.role not in ABOVE_OFFICE_ROLES and not self.office_id and not self.is_superuser:
            raise ValidationError({"office": _("Choose the office of this staff member.")})
        if self.role in REGION_ROLES and not self.region_id:
            raise ValidationError({"region": _("Choose the region of this regional viewer.")})
        if self.role not in REGION_ROLES and self.region_id:
            raise ValidationError({"region": _("Only a regional viewer belongs to a region.")})

    # Role shortcuts used by templates and access helpers.
    @property
    def is_pk(self) -> bool:
        return self.role == Role.PK

    @property
    def is_kasubsi(self) -> bool:
        return self.role == Role.KASUBSI

    @property
    def is_kasi(self) -> bool:
        return self.role == Role.KASI

    @property
    def is_kabapas(self) -> bool:
        return self.role == Role.KABAPAS

    @property
    def is_office_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_regional(self) -> bool:
        return self.role == Role.REGIONAL

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def is_scope_admin(self) -> bool:
        """An Admin Kanwil or Admin Ditjenpas: regional or national partners and agreements only."""
        return self.role in SCOPE_ADMIN_ROLES

    @property
    def is_viewer(self) -> bool:
        """A regional or national viewer: aggregates only."""
        return self.role in VIEWER_ROLES

    @property
    def is_office_lead(self) -> bool:
        """Kasi BKD or Kepala Bapas: read the whole office, sign reports."""
        return self.role in (Role.KASI, Role.KABAPAS)


class AccessLog(models.Model):
    """Reads of personal data: views of a client's full record and downloads of personal-data reports."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_logs")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}:{self.object_id}"


class OfficeDataVersion(models.Model):
    """A counter per office, raised in the same transaction as every write that can move a figure
    computed from the office's data (see ``bapas.data_version``). Whatever is kept computed from that
    data (the dashboards' summary rows) is valid only for the version it was computed at."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, primary_key=True, related_name="data_version")
    version = models.PositiveBigIntegerField(default=0)
    refresh_queued = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("office data version")

    def __str__(self) -> str:
        return f"{self.office_id} v{self.version}"
