"""The workbook format of docs/INTERFACES.md section 2: sheets, columns, codes and examples.

The importer, the exporter and the downloadable template all read this one description, so the
three cannot drift apart. Sheets are listed in the order they are applied.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning, TPPCase, WorkStatus
from pokmaslipas.models import Agreement, Partner, Scope
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

# Column kinds: how a cell is read and written.
TEXT = "text"  # free text
CODE = "code"  # one code out of ``choices`` (upper case; lower case accepted)
CODES = "codes"  # comma list of codes out of ``choices``
LIST = "list"  # comma list of free words
DATE = "date"  # a date
DATETIME = "datetime"  # a date, or a date and a time (wajib lapor)
MONEY = "money"  # whole rupiah, not negative
HOURS = "hours"  # hours a day, one decimal
NIK = "nik"  # 16 digits
YESNO = "yesno"  # YA or TIDAK
RATING = "rating"  # a whole number from 1 to ``max_value``
EMAIL = "email"
# Kinds read from text cells only: a number or date cell in these columns is refused, never
# converted (a spreadsheet program keeps 15 digits and drops leading zeros).
TEXT_KINDS = (TEXT, NIK, LIST, EMAIL)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    key: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    default: str | None = None  # the value of an empty cell (for codes with a default)
    max_value: int | None = None
    help: str = ""
    example: str = ""

    @property
    def mandatory(self) -> bool:
        return self.required or self.key

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str = ""
    columns_by_name: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "columns_by_name", {c.name: c for c in self.columns})

    @property
    def key_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]


def codes(choices) -> tuple[str, ...]:
    return tuple(value for value, _label in choices.choices if value)


INT_MAX = 2147483647
BIGINT_MAX = 9223372036854775807

MITRA = Sheet(
    "Mitra",
    (
        Column("kode", key=True, max_length=30, help=_("Partner code, unique in the office."), example="GBI"),
        Column("nama", required=True, max_length=200, help=_("Name of the Pokmaslipas."), example="Griya Abhipraya"),
        Column(
            "jenis",
            CODE,
            required=True,
            choices=codes(Partner.Kind),
            help=_("Kind of partner."),
            example="KEAGAMAAN",
        ),
        Column("alamat", help=_("Address."), example="Jl. Veteran No. 2, Tangerang"),
        Column("kontak", max_length=200, help=_("Contact person."), example="Budi Santoso"),
        Column("telepon", max_length=40, help=_("Phone number."), example="081234567890"),
        Column("email", EMAIL, max_length=254, help=_("Email address."), example="mitra@example.org"),
    ),
    help=_("Pokmaslipas partners of the office."),
)

PKS = Sheet(
    "PKS",
    (
        Column(
            "nomor", key=True, max_length=100, help=_("Agreement number (Bapas side)."), example="W29.PAS.4-PK.01.05-01"
        ),
        Column(
            "kode_mitra",
            required=True,
            max_length=30,
            help=_("Code of the partner (sheet Mitra or already in the system)."),
            example="GBI",
        ),
        Column("tanggal_mulai", DATE, required=True, help=_("First day of validity."), example="2024-01-01"),
        Column(
            "tanggal_berakhir",
            DATE,
            required=True,
            help=_("Last day of validity; not before the start."),
            example="2025-12-31",
        ),
        Column("tanggal_tanda_tangan", DATE, help=_("Signing date."), example="2023-12-20"),
        Column(
            "ruang_lingkup",
            CODES,
            choices=codes(Scope),
            max_length=200,
            help=_("Scope: comma-separated codes."),
            example="KEMANDIRIAN,PENDAMPINGAN_USAHA",
        ),
        # Optional columns beyond the contract's: without them an export would lose the kind,
        # the renewal chain and early terminations when imported again.
        Column(
            "jenis",
            CODE,
            choices=codes(Agreement.Kind),
            default=Agreement.Kind.PKS,
            help=_("Kind: PKS (default), MOU or ADDENDUM."),
            example="PKS",
        ),
        Column(
            "memperbarui",
            max_length=100,
            help=_("Number of the agreement this one renews or amends (same partner)."),
            example="",
        ),
        Column(
            "diakhiri_pada",
            DATE,
            help=_("Date the agreement was ended early; empty while it runs its course."),
            example="",
        ),
        Column(
            "alasan_pengakhiran",
            help=_("Why the agreement was ended early; required with diakhiri_pada."),
            example="",
        ),
    ),
    help=_("Cooperation agreements (PKS) with the partners."),
)

KLIEN = Sheet(
    "Klien",
    (
        Column(
            "no_register",
            key=True,
            max_length=50,
            help=_("Register number, unique in the office."),
            example="PAS.00001/2024",
        ),
        Column("nama", required=True, max_length=200, help=_("Full name of the client."), example="Andi Pratama"),
        Column(
            "jenis_kelamin",
            CODE,
            required=True,
            choices=codes(Client.Sex),
            help=_("Sex: L (male) or P (female)."),
            example="L",
        ),
        Column("program", CODE, required=True, choices=codes(Client.Programme), help=_("Programme."), example="PB"),
        Column("mulai_bimbingan", DATE, required=True, help=_("Start of the programme."), example="2024-02-01"),
        Column(
            "akhir_bimbingan",
            DATE,
            required=True,
            help=_("End of the programme; not before the start."),
            example="2025-01-31",
        ),
        Column(
            "nik",
            NIK,
            help=_("National ID number: exactly 16 digits, not used by another client. Format the cell as text."),
            example="3671010101900001",
        ),
        Column("tanggal_lahir", DATE, help=_("Date of birth."), example="1990-01-01"),
        Column("pk", max_length=150, help=_("Username of a PK of this office."), example="pk1.tng"),
        Column(
            "frekuensi_lapor",
            CODE,
            choices=codes(Client.Frequency),
            default=Client.Frequency.MONTHLY,
            help=_("Reporting frequency; empty means BULANAN."),
            example="BULANAN",
        ),
        Column(
            "status",
            CODE,
            choices=codes(Client.Status),
            default=Client.Status.ACTIVE,
            help=_("Status; empty means AKTIF."),
            example="AKTIF",
        ),
        Column("domisili", CODE, choices=codes(Client.Domicile), help=_("Domicile: KOTA or DESA."), example="KOTA"),
        Column("minat", LIST, max_length=300, help=_("Interests, comma-separated."), example="kuliner, barista"),
        Column(
            "status_kerja_awal",
            CODE,
            choices=codes(WorkStatus),
            default=WorkStatus.UNKNOWN,
            help=_("Work status at programme start; empty means TIDAK_DIKETAHUI."),
            example="TIDAK_BEKERJA",
        ),
    ),
    help=_("Clients under guidance. The register number identifies a client."),
)

PELATIHAN = Sheet(
    "Pelatihan",
    (
        Column(
            "kode",
            key=True,
            max_length=40,
            help=_("Training session code, unique in the office."),
            example="PLT-2024-01",
        ),
        Column("nama", required=True, max_length=200, help=_("Title of the training."), example="Pelatihan Barista"),
        Column(
            "jenis_pelatihan",
            required=True,
            max_length=150,
            help=_("Training type; a new name creates the type."),
            example="Barista",
        ),
        Column("kode_mitra", required=True, max_length=30, help=_("Code of the delivering partner."), example="GBI"),
        Column("tanggal_mulai", DATE, required=True, help=_("First day of the training."), example="2024-03-20"),
        Column(
            "tanggal_selesai",
            DATE,
            required=True,
            help=_("Last day of the training; not before the first."),
            example="2024-03-21",
        ),
        Column(
            "kategori",
            CODE,
            choices=codes(TrainingType.Category),
            help=_("Category of the training type."),
            example="KULINER",
        ),
        Column(
            "nomor_pks",
            max_length=100,
            help=_("Number of an agreement of that partner."),
            example="W29.PAS.4-PK.01.05-01",
        ),
        Column("lokasi", max_length=300, help=_("Place of the training."), example="Aula Bapas"),
        Column("metode", CODE, choices=codes(TrainingSession.Method), help=_("Method."), example="PRAKTIK"),
        Column("jam_per_hari", HOURS, help=_("Hours a day, e.g. 6 or 6,5."), example="6"),
        Column("anggaran", MONEY, max_value=BIGINT_MAX, help=_("Budget in rupiah."), example="15000000"),
        Column(
            "uang_transport",
            MONEY,
            max_value=INT_MAX,
            help=_("Transport money in rupiah per participant per day."),
            example="100000",
        ),
    ),
    help=_("Training sessions. The code identifies a session."),
)

PESERTA = Sheet(
    "Peserta",
    (
        Column(
            "kode_pelatihan", key=True, max_length=40, help=_("Code of the training session."), example="PLT-2024-01"
        ),
        Column(
            "no_register", key=True, max_length=50, help=_("Register number of the client."), example="PAS.00001/2024"
        ),
        Column(
            "hadir",
            YESNO,
            choices=("YA", "TIDAK"),
            default="YA",
            help=_(
                "YA (default): present every day of the training up to today; TIDAK: absent every day. "
                "Rows of the sheet Kehadiran override single days."
            ),
            example="YA",
        ),
        Column(
            "motivasi",
            RATING,
            max_value=len(Enrolment.Motivation.choices),
            help=_("The PK's rating of the client's motivation at enrolment, 1 (low) to 5 (high)."),
            example="4",
        ),
    ),
    help=_("Participants: which client took part in which training."),
)

KEHADIRAN = Sheet(
    "Kehadiran",
    (
        Column(
            "kode_pelatihan", key=True, max_length=40, help=_("Code of the training session."), example="PLT-2024-01"
        ),
        Column(
            "no_register", key=True, max_length=50, help=_("Register number of the client."), example="PAS.00001/2024"
        ),
        Column("tanggal", DATE, key=True, help=_("A day within the training."), example="2024-03-21"),
        Column(
            "status",
            CODE,
            required=True,
            choices=codes(Attendance.Status),
            help=_("Attendance of that day; overrides the column hadir of the sheet Peserta."),
            example="IZIN",
        ),
    ),
    help=_("Attendance of single days (only where it differs from the sheet Peserta)."),
)

TINDAK_LANJUT = Sheet(
    "TindakLanjut",
    (
        Column(
            "kode_pelatihan", key=True, max_length=40, help=_("Code of the training session."), example="PLT-2024-01"
        ),
        Column(
            "no_register",
            key=True,
            max_length=50,
            help=_("Register number of an enrolled client."),
            example="PAS.00001/2024",
        ),
        Column("tanggal", DATE, key=True, help=_("Date of the follow-up."), example="2024-06-21"),
        Column(
            "status",
            CODE,
            required=True,
            choices=codes(FollowUp.Status),
            help=_("Outcome of the training."),
            example="USAHA_SAMPINGAN",
        ),
        Column("penghasilan", MONEY, max_value=BIGINT_MAX, help=_("Income in rupiah a month."), example="1500000"),
        Column("catatan", help=_("Notes."), example="Berjualan kopi keliling"),
    ),
    help=_("Follow-ups of participants after a training."),
)

WAJIB_LAPOR = Sheet(
    "WajibLapor",
    (
        Column(
            "no_register", key=True, max_length=50, help=_("Register number of the client."), example="PAS.00001/2024"
        ),
        Column(
            "tanggal",
            DATETIME,
            key=True,
            help=_(
                "Date, or date and time (YYYY-MM-DD HH:MM) in the office's time zone; "
                "a date alone is recorded at 09:00."
            ),
            example="2024-03-05 10:30",
        ),
        Column(
            "cara",
            CODE,
            choices=codes(ReportingVisit.Mode),
            default=ReportingVisit.Mode.IN_PERSON,
            help=_("How the client reported; empty means DATANG."),
            example="DATANG",
        ),
        Column("catatan", help=_("Guidance notes."), example="Klien sehat, sudah bekerja"),
        Column(
            "status_kerja",
            CODE,
            choices=codes(WorkStatus),
            default=WorkStatus.UNKNOWN,
            help=_("Work status at that report, codes as Klien.status_kerja_awal; empty means TIDAK_DIKETAHUI."),
            example="INFORMAL",
        ),
    ),
    help=_("Wajib lapor: one row per report of a client."),
)

IZIN = Sheet(
    "Izin",
    (
        Column(
            "no_register", key=True, max_length=50, help=_("Register number of the client."), example="PAS.00001/2024"
        ),
        Column("tanggal_mulai", DATE, key=True, help=_("First day of the excused absence."), example="2024-05-06"),
        Column("tanggal_selesai", DATE, required=True, help=_("Last day; not before the first."), example="2024-05-10"),
        Column(
            "alasan",
            CODE,
            required=True,
            choices=codes(ExcusedAbsence.Kind),
            help=_("Reason: SAKIT, KERJA, BENCANA, KELUARGA or LAINNYA."),
            example="SAKIT",
        ),
        Column(
            "catatan",
            required=True,
            help=_("Explanation. The evidence file (a doctor's letter) is not in the workbook: it stays in the app."),
            example="Rawat inap, surat dokter terlampir di aplikasi",
        ),
        Column(
            "ditarik_pada",
            DATE,
            help=_(
                "Date the excused absence was withdrawn (recorded by mistake); an import never undoes a withdrawal."
            ),
        ),
        Column("alasan_penarikan", help=_("Why it was withdrawn; required with ditarik_pada.")),
    ),
    help=_(
        "Excused absences (izin, beyond the contract): a reporting period an izin in force touches and in which "
        "the client did not report is neither due nor missed."
    ),
)

PERINGATAN = Sheet(
    "Peringatan",
    (
        Column(
            "no_register", key=True, max_length=50, help=_("Register number of the client."), example="PAS.00001/2024"
        ),
        Column("tanggal", DATE, key=True, help=_("Date of the warning letter."), example="2024-05-06"),
        Column(
            "tingkat",
            CODE,
            key=True,
            choices=codes(ReportingWarning.Level),
            help=_("Level: SP1, SP2 (needs an earlier SP1) or SP3 (needs an earlier SP2)."),
            example="SP1",
        ),
        Column("nomor", max_length=100, help=_("Number of the warning letter."), example="W29.PAS.4-PK.01.01-15"),
        Column("alasan", required=True, help=_("Reason."), example="Tidak wajib lapor bulan April 2024"),
        Column(
            "periode_terlewat",
            max_length=300,
            help=_("The missed reporting periods it answers."),
            example="April 2024",
        ),
    ),
    help=_("Warnings (SP1, SP2, SP3) for missed wajib lapor."),
)

SIDANG_TPP = Sheet(
    "SidangTPP",
    (
        Column("tanggal", DATE, key=True, help=_("Date of the TPP session."), example="2024-06-10"),
        Column(
            "no_register",
            key=True,
            max_length=50,
            help=_("Register number of the client whose case the session hears (once a day)."),
            example="PAS.00001/2024",
        ),
        Column(
            "tempat",
            max_length=200,
            help=_("Place. Rows with the same date and place are one session."),
            example="Ruang TPP",
        ),
        Column(
            "anggota",
            LIST,
            required=True,
            help=_(
                "Members: usernames of active PKs or leads of this office, comma-separated; the same on every "
                "row of the session."
            ),
            example="pk1.tng, kasi.tng",
        ),
        Column(
            "hadir",
            LIST,
            help=_("Members present (usernames, comma-separated), for a held session; empty while planned."),
            example="pk1.tng, kasi.tng",
        ),
        Column(
            "temuan",
            help=_("Findings on the case (required with a recommendation)."),
            example="Tidak wajib lapor tiga bulan",
        ),
        Column(
            "rekomendasi",
            CODE,
            choices=codes(TPPCase.Recommendation),
            help=_(
                "Recommendation: LANJUT, PERINGATAN or USUL_CABUT. Empty on every row of a planned session, "
                "given on every row of a held one."
            ),
            example="PERINGATAN",
        ),
        Column("catatan", help=_("Note on the case."), example="Didampingi keluarga"),
        Column(
            "catatan_sidang",
            help=_("Notes of the session's minutes; the same on every row of the session."),
            example="Sidang dipimpin Kasi BKD",
        ),
    ),
    help=_(
        "TPP sessions (beyond the contract): one row per case. A session is planned while no row has a "
        "recommendation and held when every row has one."
    ),
)

SHEETS: tuple[Sheet, ...] = (
    MITRA,
    PKS,
    KLIEN,
    PELATIHAN,
    PESERTA,
    KEHADIRAN,
    TINDAK_LANJUT,
    WAJIB_LAPOR,
    IZIN,
    PERINGATAN,
    SIDANG_TPP,
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
INSTRUCTIONS_SHEET = "Petunjuk"

KIND_HELP = {
    TEXT: _("text"),
    CODE: _("one code"),
    CODES: _("codes separated by commas"),
    LIST: _("words separated by commas"),
    DATE: _("date: an Excel date, YYYY-MM-DD or DD/MM/YYYY"),
    DATETIME: _("date or date and time: an Excel date, YYYY-MM-DD [HH:MM] or DD/MM/YYYY [HH:MM]"),
    MONEY: _("whole number of rupiah"),
    HOURS: _("number"),
    NIK: _("16 digits, as text"),
    YESNO: _("YA or TIDAK"),
    EMAIL: _("email address"),
    RATING: _("whole number from 1 to 5"),
}
