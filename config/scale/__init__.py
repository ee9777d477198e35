"""Synthetic national-scale data for benchmarks (CONTRACTS.md section 4, issue 8).

Everything here is synthetic: names are drawn from short lists, NIKs start with "97", offices are
coded S001, S002, ... and carry an e-mail address at ``scale.invalid`` so that ``--reset`` can find
them again without touching real or demo offices.

Speed: rows are generated as plain tuples and written with PostgreSQL's COPY (psycopg2
``copy_expert``) or, on other databases, with ``executemany``. Primary keys are reserved up front
(``nextval`` over a ``generate_series`` on PostgreSQL) so that no row has to be read back. Bulk
writes bypass ``save()``, signals and django-simple-history on purpose: derived columns that
``save()`` normally fills (``Client.is_child``, ``ReportingVisit.office_id`` and ``report_date``)
are computed here.

Determinism: one ``random.Random(seed)`` drives every choice and all dates derive from the anchor
day ``today``; the same seed on the same anchor gives the same rows (ids aside).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, models, transaction

from bapas.models import Office, Region, Role, User

MARKER_DOMAIN = "scale.invalid"
# The regional viewer of the first scale region (the others are kanwil.sr02, kanwil.sr03 ...) and
# the national viewer.
REGIONAL_USERNAME = "kanwil.scale"
NATIONAL_USERNAME = "ditjenpas.scale"
OFFICES_PER_REGION = 10
CLIENTS_PER_PK = 60
ENROLMENTS_PER_CLIENT = 1.5
PARTICIPANTS_PER_SESSION = 20
UTC = dt.UTC


def _words(text: str) -> list[str]:
    return [" ".join(word.split()) for word in text.split(";") if word.strip()]


CITIES = _words(
    """
    Medan; Palembang; Padang; Pekanbaru; Jambi; Bengkulu; Bandar Lampung; Pangkalpinang; Tanjungpinang; Banda
    Aceh; Lhokseumawe; Pematangsiantar; Bukittinggi; Bandung; Bogor; Cirebon; Garut; Sukabumi; Karawang; Bekasi;
    Depok; Serang; Jakarta Barat; Jakarta Timur; Jakarta Selatan; Jakarta Utara; Jakarta Pusat; Semarang;
    Surakarta; Pekalongan; Purwokerto; Magelang; Pati; Klaten; Nusakambangan; Yogyakarta; Wonosari; Surabaya;
    Malang; Kediri; Madiun; Jember; Bojonegoro; Pamekasan; Denpasar; Karangasem; Mataram; Kupang; Waingapu;
    Atambua; Pontianak; Singkawang; Palangka Raya; Banjarmasin; Barabai; Samarinda; Tarakan; Nunukan; Manado;
    Gorontalo; Palu; Luwuk; Makassar; Parepare; Watampone; Palopo; Kendari; Baubau; Mamuju; Ambon; Tual; Ternate;
    Jayapura; Merauke; Biak; Nabire; Manokwari; Sorong; Timika; Wamena; Sampit; Batam; Tanjung Balai; Sibolga;
    Padangsidimpuan; Metro; Kotabumi; Lubuklinggau; Baturaja; Muara Enim; Bima; Ende; Maumere; Tasikmalaya;
    Ciamis; Purwakarta; Tegal; Banyumas; Blitar; Probolinggo
    """
)
# Indonesia has no daylight saving: one fixed offset per zone. Eastern cities get WITA/WIT.
WITA_CITIES = set(
    _words(
        """
    Atambua; Banjarmasin; Barabai; Baubau; Bima; Denpasar; Ende; Gorontalo; Karangasem; Kendari; Kupang; Luwuk;
    Makassar; Mamuju; Manado; Mataram; Maumere; Nunukan; Palopo; Palu; Parepare; Samarinda; Tarakan; Waingapu;
    Watampone
    """
    )
)
WIT_CITIES = set(
    _words(
        """
    Ambon; Biak; Jayapura; Manokwari; Merauke; Nabire; Sorong; Ternate; Timika; Tual; Wamena
    """
    )
)
MALE_NAMES = _words(
    """
    Agus; Budi; Joko; Rudi; Andi; Dedi; Hendra; Irfan; Rizky; Fajar; Yusuf; Bayu; Dimas; Eko; Fikri; Gilang; Hadi;
    Ilham; Jefri; Kurniawan; Lukman; Muhammad; Nanda; Oki; Putra; Rahmat; Slamet; Taufik; Umar; Wahyu; Yogi;
    Zainal; Arif; Bambang; Dani; Erwin
    """
)
FEMALE_NAMES = _words(
    """
    Siti; Dewi; Ayu; Rina; Sri; Wulan; Yuni; Indah; Lestari; Nur; Putri; Ratna; Sari; Tika; Utami; Vina; Fitri;
    Maya
    """
)
FAMILY_NAMES = _words(
    """
    Saputra; Hidayat; Santoso; Wijaya; Pratama; Siregar; Nasution; Harahap; Simanjuntak; Gunawan; Setiawan;
    Kusuma; Purnomo; Susanto; Rahman; Hakim; Syahputra; Lubis; Tanjung; Sitompul; Manurung; Pangaribuan;
    Matondang; Ginting; Sembiring; Tarigan; Nugroho; Firmansyah; Ramadhan; Permana; Sulistyo; Wibowo; Halim;
    Tambunan; Situmorang; Daulay; Batubara
    """
)
# name and category of each training type
TRAINING_TYPES = [
    tuple(item.split("="))
    for item in _words(
        """
    Budidaya Ikan Lele=PERIKANAN; Pupuk Organik=PERTANIAN; Pembibitan Anggur=PERTANIAN; Hidroponik=PERTANIAN;
    Barista=KULINER; Tata Boga=KULINER; Bakso Instan=KULINER; Roti dan Kue=KULINER; Seblak=KULINER; Tata Rias
    (Make-up Artist)=KECANTIKAN; Pangkas Rambut=KECANTIKAN; Pijat Refleksi=JASA; Servis AC=OTOMOTIF_TEKNIK; Montir
    Sepeda Motor=OTOMOTIF_TEKNIK; Las Listrik=OTOMOTIF_TEKNIK; Jok Mobil=OTOMOTIF_TEKNIK; Pemasangan
    Wallpaper=JASA; Desain Interior=JASA; Menjahit=KERAJINAN; Kerajinan Anyaman=KERAJINAN; Pemasaran
    Digital=DIGITAL; Desain Grafis=DIGITAL; Sablon Kaos=KERAJINAN; Cuci Motor dan Mobil=JASA
    """
    )
]
INTERESTS = _words(
    """
    kuliner; pertanian; perikanan; jasa; kecantikan; otomotif; kerajinan; digital
    """
)
CATEGORY_INTEREST = {
    "KULINER": "kuliner",
    "PERTANIAN": "pertanian",
    "PERIKANAN": "perikanan",
    "JASA": "jasa",
    "KECANTIKAN": "kecantikan",
    "OTOMOTIF_TEKNIK": "otomotif",
    "KERAJINAN": "kerajinan",
    "DIGITAL": "digital",
}
PARTNER_KINDS = _words(
    """
    MASYARAKAT; KEAGAMAAN; SWASTA; LPK; PERGURUAN_TINGGI; PEMERINTAH
    """
)
PARTNER_PREFIX = {
    "MASYARAKAT": "Yayasan Peduli",
    "KEAGAMAAN": "Majelis Taklim",
    "SWASTA": "PT Karya",
    "LPK": "LPK Terampil",
    "PERGURUAN_TINGGI": "Universitas",
    "PEMERINTAH": "Dinas Tenaga Kerja",
}
SCOPES = _words(
    """
    KEPRIBADIAN; KEMANDIRIAN; ADVOKASI_HUKUM; PENEMPATAN_KERJA; PENDAMPINGAN_USAHA; BANTUAN_MODAL
    """
)
TOPICS = _words(
    """
    kepatuhan wajib lapor; pekerjaan dan penghasilan; hubungan keluarga; keagamaan; kesehatan; rencana usaha;
    minat pelatihan; lingkungan tempat tinggal
    """
)
NOTES = _words(
    """
    Klien hadir tepat waktu, kondisi baik.; Klien bekerja sebagai buruh harian, penghasilan cukup.; Keluarga
    mendukung, tidak ada masalah di lingkungan.; Klien diingatkan jadwal lapor berikutnya.; Klien berminat
    mengikuti pelatihan kemandirian.; Klien mengeluh sulit mencari pekerjaan.; Bimbingan kepribadian dan keagamaan
    diberikan.; Penjamin turut hadir dan memberi keterangan.
    """
)
OFFENCES = _words(
    """
    Pasal 362 KUHP; Pasal 363 KUHP; Pasal 372 KUHP; Pasal 378 KUHP; Pasal 351 KUHP; Pasal 114 UU 35/2009; Pasal
    112 UU 35/2009; Pasal 127 UU 35/2009; Pasal 480 KUHP
    """
)
PROGRAMMES = [("PB", 45), ("CB", 10), ("CMB", 10), ("ASIMILASI", 20), ("PIDANA_BERSYARAT", 10), ("LAINNYA", 3)]
OUTCOMES_BY_QUICKNESS = {
    # category -> weights of BELUM_MENERAPKAN, USAHA_SAMPINGAN, BEKERJA_DI_BIDANG, USAHA_SENDIRI,
    # BEKERJA_BIDANG_LAIN, TIDAK_DAPAT_DIHUBUNGI (quick-income skills do better, as the paper found)
    "quick": (30, 30, 10, 8, 12, 10),
    "slow": (60, 6, 3, 3, 18, 10),
    "other": (45, 14, 8, 5, 18, 10),
}
QUICK = {"KECANTIKAN", "JASA"}
SLOW = {"PERTANIAN", "PERIKANAN"}
FOLLOW_UP_STATUSES = [
    "BELUM_MENERAPKAN", "USAHA_SAMPINGAN", "BEKERJA_DI_BIDANG", "USAHA_SENDIRI", "BEKERJA_BIDANG_LAIN",
    "TIDAK_DAPAT_DIHUBUNGI",
]  # fmt: skip
REASONS = ["MODAL", "MINAT", "BEKERJA_LAIN", "PERALATAN", "LAINNYA"]


class ScaleError(Exception):
    """A refusal the command turns into a clear message (e.g. scale offices already exist)."""


# --- low-level writing --------------------------------------------------------------------------


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so rows can reference each other without a read-back."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")  # noqa: S608 (quoted model names)
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _fallback_default(f: models.Field, anchor_dt: dt.datetime):
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return (
            anchor_dt.date()
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
            else anchor_dt
        )
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.CharField | models.TextField | models.FileField):
        return ""
    if isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
        return 0
    raise ScaleError(
        f"{f.model.__name__}.{f.name} needs a value: bapas/scale.py does not know this required field yet."
    )


class RowWriter:
    """Writes tuples of the named columns; every other concrete column gets its default."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], anchor_dt: dt.datetime):
        self.model = model
        concrete = list(model._meta.concrete_fields)
        by_attname = {f.attname: f for f in concrete}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise ScaleError(f"{model.__name__} has no column {unknown}")
        self.fields = [by_attname[c] for c in columns]
        self.extra_fields = [f for f in concrete if f.attname not in columns and not f.primary_key]
        self.extra_values = tuple(_fallback_default(f, anchor_dt) for f in self.extra_fields)
        self.all_fields = self.fields + self.extra_fields
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        if is_postgres():
            self._copy(rows)
        else:
            self._insert(rows)
        self.count += len(rows)
        return len(rows)

    def _copy(self, rows: list[tuple]) -> None:
        extra = "".join("\t" + _copy_text(v) for v in self.extra_values)
        buf = io.StringIO()
        write = buf.write
        for row in rows:
            write("\t".join([_copy_text(v) for v in row]))
            write(extra)
            write("\n")
        buf.seek(0)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in self.all_fields)
        sql = f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({cols}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buf)

    def _insert(self, rows: list[tuple]) -> None:
        fields = self.all_fields
        qn = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted model names)
            qn(self.model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        prepared = []
        for row in rows:
            values = tuple(row) + self.extra_values
            prepared.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)])
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), 2000):
                cursor.executemany(sql, prepared[start : start + 2000])


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, list | dict):
        import json

        return json.dumps(value).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


@contextmanager
def deferred_indexes(*model_list):
    """On PostgreSQL, drop the plain secondary indexes of big tables during the load, rebuild after.

    Building an index once over millions of rows is several times faster than maintaining it row by
    row. Indexes that back a constraint (primary key, unique) stay. DDL is transactional here: if the
    load fails, the rollback restores the indexes. The tables are locked for the load's duration.
    """
    if not is_postgres():
        yield
        return
    saved = []
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename = %s
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                [model._meta.db_table],
            )
            saved += cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them now, or CREATE INDEX refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in saved:
            cursor.execute(definition)


def _skip_fk_triggers() -> bool:
    """Skip PostgreSQL's per-row foreign-key triggers for this transaction when allowed (superuser).

    Every reference is built from reserved ids, so the rows are consistent by construction; one
    set-based anti-join per foreign key (``_verify_foreign_keys``) proves it before commit instead
    of millions of single-row lookups. Without the privilege the triggers run as usual.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        return True
    except DatabaseError:
        return False


def _verify_foreign_keys(model_list) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in model_list:
            for f in model._meta.concrete_fields:
                if not (f.is_relation and f.many_to_one and f.db_constraint):
                    continue
                target = f.remote_field.model._meta
                sql = (
                    f"SELECT 1 FROM {qn(model._meta.db_table)} t LEFT JOIN {qn(target.db_table)} r "  # noqa: S608
                    f"ON r.{qn(f.target_field.column)} = t.{qn(f.column)} "
                    f"WHERE t.{qn(f.column)} IS NOT NULL AND r.{qn(f.target_field.column)} IS NULL LIMIT 1"
                )
                cursor.execute(sql)
                if cursor.fetchone():
                    raise ScaleError(f"{model.__name__}.{f.name} points at a missing row; nothing was written.")


# --- the plan -----------------------------------------------------------------------------------


@dataclass
class OfficePlan:
    index: int
    id: int
    code: str
    zone: str
    clients: int
    offset: dt.timedelta
    staff: dict[str, int] = field(default_factory=dict)  # username -> id
    pk_ids: list[int] = field(default_factory=list)
    kasi_id: int = 0
    kasubsi_id: int = 0


@dataclass
class SeedResult:
    offices: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


def scale_offices():
    """The offices this module created (and only those)."""
    return Office.objects.filter(code__regex=r"^S[0-9]{3,4}$", email__endswith="@" + MARKER_DOMAIN)


def scale_regions():
    """The regions this module created (SR01, SR02 ...; their address carries the marker)."""
    return Region.objects.filter(code__regex=r"^SR[0-9]{2,4}$", address__endswith="@" + MARKER_DOMAIN)


def default_region_count(offices: int) -> int:
    """One region per ten offices (at least one)."""
    return max(1, math.ceil(offices / OFFICES_PER_REGION))


def region_index(office_index: int, offices: int, regions: int) -> int:
    """Offices go to regions in consecutive blocks as even as they come (S001..S010 to SR01 ...)."""
    return office_index * regions // offices


def default_office_count(clients: int) -> int:
    return max(1, min(999, math.ceil(clients / 1000)))


# Work status at programme start, and what a client moves to when it changes between two wajib lapor.
WORK_START = [("FORMAL", 10), ("INFORMAL", 30), ("USAHA_SENDIRI", 10), ("TIDAK_BEKERJA", 40),
              ("TIDAK_DAPAT_BEKERJA", 5), ("TIDAK_DIKETAHUI", 5)]  # fmt: skip
WORK_NEXT = [("FORMAL", 15), ("INFORMAL", 35), ("USAHA_SENDIRI", 15), ("TIDAK_BEKERJA", 35)]
WORK_CHANGE = 0.06  # chance that the status changed since the previous report


def _work_rng(seed: int, client_id: int) -> random.Random:
    """A client's own generator for its work status series (the main stream stays as it was)."""
    return random.Random(seed * 1_000_003 + client_id)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _monthly_periods(start: dt.date, end: dt.date):
    """(first, last) ordinal of each calendar month overlapping [start, end], clipped to it."""
    year, month = start.year, start.month
    while True:
        first = dt.date(year, month, 1)
        if first > end:
            return
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        yield max(first, start).toordinal(), min(last, end).toordinal()
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weekly_periods(start: dt.date, end: dt.date):
    monday = start - dt.timedelta(days=start.weekday())
    first = monday.toordinal()
    s, e = start.toordinal(), end.toordinal()
    while first <= e:
        yield max(first, s), min(first + 6, e)
        first += 7


class Seeder:
    def __init__(
        self, *, clients: int, offices: int | None, seed: int, today: dt.date, log: Callable | None = None,
        regions: int | None = None,
    ):  # fmt: skip
        if clients < 1:
            raise ScaleError("--clients must be at least 1.")
        self.n_clients = clients
        self.n_offices = offices or default_office_count(clients)
        if not 1 <= self.n_offices <= 9999:
            raise ScaleError("--offices must be between 1 and 9999.")
        if self.n_offices > clients:
            raise ScaleError("--offices cannot exceed --clients.")
        self.n_regions = regions or default_region_count(self.n_offices)
        if not 1 <= self.n_regions <= self.n_offices:
            raise ScaleError("--regions must be between 1 and the number of offices.")
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        self.anchor = dt.datetime.combine(today, dt.time(6, 0), tzinfo=UTC)
        self.log = log or (lambda message: None)
        self.result = SeedResult()
        self._t0 = time.perf_counter()
        self._lap = self._t0

    def _step(self, label: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((label, now - self._lap))
        self.log(f"  {label}: {now - self._lap:.1f} s")
        self._lap = now

    def writer(self, model, columns) -> RowWriter:
        return RowWriter(model, columns, self.anchor)

    def run(self) -> SeedResult:
        from config.demo import DEFAULT_PASSWORD

        if scale_offices().exists() or scale_regions().exists():
            raise ScaleError("Scale offices (S001 ...) already exist; run again with --reset to replace them.")
        self.password_hash = make_password(DEFAULT_PASSWORD)
        from clients.models import ReportingVisit
        from trainings.models import Attendance

        with transaction.atomic():
            skip_fk_triggers = False
            if is_postgres():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                skip_fk_triggers = _skip_fk_triggers()
            self.region_ids = self._regions()
            self.offices = self._offices()
            self._staff()
            self._step("offices and staff")
            self._partners_and_types()
            self._step("partners, agreements, training types")
            self._clients()
            self._step("clients")
            with deferred_indexes(ReportingVisit, Attendance):
                self._visits()
                self._step("wajib lapor")
                self._trainings()
                self._step("trainings, enrolments, attendance, follow-ups")
            self._step("rebuilding indexes")
            if skip_fk_triggers:
                _verify_foreign_keys(self.written_models())
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
                self._step("foreign keys verified")
        if is_postgres():
            with connection.cursor() as cursor:
                for model in self.written_models():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self._step("analyze")
        self.result.offices = len(self.offices)
        return self.result

    def written_models(self):
        from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange
        from pokmaslipas.models import Agreement, Partner
        from trainings.models import (
            Attendance,
            Enrolment,
            FollowUp,
            PartnerTrainingType,
            TrainingSession,
            TrainingType,
        )  # fmt: skip

        return [Region, Office, User, Partner, PartnerTrainingType, Agreement, TrainingType, TrainingSession,
                Client, PKAssignment, StatusChange, ReportingWarning, ReportingVisit, Enrolment, Attendance,
                FollowUp]  # fmt: skip

    # regions, offices and staff -------------------------------------------------------------------
    def _regions(self) -> list[int]:
        """SR01, SR02 ...: no random draw, so a seed gives the same offices whatever the regions."""
        ids = reserve_ids(Region, self.n_regions)
        rows = [
            (ids[i], f"SR{i + 1:02d}", f"Kantor Wilayah Skala {i + 1}", f"Provinsi Skala {i + 1}",
             f"kanwil.sr{i + 1:02d}@{MARKER_DOMAIN}", "", "")
            for i in range(self.n_regions)
        ]  # fmt: skip
        self.writer(Region, ["id", "code", "name", "province", "address", "head_name", "head_nip"]).write(rows)
        self.result.counts["regions"] = len(rows)
        return ids

    def _offices(self) -> list[OfficePlan]:
        rng = self.rng
        weights = [rng.uniform(0.6, 1.4) for _ in range(self.n_offices)]
        total = sum(weights)
        sizes = [max(1, int(self.n_clients * w / total)) for w in weights]
        # Hand the rounding remainder out from the first office on, keeping every office >= 1.
        diff = self.n_clients - sum(sizes)
        i = 0
        while diff != 0:
            step = 1 if diff > 0 else -1
            if sizes[i % len(sizes)] + step >= 1:
                sizes[i % len(sizes)] += step
                diff -= step
            i += 1
        ids = reserve_ids(Office, self.n_offices)
        plans, rows = [], []
        for index in range(self.n_offices):
            city = CITIES[index % len(CITIES)]
            if index >= len(CITIES):
                city = f"{city} {index // len(CITIES) + 1}"
            base = CITIES[index % len(CITIES)]
            zone = "Asia/Jayapura" if base in WIT_CITIES else "Asia/Makassar" if base in WITA_CITIES else "Asia/Jakarta"
            code = f"S{index + 1:03d}"
            klass = "I" if sizes[index] >= 1000 or index % 3 == 0 else "II"
            offset = ZoneInfo(zone).utcoffset(self.anchor.replace(tzinfo=None))
            plans.append(OfficePlan(index, ids[index], code, zone, sizes[index], offset))
            region_id = self.region_ids[region_index(index, self.n_offices, self.n_regions)]
            rows.append(
                (ids[index], code, region_id, f"Bapas Kelas {klass} {city}", klass, city, f"Jl. Pemasyarakatan No. {index + 1}, {city}",
                 zone, f"(0{rng.randint(21, 986)}) {rng.randint(100000, 999999)}", f"{code.lower()}@{MARKER_DOMAIN}",
                 f"KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN {city.upper()}",
                 f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}, S.H., M.H.",
                 f"19{rng.randint(65, 85)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20000{rng.randint(10000, 99999)}")
            )  # fmt: skip
        self.writer(
            Office,
            ["id", "code", "region_id", "name", "office_class", "city", "address", "time_zone", "phone", "email",
             "regional_office_name", "head_name", "head_nip"],
        ).write(rows)  # fmt: skip
        self.result.counts["offices"] = len(rows)
        return plans

    def _staff(self) -> None:
        rng = self.rng
        rows = []
        planned = []
        for plan in self.offices:
            suffix = plan.code.lower()
            n_pk = max(1, round(plan.clients / CLIENTS_PER_PK))
            people = [(f"kabapas.{suffix}", Role.KABAPAS, ""), (f"kasi.{suffix}", Role.KASI, ""),
                      (f"kasubsi.{suffix}", Role.KASUBSI, ""), (f"admin.{suffix}", Role.ADMIN, "")]  # fmt: skip
            people += [
                (f"pk{n}.{suffix}", Role.PK, rng.choice(["PERTAMA", "MUDA", "MADYA"])) for n in range(1, n_pk + 1)
            ]
            planned.append((plan, people))
        ids = iter(reserve_ids(User, sum(len(p) for _, p in planned) + self.n_regions + 1))
        for plan, people in planned:
            for username, role, rank in people:
                user_id = next(ids)
                plan.staff[username] = user_id
                if role == Role.PK:
                    plan.pk_ids.append(user_id)
                elif role == Role.KASI:
                    plan.kasi_id = user_id
                elif role == Role.KASUBSI:
                    plan.kasubsi_id = user_id
                female = rng.random() < 0.4
                first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                rows.append((user_id, username, self.password_hash, first, rng.choice(FAMILY_NAMES),
                             f"{username}@{MARKER_DOMAIN}", True, self.anchor, plan.id, None, role,
                             f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20{rng.randint(10, 24)}0{rng.randint(1000, 9999)}{'2' if female else '1'}",
                             rank))  # fmt: skip
        for i, region_id in enumerate(self.region_ids):  # one regional viewer per region
            username = REGIONAL_USERNAME if i == 0 else f"kanwil.sr{i + 1:02d}"
            rows.append((next(ids), username, self.password_hash, "Teguh", f"Skala {i + 1}",
                         f"{username}@{MARKER_DOMAIN}", True, self.anchor, None, region_id, Role.REGIONAL, "", ""))  # fmt: skip
        rows.append((next(ids), NATIONAL_USERNAME, self.password_hash, "Arif", "Skala", f"ditjenpas@{MARKER_DOMAIN}",
                     True, self.anchor, None, None, Role.NATIONAL, "", ""))  # fmt: skip
        self.writer(
            User,
            ["id", "username", "password", "first_name", "last_name", "email", "is_active", "date_joined",
             "office_id", "region_id", "role", "nip", "rank"],
        ).write(rows)  # fmt: skip
        self.result.counts["staff"] = len(rows)

    # partners, agreements, training types ---------------------------------------------------------
    def _partners_and_types(self) -> None:
        from pokmaslipas.models import Agreement, Partner
        from trainings.models import PartnerTrainingType, TrainingType

        rng, today = self.rng, self.today
        type_rows, partner_rows, link_rows, agreement_rows = [], [], [], []
        self.types: dict[int, list[tuple[int, str, str]]] = {}  # office id -> [(type id, name, category)]
        self.partners: dict[int, list[tuple[int, list[int], int | None]]] = {}  # -> [(id, type ids, agreement)]
        plans = []
        for plan in self.offices:
            n_types = min(len(TRAINING_TYPES), 8 + plan.clients // 500)
            n_partners = max(3, round(plan.clients / 100))
            plans.append((plan, rng.sample(TRAINING_TYPES, n_types), n_partners))
        type_ids = iter(reserve_ids(TrainingType, sum(len(t) for _, t, _ in plans)))
        partner_ids = iter(reserve_ids(Partner, sum(n for _, _, n in plans)))
        for plan, chosen, n_partners in plans:
            self.types[plan.id] = []
            for name, category in chosen:
                type_id = next(type_ids)
                self.types[plan.id].append((type_id, name, category))
                type_rows.append((type_id, plan.id, name, category))
            self.partners[plan.id] = []
            for n in range(1, n_partners + 1):
                partner_id = next(partner_ids)
                kind = rng.choice(PARTNER_KINDS)
                offers = _scope_codes(rng)
                partner_rows.append(
                    (partner_id, plan.id, f"M{n:03d}", f"{PARTNER_PREFIX[kind]} {rng.choice(FAMILY_NAMES)} {n}", kind,
                     f"Jl. Mitra No. {n}, {plan.code}", f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
                     f"08{rng.randint(1000000000, 9999999999)}", offers, rng.random() > 0.05, self.anchor, self.anchor)
                )  # fmt: skip
                delivered = rng.sample(self.types[plan.id], rng.randint(1, 3))
                for type_id, _name, _cat in delivered:
                    link_rows.append((partner_id, type_id))
                self.partners[plan.id].append((partner_id, [t[0] for t in delivered], None))
        self.writer(TrainingType, ["id", "office_id", "name", "category"]).write(type_rows)
        self.writer(
            Partner,
            ["id", "office_id", "code", "name", "kind", "address", "contact_person", "phone", "offers", "is_active",
             "created_at", "updated_at"],
        ).write(partner_rows)  # fmt: skip
        self.writer(PartnerTrainingType, ["partner_id", "training_type_id"]).write(link_rows)
        # Agreements: a current one per partner; a third also have an earlier, expired one it renews.
        plans = []
        for plan in self.offices:
            for index, (partner_id, types, _) in enumerate(self.partners[plan.id]):
                plans.append((plan, index, partner_id, types, rng.random() < 0.33))
        ids = iter(reserve_ids(Agreement, sum(2 if renewed else 1 for *_, renewed in plans)))
        seq = 0
        for plan, index, partner_id, types, renewed in plans:
            start = today - dt.timedelta(days=rng.randint(20, 900))
            end = _add_months(start, rng.choice([12, 24, 36])) - dt.timedelta(days=1)
            scope = _scope_codes(rng)
            previous = None
            if renewed:
                seq += 1
                previous = next(ids)
                p_end = start - dt.timedelta(days=1)
                p_start = _add_months(p_end, -24) + dt.timedelta(days=1)
                agreement_rows.append(
                    (previous, plan.id, partner_id, f"W.{plan.code}.PK.01.05-{seq:05d}/{p_start.year}",
                     f"{rng.randint(1, 999):03d}/MITRA/{p_start.year}", "PKS", "Perjanjian kerja sama pembinaan klien",
                     p_start, p_start, p_end, scope, None, self.anchor, self.anchor)
                )  # fmt: skip
            seq += 1
            current = next(ids)
            agreement_rows.append(
                (current, plan.id, partner_id, f"W.{plan.code}.PK.01.05-{seq:05d}/{start.year}",
                 f"{rng.randint(1, 999):03d}/MITRA/{start.year}", "PKS", "Perjanjian kerja sama pembinaan klien",
                 start - dt.timedelta(days=rng.randint(0, 14)), start, end, scope, previous, self.anchor, self.anchor)
            )  # fmt: skip
            self.partners[plan.id][index] = (partner_id, types, current)
        self.writer(
            Agreement,
            ["id", "office_id", "partner_id", "number", "partner_number", "kind", "title", "signed_on", "start_date",
             "end_date", "scope", "renews_id", "created_at", "updated_at"],
        ).write(agreement_rows)  # fmt: skip
        self.result.counts.update(
            training_types=len(type_rows), partners=len(partner_rows), agreements=len(agreement_rows)
        )

    # clients ----------------------------------------------------------------------------------------
    def _clients(self) -> None:
        from clients.models import Client, PKAssignment, ReportingWarning, StatusChange

        rng, today = self.rng, self.today
        yesterday = today - dt.timedelta(days=1)
        ids = iter(reserve_ids(Client, self.n_clients))
        # client tuple kept for later stages: (id, office plan, officer id, start, end, weekly, compliance,
        # active, interests)
        self.clients: list[tuple] = []
        client_writer = self.writer(
            Client,
            ["id", "office_id", "register_number", "name", "nik", "sex", "birth_place", "birth_date", "address",
             "phone", "religion", "education", "marital_status", "dependants", "previous_occupation", "domicile",
             "origin_institution_type", "origin_institution", "offence", "sentence", "programme", "programme_start",
             "programme_end", "reporting_frequency", "officer_id", "guarantor_name", "guarantor_relation",
             "guarantor_phone", "interests", "is_employed", "sensitive_category", "is_child", "status",
             "status_date", "status_reason", "created_at", "updated_at", "work_status_start"],
        )  # fmt: skip
        status_rows, warning_rows, assignment_rows = [], [], []
        religions = [("ISLAM", 86), ("KRISTEN", 7), ("KATOLIK", 3), ("HINDU", 2), ("BUDDHA", 1), ("LAINNYA", 1)]
        educations = [("TIDAK_SEKOLAH", 4), ("SD", 25), ("SMP", 30), ("SMA", 35), ("DIPLOMA", 3), ("S1", 3)]
        maritals = [("BELUM_KAWIN", 45), ("KAWIN", 45), ("CERAI_HIDUP", 8), ("CERAI_MATI", 2)]
        occupations = ["Buruh", "Pedagang", "Petani", "Nelayan", "Sopir", "Ojek daring", "Tidak bekerja", "Wiraswasta"]
        batch = []
        for plan in self.offices:
            city = CITIES[plan.index % len(CITIES)]
            for n in range(1, plan.clients + 1):
                client_id = next(ids)
                roll = rng.random()
                status = (
                    "AKTIF" if roll < 0.85 else "SELESAI" if roll < 0.96 else "DICABUT" if roll < 0.985 else "PINDAH"
                )
                weekly = rng.random() < 0.12
                if status == "AKTIF":
                    if weekly:
                        start = today - dt.timedelta(days=rng.randint(14, 420))
                        end = today + dt.timedelta(days=rng.randint(1, 365))
                    else:
                        start = today - dt.timedelta(days=rng.randint(20, 1500))
                        end = today + dt.timedelta(days=rng.randint(1, 720))
                else:
                    end = today - dt.timedelta(days=rng.randint(1, 700))
                    start = end - dt.timedelta(days=rng.randint(120, 300 if weekly else 1300))
                    if status in ("DICABUT", "PINDAH"):
                        end = start + (end - start) // 2
                programme = _weighted(rng, PROGRAMMES)
                child = rng.random() < 0.03
                if child:
                    programme = "DIVERSI" if rng.random() < 0.5 else programme
                    birth = start - dt.timedelta(days=rng.randint(14 * 365, 17 * 365))
                else:
                    birth = start - dt.timedelta(days=rng.randint(19 * 365, 60 * 365))
                sex = "P" if rng.random() < 0.08 else "L"
                first = rng.choice(FEMALE_NAMES if sex == "P" else MALE_NAMES)
                name = f"{first} {rng.choice(FAMILY_NAMES)}"
                if rng.random() < 0.4:
                    name = f"{first} {rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}"
                officer = plan.pk_ids[(n - 1) % len(plan.pk_ids)]
                compliance = 0.97 if rng.random() < 0.8 else 0.75 if rng.random() < 0.75 else 0.4
                interests = ", ".join(rng.sample(INTERESTS, rng.randint(1, 2)))
                sensitive = "NARKOTIKA" if rng.random() < 0.1 else "TERORISME" if rng.random() < 0.003 else ""
                offence = "Pasal 114 UU 35/2009" if sensitive == "NARKOTIKA" else rng.choice(OFFENCES)
                institution = "LPKA" if child else rng.choice(["LAPAS", "LAPAS", "RUTAN"])
                is_child = programme == "DIVERSI" or institution == "LPKA" or _age(birth, start) < 18
                status_date = end if status != "AKTIF" else None
                batch.append(
                    (client_id, plan.id, f"PAS-{plan.code}.{n:05d}/{start.year}", name,
                     f"97{plan.index + 1:04d}{n:010d}", sex, city, birth, f"Jl. Melati No. {rng.randint(1, 200)}, {city}",
                     f"08{rng.randint(1000000000, 9999999999)}", _weighted(rng, religions), _weighted(rng, educations),
                     _weighted(rng, maritals), rng.randint(0, 4), rng.choice(occupations),
                     "KOTA" if rng.random() < 0.7 else "DESA", institution, f"{institution} Kelas II {city}", offence,
                     f"{rng.randint(1, 8)} tahun", programme, start, end, "MINGGUAN" if weekly else "BULANAN", officer,
                     f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}", rng.choice(["Orang tua", "Istri", "Saudara"]),
                     f"08{rng.randint(1000000000, 9999999999)}", interests, rng.random() < 0.35, sensitive, is_child,
                     status, status_date, "" if status == "AKTIF" else "Perubahan status data skala",
                     self.anchor, self.anchor, _weighted(_work_rng(self.seed, client_id), WORK_START))
                )  # fmt: skip
                self.clients.append(
                    (
                        client_id,
                        plan,
                        officer,
                        start,
                        min(end, yesterday),
                        weekly,
                        compliance,
                        status == "AKTIF",
                        interests,
                        end,
                    )
                )
                assignment_rows.append((client_id, officer, start, plan.kasi_id, self.anchor))
                if status != "AKTIF":
                    status_rows.append(
                        (client_id, status, end, "Perubahan status data skala", plan.kasi_id, self.anchor)
                    )
                if compliance < 0.5 and status == "AKTIF" and rng.random() < 0.5:
                    warning_rows.append(
                        (client_id, "SP1", yesterday - dt.timedelta(days=rng.randint(0, 60)),
                         "Tidak melaksanakan wajib lapor", "", officer, self.anchor)
                    )  # fmt: skip
                if len(batch) >= 20000:
                    client_writer.write(batch)
                    batch = []
        client_writer.write(batch)
        self.writer(PKAssignment, ["client_id", "officer_id", "start_date", "assigned_by_id", "created_at"]).write(
            assignment_rows
        )
        self.writer(StatusChange, ["client_id", "status", "date", "reason", "recorded_by_id", "created_at"]).write(
            status_rows
        )
        self.writer(
            ReportingWarning,
            ["client_id", "level", "issued_on", "reason", "missed_periods", "issued_by_id", "created_at"],
        ).write(warning_rows)
        self.result.counts.update(
            clients=client_writer.count, pk_assignments=len(assignment_rows), status_changes=len(status_rows),
            warnings=len(warning_rows),
        )  # fmt: skip

    # wajib lapor -----------------------------------------------------------------------------------
    def _visits(self) -> None:
        from clients.models import ReportingVisit

        rng = self.rng
        random_ = rng.random
        randint = rng.randint
        writer = self.writer(
            ReportingVisit,
            ["client_id", "office_id", "reported_at", "report_date", "mode", "received_by_id", "topics", "notes",
             "condition", "next_due_date", "created_by_id", "created_at", "work_status"],
        )  # fmt: skip
        modes = ["DATANG"] * 85 + ["KUNJUNGAN_RUMAH"] * 7 + ["VIDEO_CALL"] * 5 + ["KEGIATAN"] * 3
        conditions = ["BAIK"] * 80 + ["CUKUP"] * 15 + ["PERLU_PERHATIAN"] * 5
        fromordinal = dt.date.fromordinal
        combine = dt.datetime.combine
        batch = []
        for client_id, plan, officer, start, last, weekly, compliance, _active, _interests, _end in self.clients:
            if last < start:
                continue
            periods = _weekly_periods(start, last) if weekly else _monthly_periods(start, last)
            step = 7 if weekly else 30
            work_rng = _work_rng(self.seed, client_id)
            work = _weighted(work_rng, WORK_START)
            for first, final in periods:
                if random_() > compliance:
                    continue
                if work_rng.random() < WORK_CHANGE:
                    work = _weighted(work_rng, WORK_NEXT)
                day = fromordinal(randint(first, final))
                local = combine(day, dt.time(randint(8, 15), randint(0, 59)))
                at = (local - plan.offset).replace(tzinfo=UTC)
                batch.append(
                    (client_id, plan.id, at, day, modes[randint(0, 99)], officer, TOPICS[randint(0, 7)],
                     NOTES[randint(0, 7)], conditions[randint(0, 99)], day + dt.timedelta(days=step), officer, at,
                     work)
                )  # fmt: skip
            if len(batch) >= 100000:
                writer.write(batch)
                batch = []
        writer.write(batch)
        self.result.counts["visits"] = writer.count

    # trainings -------------------------------------------------------------------------------------
    def _trainings(self) -> None:
        from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

        rng, today = self.rng, self.today
        by_office: dict[int, list[tuple]] = {}
        for row in self.clients:
            by_office.setdefault(row[1].id, []).append(row)
        session_plans = []
        for plan in self.offices:
            target = round(plan.clients * ENROLMENTS_PER_CLIENT)
            n_sessions = max(1, math.ceil(target / PARTICIPANTS_PER_SESSION))
            for n in range(1, n_sessions + 1):
                session_plans.append((plan, n))
        session_ids = iter(reserve_ids(TrainingSession, len(session_plans)))
        session_rows, enrol_plans = [], []
        methods = [("PENGENALAN", 60), ("PRAKTIK", 30), ("MAGANG", 10)]
        for plan, n in session_plans:
            session_id = next(session_ids)
            type_id, type_name, category = rng.choice(self.types[plan.id])
            partner_id, _types, agreement_id = rng.choice(self.partners[plan.id])
            start = today + dt.timedelta(days=rng.randint(-1000, 60))
            length = 1 if rng.random() < 0.6 else rng.randint(2, 5) if rng.random() < 0.75 else rng.randint(6, 10)
            end = start + dt.timedelta(days=length - 1)
            status = "PLANNED" if start > today else "CANCELLED" if rng.random() < 0.02 else "HELD"
            transport = rng.choice([25000, 50000, 75000, 100000])
            capacity = rng.choice([20, 25, 30])
            method = _weighted(rng, methods)
            session_rows.append(
                (session_id, plan.id, f"PLT-{start.year}-{n:04d}", f"Pelatihan {type_name}", type_id, partner_id,
                 agreement_id, rng.choice(["AULA", "MITRA"]), f"Aula {plan.code}", start, end,
                 Decimal(rng.choice(["3.0", "4.0", "6.0", "8.0"])), method, capacity,
                 rng.randint(5, 60) * 1_000_000, transport, "Kaos dan tas", True, 80, "" if status != "CANCELLED" else
                 "Mitra berhalangan", status, plan.kasubsi_id, self.anchor, self.anchor)
            )  # fmt: skip
            if status != "CANCELLED":
                enrol_plans.append((plan, session_id, start, end, length, category, transport, capacity, status, n))
        self.writer(
            TrainingSession,
            ["id", "office_id", "code", "title", "training_type_id", "partner_id", "agreement_id", "location_kind",
             "location", "start_date", "end_date", "hours_per_day", "method", "capacity", "budget",
             "transport_per_day", "souvenir", "issues_certificate", "certificate_min_attendance", "cancel_reason",
             "status", "created_by_id", "created_at", "updated_at"],
        ).write(session_rows)  # fmt: skip

        # Enrolments: clients of the office whose programme covers the training (rejection sampling).
        chosen_per_session = []
        for plan, session_id, start, end, length, category, transport, capacity, status, n in enrol_plans:
            pool = by_office[plan.id]
            wanted = min(capacity, rng.randint(PARTICIPANTS_PER_SESSION - 5, PARTICIPANTS_PER_SESSION + 5))
            picked: dict[int, tuple] = {}
            for _ in range(wanted * 6):
                if len(picked) >= wanted:
                    break
                row = pool[rng.randrange(len(pool))]
                if row[3] <= start <= row[9] and row[0] not in picked:
                    picked[row[0]] = row
            chosen_per_session.append(((plan, session_id, start, end, length, category, transport, status, n), picked))
        enrolment_ids = iter(reserve_ids(Enrolment, sum(len(p) for _, p in chosen_per_session)))
        enrol_writer = self.writer(
            Enrolment,
            ["id", "session_id", "client_id", "status", "motivation", "matched_interest", "certificate_number",
             "certificate_issued_at", "enrolled_by_id", "created_at"],
        )  # fmt: skip
        attendance_writer = self.writer(
            Attendance, ["enrolment_id", "date", "status", "transport_paid", "recorded_by_id", "recorded_at"]
        )
        follow_writer = self.writer(
            FollowUp, ["enrolment_id", "date", "status", "income", "reason", "notes", "recorded_by_id", "created_at"]
        )
        enrol_rows, attendance_rows, follow_rows = [], [], []
        for (plan, session_id, start, end, length, category, transport, status, n), picked in chosen_per_session:
            certificates = 0
            interest = CATEGORY_INTEREST.get(category, "")
            quickness = "quick" if category in QUICK else "slow" if category in SLOW else "other"
            for client_id, row in picked.items():
                enrolment_id = next(enrolment_ids)
                roll = rng.random()
                e_status = (
                    "REGISTERED"
                    if roll < 0.93
                    else "INVITED"
                    if roll < 0.96
                    else "WITHDRAWN"
                    if roll < 0.99
                    else "CANCELLED"
                )
                if status == "PLANNED" and e_status == "REGISTERED" and rng.random() < 0.3:
                    e_status = "INVITED"
                attended_days = 0
                if status == "HELD" and e_status in ("REGISTERED", "INVITED"):
                    no_show = rng.random() < 0.08
                    for offset in range(length):
                        if no_show:
                            a_status = "TIDAK_HADIR" if rng.random() < 0.7 else "IZIN"
                        else:
                            r = rng.random()
                            a_status = (
                                "HADIR"
                                if r < 0.9
                                else "TERLAMBAT"
                                if r < 0.95
                                else "IZIN"
                                if r < 0.98
                                else "TIDAK_HADIR"
                            )
                        attended = a_status in ("HADIR", "TERLAMBAT")
                        attended_days += attended
                        attendance_rows.append(
                            (enrolment_id, start + dt.timedelta(days=offset), a_status, transport if attended else 0,
                             plan.kasubsi_id, self.anchor)
                        )  # fmt: skip
                certificate = None
                issued = None
                if attended_days and attended_days * 100 >= 80 * length and end < today:
                    certificates += 1
                    certificate = f"{plan.code}/PLT-{n:04d}/{start.year}/{certificates:03d}"
                    issued = dt.datetime.combine(end, dt.time(9, 0), tzinfo=UTC)
                enrol_rows.append(
                    (enrolment_id, session_id, client_id, e_status, rng.choice([4, 3, 2, None]),
                     bool(interest) and interest in row[8], certificate, issued, row[2], self.anchor)
                )  # fmt: skip
                # One follow-up per participant, a month or more after the training ended.
                follow_day = _add_months(end, 1 if rng.random() < 0.5 else 3)
                if attended_days and follow_day < today:
                    f_status = rng.choices(FOLLOW_UP_STATUSES, weights=OUTCOMES_BY_QUICKNESS[quickness])[0]
                    implemented = f_status in ("USAHA_SAMPINGAN", "BEKERJA_DI_BIDANG", "USAHA_SENDIRI")
                    follow_rows.append(
                        (enrolment_id, follow_day, f_status,
                         rng.randint(5, 40) * 100_000 if implemented or f_status == "BEKERJA_BIDANG_LAIN" else None,
                         rng.choice(REASONS) if f_status == "BELUM_MENERAPKAN" else "",
                         "Tindak lanjut oleh PK (data skala).", row[2], self.anchor)
                    )  # fmt: skip
            if len(attendance_rows) >= 100000:
                enrol_writer.write(enrol_rows)
                attendance_writer.write(attendance_rows)
                follow_writer.write(follow_rows)
                enrol_rows, attendance_rows, follow_rows = [], [], []
        enrol_writer.write(enrol_rows)
        attendance_writer.write(attendance_rows)
        follow_writer.write(follow_rows)
        self.result.counts.update(
            sessions=len(session_rows), enrolments=enrol_writer.count, attendance=attendance_writer.count,
            follow_ups=follow_writer.count,
        )  # fmt: skip


def _scope_codes(rng: random.Random) -> str:
    """Comma list of scope codes in their canonical order; vocational training always included."""
    chosen = {*rng.sample(SCOPES, rng.randint(1, 3)), "KEMANDIRIAN"}
    return ",".join(code for code in SCOPES if code in chosen)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def seed(
    *, clients: int, offices: int | None = None, seed: int = 1, today: dt.date | None = None, log=None,
    regions: int | None = None,
):  # fmt: skip
    from django.utils import timezone

    return Seeder(
        clients=clients, offices=offices, seed=seed, today=today or timezone.localdate(), log=log, regions=regions
    ).run()


# --- reset ----------------------------------------------------------------------------------------


def _references_to(model) -> list[tuple[type[models.Model], models.ForeignKey]]:
    refs = []
    existing = set(connection.introspection.table_names())
    for candidate in apps.get_models(include_auto_created=True):
        if candidate._meta.db_table not in existing or not candidate._meta.managed:
            continue
        for f in candidate._meta.concrete_fields:
            if f.is_relation and (f.many_to_one or f.one_to_one) and f.remote_field.model is model:
                refs.append((candidate, f))
    return refs


def _purge(qs, log, depth: int = 0) -> int:
    """Delete ``qs`` and everything that points at it, with set-based SQL (no per-row work).

    Every foreign key in every installed model (history tables and auto-created M2M tables
    included) that points at the model is followed: SET_NULL ones are cleared, the rest deleted.
    """
    model = qs.model
    if depth > 12:
        raise ScaleError(f"Reference chain too deep at {model.__name__}")
    for ref_model, f in _references_to(model):
        related = ref_model._base_manager.filter(**{f"{f.name}__in": qs.values("pk")})
        if ref_model is model:
            if f.null:
                related.update(**{f.name: None})
            continue
        if f.null and f.remote_field.on_delete is models.SET_NULL:
            related.update(**{f.name: None})
            continue
        if related.exists():
            _purge(related, log, depth + 1)
    deleted = qs._raw_delete(qs.db)
    if deleted:
        log(f"  deleted {deleted} {model._meta.db_table}")
    return deleted


def reset(log=None) -> int:
    """Delete every scale office with everything in it, the scale viewers and the scale regions."""
    log = log or (lambda message: None)
    with transaction.atomic():
        offices = list(scale_offices().values_list("pk", flat=True))
        count = len(offices)
        if offices:
            _purge(Office.objects.filter(pk__in=offices), log)
        viewers = User.objects.filter(office=None, role__in=[Role.REGIONAL, Role.NATIONAL])
        _purge(viewers.filter(email__endswith="@" + MARKER_DOMAIN), log)
        _purge(User.objects.filter(username=REGIONAL_USERNAME), log)  # made before regions existed
        _purge(scale_regions(), log)
    return count


# --- checksum -------------------------------------------------------------------------------------


def checksum() -> str:
    """SHA-256 over the scale rows by natural keys (ids, passwords and wall-clock stamps left out)."""
    from clients.models import Client, ReportingVisit
    from pokmaslipas.models import Agreement, Partner
    from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

    offices = scale_offices()
    digest = hashlib.sha256()
    queries = [
        offices.order_by("code").values_list("code", "name", "time_zone", "city", "region__code"),
        User.objects.filter(office__in=offices).order_by("username").values_list("username", "role", "office__code", "first_name", "last_name"),
        Partner.objects.filter(office__in=offices).order_by("office__code", "code").values_list("office__code", "code", "name", "kind", "offers"),
        Agreement.objects.filter(office__in=offices).order_by("office__code", "number").values_list("number", "partner__code", "start_date", "end_date", "scope", "renews__number"),
        Client.objects.filter(office__in=offices).order_by("office__code", "register_number").values_list(
            "office__code", "register_number", "name", "nik", "sex", "birth_date", "programme", "programme_start",
            "programme_end", "reporting_frequency", "status", "officer__username", "interests", "is_child",
            "work_status_start"),
        ReportingVisit.objects.filter(office__in=offices).order_by("client__office__code", "client__register_number", "reported_at").values_list(
            "client__register_number", "reported_at", "report_date", "mode", "condition", "received_by__username", "notes",
            "work_status"),
        TrainingSession.objects.filter(office__in=offices).order_by("office__code", "code").values_list(
            "office__code", "code", "title", "training_type__name", "partner__code", "start_date", "end_date", "status", "budget"),
        Enrolment.objects.filter(session__office__in=offices).order_by("session__office__code", "session__code", "client__register_number").values_list(
            "session__code", "client__register_number", "status", "matched_interest", "certificate_number", "motivation"),
        Attendance.objects.filter(enrolment__session__office__in=offices).order_by("enrolment__session__office__code", "enrolment__session__code", "enrolment__client__register_number", "date").values_list(
            "enrolment__session__code", "enrolment__client__register_number", "date", "status", "transport_paid"),
        FollowUp.objects.filter(enrolment__session__office__in=offices).order_by("enrolment__session__office__code", "enrolment__session__code", "enrolment__client__register_number", "date").values_list(
            "enrolment__session__code", "enrolment__client__register_number", "date", "status", "income"),
    ]  # fmt: skip
    for qs in queries:
        digest.update(qs.model.__name__.encode())
        for row in qs.iterator(chunk_size=5000):
            digest.update(
                repr(tuple(v.astimezone(UTC).isoformat() if isinstance(v, dt.datetime) else v for v in row)).encode()
            )
    return digest.hexdigest()
