"""Importing a workbook into one office (CONTRACTS.md section 2).

All or nothing: the whole import runs in one transaction, sheet after sheet in the contract's
order, and is rolled back when any row has an error (or for a dry run, which is how the preview
is computed: the same code path, so the preview cannot promise what the import does not do).

Bulk-friendly: each sheet loads the office's existing records in one query keyed by natural key,
compares every row with the stored record (the exporter's ``*_values`` functions) and writes only
new and changed rows, in bulk, with their history rows (who, when, ``import <file name>``).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bapas.models import Role, User
from clients.models import Client, PKAssignment, ReportingVisit, StatusChange
from pokmaslipas.models import Agreement, Partner
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType
from workbook import cells, exporter, schema
from workbook.reader import Issue, SheetData, WorkbookData

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_CHANGES_SHOWN = 200
CHANGE_REASON_MAX = 100


@dataclass
class Change:
    row: int
    key: str
    fields: list  # [column, old, new]


@dataclass
class SheetResult:
    name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    examples_skipped: int = 0
    changes: list = field(default_factory=list)
    more_changes: int = 0

    def add_change(self, row: int, key, fields: list) -> None:
        if len(self.changes) < MAX_CHANGES_SHOWN:
            key_text = " / ".join(cells.display(k) for k in key) if isinstance(key, tuple) else cells.display(key)
            self.changes.append(Change(row, key_text, [[c, cells.display(o), cells.display(n)] for c, o, n in fields]))
        else:
            self.more_changes += 1


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    sheets: list = field(default_factory=list)  # SheetResult in contract order, only sheets in the file
    issues: list = field(default_factory=list)  # str
    ignored_sheets: list = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def row_count(self) -> int:
        return sum(sheet.rows for sheet in self.sheets)

    def totals(self) -> dict:
        return {
            "created": sum(s.created for s in self.sheets),
            "updated": sum(s.updated for s in self.sheets),
            "unchanged": sum(s.unchanged for s in self.sheets),
        }

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        sheets = []
        for sheet in data.get("sheets", []):
            changes = [Change(**change) for change in sheet.get("changes", [])]
            sheets.append(SheetResult(**{**sheet, "changes": changes}))
        return cls(
            filename=data.get("filename", ""),
            dry_run=data.get("dry_run", True),
            sheets=sheets,
            issues=list(data.get("issues", [])),
            ignored_sheets=list(data.get("ignored_sheets", [])),
            applied=data.get("applied", False),
        )


def in_chunks(queryset, field: str, values: list, size: int = 1000):
    """The rows whose ``field`` is in ``values``, a few queries of ``size`` values each."""
    values = [value for value in values if value is not None]
    for offset in range(0, len(values), size):
        yield from queryset.filter(**{f"{field}__in": values[offset : offset + size]})


class _Rollback(Exception):
    pass


@dataclass
class _Row:
    number: int
    values: dict
    ok: bool
    raw_key: tuple


def import_workbook(
    data: WorkbookData, *, office, user=None, filename: str, dry_run: bool, progress=None, ip_address=None
):
    """Validate (and unless ``dry_run`` apply) a read workbook; returns an ImportResult."""
    return WorkbookImport(office=office, user=user, filename=filename, progress=progress, ip_address=ip_address).run(
        data, dry_run=dry_run
    )


class WorkbookImport:
    def __init__(self, *, office, user=None, filename: str, progress=None, ip_address=None):
        self.office = office
        self.user = user
        self.filename = filename
        self.reason = f"import {filename}"[:CHANGE_REASON_MAX]
        self.tz = office.tzinfo
        self.now = timezone.now()
        self.today = timezone.localdate(self.now, timezone=self.tz)
        self.progress = progress
        self.history_attrs = {"ip_address": ip_address} if ip_address else None
        self.issues: list[Issue] = []
        self.failed: dict[str, set] = defaultdict(set)  # sheet -> raw keys of rows with errors
        self.unusable: set[str] = set()  # sheets whose references cannot be checked
        self.done_rows = 0
        self.total_rows = 0

    # --- entry point --------------------------------------------------------------------------
    def run(self, data: WorkbookData, *, dry_run: bool) -> "ImportResult":
        result = ImportResult(filename=self.filename, dry_run=dry_run, ignored_sheets=list(data.ignored_sheets))
        self.issues.extend(data.issues)
        self.total_rows = data.row_count
        for issue in data.issues:
            if issue.sheet:
                self.unusable.add(issue.sheet)
        file_level = [issue for issue in data.issues if not issue.sheet]
        if not file_level:
            try:
                with transaction.atomic():
                    self._run_sheets(data, result)
                    if self.issues or dry_run:
                        raise _Rollback
                result.applied = True
            except _Rollback:
                pass
            except (DatabaseError, ValidationError) as exc:
                logger.exception("workbook import failed for office %s", self.office.code)
                self.issues.append(
                    Issue(_("The import could not be saved (%(error)s); nothing was written.") % {"error": exc})
                )
        result.issues = [str(issue) for issue in self._sorted_issues()]
        result.applied = result.applied and not result.issues
        return result

    def _sorted_issues(self):
        order = {sheet.name: index for index, sheet in enumerate(schema.SHEETS)}
        return sorted(self.issues, key=lambda i: (order.get(i.sheet, -1), i.row or 0))

    def _run_sheets(self, data: WorkbookData, result: ImportResult) -> None:
        self._load_references()
        steps = [
            ("Mitra", self._mitra),
            ("PKS", self._pks),
            ("Klien", self._klien),
            ("Pelatihan", self._pelatihan),
            ("Peserta", self._peserta),
            ("Kehadiran", self._kehadiran),
            ("TindakLanjut", self._tindak_lanjut),
            ("WajibLapor", self._wajib_lapor),
        ]
        self.results = {}
        for name, _step in steps:
            sheet = data.sheets.get(name)
            if sheet is not None:
                self.results[name] = SheetResult(name, rows=len(sheet.rows), examples_skipped=sheet.example_rows)
        for name, step in steps:
            sheet = data.sheets.get(name)
            # A sheet with missing or doubled columns cannot be read row by row.
            readable = sheet is not None and not any(i.row == 1 and i.sheet == name for i in self.issues)
            if readable:
                step(sheet, self.results[name])
            if name == "Kehadiran":
                self._reconcile_attendance()
            if self.progress:
                self.progress(self.done_rows, self.total_rows)
        result.sheets = list(self.results.values())

    # --- shared helpers -----------------------------------------------------------------------
    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.issues.append(Issue(message, sheet, row, column))

    def _tick(self) -> None:
        self.done_rows += 1
        if self.progress and self.done_rows % 250 == 0:
            self.progress(self.done_rows, self.total_rows)

    def _parse(self, sheet: SheetData) -> list[_Row]:
        spec = sheet.spec
        rows = []
        for raw in sheet.rows:
            values, ok = {}, True
            for name in sheet.columns:
                value, has_time = raw.cells[name]
                try:
                    values[name] = cells.parse(spec.columns_by_name[name], value, has_time=has_time, tz=self.tz)
                except cells.CellError as exc:
                    self.error(spec.name, raw.number, name, str(exc))
                    ok = False
            raw_key = tuple(cells.plain_text(raw.cells[k][0]) for k in spec.key_columns if k in raw.cells)
            rows.append(_Row(raw.number, values, ok, raw_key))
        return rows

    def _duplicate(self, seen: dict, sheet: str, row: _Row, key, column: str) -> bool:
        first = seen.get(key)
        if first is not None:
            self.error(sheet, row.number, column, _("duplicate key: the same as row %(row)d.") % {"row": first})
            return True
        seen[key] = row.number
        return False

    def _reference(self, sheet: str, row: _Row, column: str, value, found, referenced_sheet: str, message: str) -> bool:
        """True when a referenced record exists; otherwise an error unless that row already failed."""
        if found is not None:
            return True
        if value in self.failed[referenced_sheet] or referenced_sheet in self.unusable:
            row.ok = False
            return False
        self.error(sheet, row.number, column, message)
        row.ok = False
        return False

    def _diff(self, values: dict, current: dict, columns) -> list:
        return [(c, current[c], values[c]) for c in columns if c in values and values[c] != current[c]]

    def _field_errors(self, sheet: str, row: int, obj, field_to_column: dict, exclude: list) -> bool:
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                column = field_to_column.get(field_name, field_name)
                for message in messages:
                    self.error(sheet, row, column, message)
            return False
        return True

    def _mark(self, obj) -> None:
        obj._history_user = self.user
        obj._change_reason = self.reason

    def _bulk_create(self, model, objs: list, audited: bool = True) -> list:
        if not objs:
            return []
        for obj in objs:
            self._mark(obj)
        if not audited:
            return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=self.user,
            default_change_reason=self.reason,
            custom_historical_attrs=self.history_attrs,
        )

    def _bulk_update(self, model, objs: list, fields: set) -> None:
        if not objs:
            return
        for obj in objs:
            self._mark(obj)
        bulk_update_with_history(
            objs,
            model,
            sorted(fields),
            batch_size=BATCH_SIZE,
            default_user=self.user,
            default_change_reason=self.reason,
            custom_historical_attrs=self.history_attrs,
        )

    def _load_references(self) -> None:
        office = self.office
        self.partners = {p.code: p for p in Partner.objects.filter(office=office)}
        self.agreements = {a.number: a for a in Agreement.objects.filter(office=office).select_related("partner")}
        self.clients = {c.register_number: c for c in Client.objects.filter(office=office).select_related("officer")}
        self.sessions = {
            s.code: s
            for s in TrainingSession.objects.filter(office=office).select_related(
                "training_type", "partner", "agreement"
            )
        }
        self.enrolments: dict[tuple, Enrolment] = {}
        session_by_id = {s.pk: s for s in self.sessions.values()}
        client_by_id = {c.pk: c for c in self.clients.values()}
        for enrolment in Enrolment.objects.filter(session__office=office).only("id", "session_id", "client_id"):
            enrolment.session = session_by_id[enrolment.session_id]
            enrolment.client = client_by_id[enrolment.client_id]
            self.enrolments[(enrolment.session.code, enrolment.client.register_number)] = enrolment
        self.base_attendance: dict[tuple, tuple] = {}  # (code, register) -> (row, "YA"/"TIDAK")
        self.new_enrolments: set[tuple] = set()
        self.override_attendance: dict[tuple, dict] = defaultdict(dict)  # (code, register) -> {date: (row, status)}

    # --- Mitra --------------------------------------------------------------------------------
    MITRA_FIELDS = {
        "nama": "name",
        "jenis": "kind",
        "alamat": "address",
        "kontak": "contact_person",
        "telepon": "phone",
        "email": "email",
    }

    def _mitra(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.MITRA_FIELDS.items()}
        created, updated, fields, seen = [], [], set(), {}
        for row in self._parse(sheet):
            self._tick()
            code = row.values.get("kode")
            if row.ok and self._duplicate(seen, name, row, code, "kode"):
                row.ok = False
            if not row.ok:
                self.failed[name].add(row.raw_key[0] if row.raw_key else "")
                continue
            partner = self.partners.get(code)
            present = [c for c in sheet.columns if c in self.MITRA_FIELDS]
            if partner is None:
                partner = Partner(office=self.office, code=code)
                changes = None
            else:
                changes = self._diff(row.values, exporter.partner_values(partner), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                setattr(partner, self.MITRA_FIELDS[column], row.values[column])
            if not self._field_errors(name, row.number, partner, to_column, ["office", "training_types"]):
                self.failed[name].add(code)
                continue
            if changes is None:
                created.append(partner)
                result.created += 1
            elif changes:
                updated.append(partner)
                fields.update(self.MITRA_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, code, changes)
        for partner in self._bulk_create(Partner, created):
            self.partners[partner.code] = partner
        if updated:
            for partner in updated:
                partner.updated_at = self.now
            self._bulk_update(Partner, updated, fields | {"updated_at"})

    # --- PKS ----------------------------------------------------------------------------------
    PKS_FIELDS = {
        "kode_mitra": "partner",
        "tanggal_mulai": "start_date",
        "tanggal_berakhir": "end_date",
        "tanggal_tanda_tangan": "signed_on",
        "ruang_lingkup": "scope",
    }

    def _pks(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.PKS_FIELDS.items()}
        created, updated, fields, seen = [], [], set(), {}
        for row in self._parse(sheet):
            self._tick()
            number = row.values.get("nomor")
            if row.ok and self._duplicate(seen, name, row, number, "nomor"):
                row.ok = False
            agreement = self.agreements.get(number) if row.ok else None
            partner = None
            if "kode_mitra" in row.values:
                code = row.values["kode_mitra"]
                partner = self.partners.get(code)
                self._reference(
                    name,
                    row,
                    "kode_mitra",
                    code,
                    partner,
                    "Mitra",
                    _("no partner with code “%(code)s” in the sheet Mitra or in this office.") % {"code": code},
                )
            if row.ok:
                start = row.values.get("tanggal_mulai", agreement.start_date if agreement else None)
                end = row.values.get("tanggal_berakhir", agreement.end_date if agreement else None)
                if start and end and end < start:
                    self.error(
                        name,
                        row.number,
                        "tanggal_berakhir",
                        _("the end date %(end)s is before the start date %(start)s.") % {"end": end, "start": start},
                    )
                    row.ok = False
            if not row.ok:
                self.failed[name].add(row.raw_key[0] if row.raw_key else "")
                continue
            present = [c for c in sheet.columns if c in self.PKS_FIELDS]
            if agreement is None:
                agreement = Agreement(office=self.office, number=number)
                changes = None
            else:
                changes = self._diff(row.values, exporter.agreement_values(agreement), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                value = partner if column == "kode_mitra" else row.values[column]
                setattr(agreement, self.PKS_FIELDS[column], value)
            if not self._field_errors(
                name, row.number, agreement, to_column, ["office", "partner", "renews", "terminated_by", "document"]
            ):
                self.failed[name].add(number)
                continue
            if changes is None:
                created.append(agreement)
                result.created += 1
            elif changes:
                updated.append(agreement)
                fields.update(self.PKS_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, number, changes)
        for agreement in self._bulk_create(Agreement, created):
            self.agreements[agreement.number] = agreement
        if updated:
            for agreement in updated:
                agreement.updated_at = self.now
            self._bulk_update(Agreement, updated, fields | {"updated_at"})

    # --- Klien --------------------------------------------------------------------------------
    KLIEN_FIELDS = {
        "nama": "name",
        "jenis_kelamin": "sex",
        "program": "programme",
        "mulai_bimbingan": "programme_start",
        "akhir_bimbingan": "programme_end",
        "nik": "nik",
        "tanggal_lahir": "birth_date",
        "pk": "officer",
        "frekuensi_lapor": "reporting_frequency",
        "status": "status",
        "domisili": "domicile",
        "minat": "interests",
    }

    def _klien(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.KLIEN_FIELDS.items()}
        rows = self._parse(sheet)
        niks = {r.values["nik"] for r in rows if r.values.get("nik")}
        nik_owner = {
            nik: (pk, office_id, register)
            for nik, pk, office_id, register in Client.objects.filter(nik__in=niks).values_list(
                "nik", "pk", "office_id", "register_number"
            )
        }
        usernames = {r.values["pk"] for r in rows if r.values.get("pk")}
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        created, updated, fields, seen, seen_nik = [], [], set(), {}, {}
        officer_changed, status_changed = [], []
        for row in rows:
            self._tick()
            register = row.values.get("no_register")
            if row.ok and self._duplicate(seen, name, row, register, "no_register"):
                row.ok = False
            client = self.clients.get(register) if row.ok else None
            nik = row.values.get("nik")
            if nik:
                if nik in seen_nik:
                    self.error(
                        name, row.number, "nik", _("this NIK is also given in row %(row)d.") % {"row": seen_nik[nik]}
                    )
                    row.ok = False
                else:
                    seen_nik[nik] = row.number
                owner = nik_owner.get(nik)
                if owner and (client is None or owner[0] != client.pk):
                    if owner[1] == self.office.pk:
                        message = _("this NIK is already used by another client (register number %(register)s).") % {
                            "register": owner[2]
                        }
                    else:
                        message = _("this NIK is already used by a client of another office.")
                    self.error(name, row.number, "nik", message)
                    row.ok = False
            officer = None
            if row.values.get("pk"):
                officer = self._officer(name, row, users.get(row.values["pk"]), row.values["pk"])
            if row.ok:
                start = row.values.get("mulai_bimbingan", client.programme_start if client else None)
                end = row.values.get("akhir_bimbingan", client.programme_end if client else None)
                if start and end and end < start:
                    self.error(
                        name,
                        row.number,
                        "akhir_bimbingan",
                        _("the programme end %(end)s is before its start %(start)s.") % {"end": end, "start": start},
                    )
                    row.ok = False
                birth = row.values.get("tanggal_lahir")
                if birth and birth > self.today:
                    self.error(name, row.number, "tanggal_lahir", _("the date of birth lies in the future."))
                    row.ok = False
            if not row.ok:
                self.failed[name].add(row.raw_key[0] if row.raw_key else "")
                continue
            present = [c for c in sheet.columns if c in self.KLIEN_FIELDS]
            if client is None:
                client = Client(office=self.office, register_number=register)
                changes = None
                old_officer, old_status = None, None
            else:
                changes = self._diff(row.values, exporter.client_values(client), present)
                if not changes:
                    result.unchanged += 1
                    continue
                old_officer, old_status = client.officer_id, client.status
            for column in present:
                value = row.values[column]
                if column == "pk":
                    value = officer
                elif column == "nik":
                    value = value or None
                setattr(client, self.KLIEN_FIELDS[column], value)
            if changes is None:
                client.reporting_frequency = client.reporting_frequency or Client.Frequency.MONTHLY
            client.is_child = client.compute_is_child()
            if not self._field_errors(name, row.number, client, to_column, ["office", "officer"]):
                self.failed[name].add(register)
                continue
            if changes is None:
                created.append(client)
                result.created += 1
                if client.officer_id:
                    officer_changed.append((client, client.programme_start))
            elif changes:
                updated.append(client)
                fields.update(self.KLIEN_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, register, changes)
                if client.officer_id != old_officer:
                    officer_changed.append((client, None))
                if client.status != old_status:
                    client.status_date = self.today
                    status_changed.append(client)
        for client in self._bulk_create(Client, created):
            self.clients[client.register_number] = client
        if updated:
            for client in updated:
                client.updated_at = self.now
                client.version = (client.version or 0) + 1
            extra = {"updated_at", "version", "is_child"} | ({"status_date"} if status_changed else set())
            self._bulk_update(Client, updated, fields | extra)
        self._record_officers(officer_changed)
        self._record_statuses(status_changed)

    def _officer(self, sheet: str, row: _Row, user, username: str):
        if user is None:
            message = _("no staff member with the username “%(username)s”.")
        elif user.office_id != self.office.pk:
            message = _("“%(username)s” is not a staff member of this office.")
        elif user.role != Role.PK:
            message = _("“%(username)s” is not a PK.")
        elif not user.is_active:
            message = _("the account “%(username)s” is deactivated.")
        else:
            return user
        self.error(sheet, row.number, "pk", message % {"username": username})
        row.ok = False
        return None

    def _record_officers(self, changed: list) -> None:
        """Keep the PK assignment history: close the open assignment, open the new one."""
        if not changed:
            return
        reassigned = [client.pk for client, start in changed if start is None]
        for offset in range(0, len(reassigned), BATCH_SIZE):
            PKAssignment.objects.filter(
                client_id__in=reassigned[offset : offset + BATCH_SIZE], end_date__isnull=True
            ).update(end_date=self.today)
        PKAssignment.objects.bulk_create(
            [
                PKAssignment(
                    client=client, officer_id=client.officer_id, start_date=start or self.today, assigned_by=self.user
                )
                for client, start in changed
                if client.officer_id
            ],
            batch_size=BATCH_SIZE,
        )

    def _record_statuses(self, changed: list) -> None:
        self._bulk_create(
            StatusChange,
            [
                StatusChange(
                    client=client, status=client.status, date=self.today, reason=self.reason, recorded_by=self.user
                )
                for client in changed
            ],
        )

    # --- Pelatihan ----------------------------------------------------------------------------
    PELATIHAN_FIELDS = {
        "nama": "title",
        "jenis_pelatihan": "training_type",
        "kode_mitra": "partner",
        "tanggal_mulai": "start_date",
        "tanggal_selesai": "end_date",
        "nomor_pks": "agreement",
        "lokasi": "location",
        "metode": "method",
        "jam_per_hari": "hours_per_day",
        "anggaran": "budget",
        "uang_transport": "transport_per_day",
    }

    def _pelatihan(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.PELATIHAN_FIELDS.items()}
        types = {t.name.casefold(): t for t in TrainingType.objects.filter(office=self.office)}
        new_types: dict[str, TrainingType] = {}
        type_category_row: dict[str, tuple] = {}  # casefolded name -> (row, category) set by this file
        ranges = {
            row["enrolment__session_id"]: (row["first"], row["last"])
            for row in Attendance.objects.filter(enrolment__session__office=self.office)
            .values("enrolment__session_id")
            .annotate(first=Min("date"), last=Max("date"))
        }
        created, updated, fields, seen, pending = [], [], set(), {}, []
        for row in self._parse(sheet):
            self._tick()
            code = row.values.get("kode")
            if row.ok and self._duplicate(seen, name, row, code, "kode"):
                row.ok = False
            session = self.sessions.get(code) if row.ok else None
            partner = None
            if "kode_mitra" in row.values:
                partner = self.partners.get(row.values["kode_mitra"])
                self._reference(
                    name,
                    row,
                    "kode_mitra",
                    row.values["kode_mitra"],
                    partner,
                    "Mitra",
                    _("no partner with code “%(code)s” in the sheet Mitra or in this office.")
                    % {"code": row.values["kode_mitra"]},
                )
            agreement = None
            number = row.values.get("nomor_pks")
            if number:
                agreement = self.agreements.get(number)
                if self._reference(
                    name,
                    row,
                    "nomor_pks",
                    number,
                    agreement,
                    "PKS",
                    _("no agreement with number “%(number)s” in the sheet PKS or in this office.") % {"number": number},
                ):
                    owner = partner or (session.partner if session else None)
                    if owner is not None and agreement.partner_id != owner.pk and agreement.partner is not owner:
                        self.error(
                            name,
                            row.number,
                            "nomor_pks",
                            _("agreement “%(number)s” belongs to partner %(owner)s, not to %(partner)s.")
                            % {"number": number, "owner": agreement.partner.code, "partner": owner.code},
                        )
                        row.ok = False
            training_type = None
            if row.ok and "jenis_pelatihan" in row.values:
                training_type = self._training_type(name, row, types, new_types, type_category_row)
            if row.ok:
                start = row.values.get("tanggal_mulai", session.start_date if session else None)
                end = row.values.get("tanggal_selesai", session.end_date if session else None)
                if start and end and end < start:
                    self.error(
                        name,
                        row.number,
                        "tanggal_selesai",
                        _("the end date %(end)s is before the start date %(start)s.") % {"end": end, "start": start},
                    )
                    row.ok = False
                elif session and session.pk in ranges and start and end:
                    first, last = ranges[session.pk]
                    if first < start or last > end:
                        self.error(
                            name,
                            row.number,
                            "tanggal_mulai",
                            _("attendance is recorded from %(first)s to %(last)s, outside the new dates.")
                            % {"first": first, "last": last},
                        )
                        row.ok = False
            if not row.ok:
                self.failed[name].add(row.raw_key[0] if row.raw_key else "")
                continue
            present = [c for c in sheet.columns if c in self.PELATIHAN_FIELDS]
            if session is None:
                session = TrainingSession(office=self.office, code=code, created_by=self.user)
                changes = None
            else:
                current = exporter.session_values(session)
                changes = self._diff(row.values, current, [*present, "kategori"])
                if not changes:
                    result.unchanged += 1
                    continue
            references = {"jenis_pelatihan": training_type, "kode_mitra": partner, "nomor_pks": agreement}
            for column in present:
                value = references[column] if column in references else row.values[column]
                setattr(session, self.PELATIHAN_FIELDS[column], value)
            if changes is None:
                session.status = (
                    TrainingSession.Status.HELD if session.end_date < self.today else TrainingSession.Status.PLANNED
                )
            exclude = ["office", "training_type", "partner", "agreement", "repeat_of", "created_by"]
            if not self._field_errors(name, row.number, session, to_column, exclude):
                self.failed[name].add(code)
                continue
            if changes is None:
                pending.append(session)
                result.created += 1
            elif changes:
                updated.append(session)
                fields.update(self.PELATIHAN_FIELDS[c] for c, _o, _n in changes if c in self.PELATIHAN_FIELDS)
                result.updated += 1
                result.add_change(row.number, code, changes)
        # Types first: sessions point at them.
        TrainingType.objects.bulk_create(list(new_types.values()), batch_size=BATCH_SIZE)
        changed_types = [t for t in types.values() if t.pk and getattr(t, "_category_changed", False)]
        if changed_types:
            TrainingType.objects.bulk_update(changed_types, ["category"], batch_size=BATCH_SIZE)
        for session in pending:
            session.training_type_id = session.training_type.pk
            created.append(session)
        for session in self._bulk_create(TrainingSession, created):
            self.sessions[session.code] = session
        if updated:
            for session in updated:
                session.updated_at = self.now
                if session.training_type_id is None or session.training_type.pk != session.training_type_id:
                    session.training_type_id = session.training_type.pk
            self._bulk_update(TrainingSession, updated, (fields or {"training_type"}) | {"updated_at"})

    def _training_type(self, sheet: str, row: _Row, types: dict, new_types: dict, category_rows: dict):
        type_name = row.values["jenis_pelatihan"]
        folded = type_name.casefold()
        category = row.values.get("kategori") or ""
        earlier = category_rows.get(folded)
        if category and earlier and earlier[1] != category:
            self.error(
                sheet,
                row.number,
                "kategori",
                _("row %(row)d gives training type “%(type)s” the category %(category)s.")
                % {"row": earlier[0], "type": type_name, "category": earlier[1]},
            )
            row.ok = False
            return None
        if category and not earlier:
            category_rows[folded] = (row.number, category)
        training_type = types.get(folded) or new_types.get(folded)
        if training_type is None:
            training_type = TrainingType(
                office=self.office, name=type_name, category=category or TrainingType.Category.OTHER
            )
            new_types[folded] = training_type
        elif category and training_type.category != category:
            training_type.category = category
            training_type._category_changed = True
        row.values["jenis_pelatihan"] = training_type.name
        if not category:
            row.values.pop("kategori", None)
        return training_type

    # --- Peserta ------------------------------------------------------------------------------
    def _peserta(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        created, seen = [], {}
        for row in self._parse(sheet):
            self._tick()
            key = (row.values.get("kode_pelatihan"), row.values.get("no_register"))
            if row.ok and self._duplicate(seen, name, row, key, "no_register"):
                row.ok = False
            session, client = self._session_and_client(name, row)
            if not row.ok:
                self.failed[name].add(row.raw_key)
                continue
            enrolment = self.enrolments.get(key)
            if enrolment is None:
                enrolment = Enrolment(
                    session=session, client=client, status=Enrolment.Status.REGISTERED, enrolled_by=self.user
                )
                created.append(enrolment)
                self.enrolments[key] = enrolment
                self.new_enrolments.add(key)
                result.created += 1
                self.base_attendance[key] = (row.number, row.values.get("hadir") or "YA")
            elif "hadir" in row.values:
                self.base_attendance[key] = (row.number, row.values["hadir"])
            else:
                result.unchanged += 1
        self._bulk_create(Enrolment, created)

    def _session_and_client(self, sheet: str, row: _Row):
        session = client = None
        if "kode_pelatihan" in row.values:
            code = row.values["kode_pelatihan"]
            session = self.sessions.get(code)
            self._reference(
                sheet,
                row,
                "kode_pelatihan",
                code,
                session,
                "Pelatihan",
                _("no training session with code “%(code)s” in the sheet Pelatihan or in this office.")
                % {"code": code},
            )
        if "no_register" in row.values:
            register = row.values["no_register"]
            client = self.clients.get(register)
            self._reference(
                sheet,
                row,
                "no_register",
                register,
                client,
                "Klien",
                _("no client with register number “%(register)s” in the sheet Klien or in this office.")
                % {"register": register},
            )
        return session, client

    def _enrolment(self, sheet: str, row: _Row, what: str):
        """The enrolment a Kehadiran or TindakLanjut row belongs to, or an error."""
        session, client = self._session_and_client(sheet, row)
        if not row.ok:
            return None
        key = (session.code, client.register_number)
        enrolment = self.enrolments.get(key)
        if enrolment is None:
            if key in self.failed["Peserta"] or "Peserta" in self.unusable:
                row.ok = False
                return None
            self.error(
                sheet,
                row.number,
                "no_register",
                what % {"register": client.register_number, "code": session.code},
            )
            row.ok = False
        return enrolment

    # --- Kehadiran ----------------------------------------------------------------------------
    def _kehadiran(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        seen = {}
        for row in self._parse(sheet):
            self._tick()
            key = (row.values.get("kode_pelatihan"), row.values.get("no_register"), row.values.get("tanggal"))
            if row.ok and self._duplicate(seen, name, row, key, "tanggal"):
                row.ok = False
            enrolment = self._enrolment(
                name,
                row,
                _(
                    "client %(register)s is not a participant of training %(code)s; add the row to the sheet Peserta first."
                ),
            )
            if not row.ok:
                continue
            session = enrolment.session
            day = row.values["tanggal"]
            if not session.start_date <= day <= session.end_date:
                self.error(
                    name,
                    row.number,
                    "tanggal",
                    _("%(day)s lies outside the training (%(start)s to %(end)s).")
                    % {"day": day, "start": session.start_date, "end": session.end_date},
                )
                continue
            self.override_attendance[key[:2]][day] = (row.number, row.values["status"])

    def _reconcile_attendance(self) -> None:
        """Turn Peserta.hadir and Kehadiran rows into one attendance row per day, writing only differences."""
        keys = set(self.base_attendance) | set(self.override_attendance)
        if not keys:
            return
        existing, stored = {}, defaultdict(dict)
        enrolment_ids = [self.enrolments[key].pk for key in keys if key not in self.new_enrolments]
        for a in in_chunks(Attendance.objects.all(), "enrolment_id", enrolment_ids):
            existing[(a.enrolment_id, a.date)] = a
            stored[a.enrolment_id][a.date] = a.status
        peserta, kehadiran = self.results.get("Peserta"), self.results.get("Kehadiran")
        created, updated = [], []
        for key in sorted(keys, key=lambda k: (k[0] or "", k[1] or "")):
            enrolment = self.enrolments[key]
            session = enrolment.session
            base_row, base = self.base_attendance.get(key, (None, None))
            # Like any other column: a value equal to what the stored days say changes nothing.
            if (
                base
                and key not in self.new_enrolments
                and exporter.attendance_base(stored.get(enrolment.pk, {}), session, self.today) == base
            ):
                base = None
            overrides = self.override_attendance.get(key, {})
            base_changes = []
            for day in session.dates():
                if day in overrides:
                    row_number, status = overrides[day]
                elif base and day <= self.today:
                    row_number, status = base_row, exporter.BASE_STATUS[base]
                else:
                    continue
                current = existing.get((enrolment.pk, day))
                attended = status in Attendance.ATTENDED
                if current is None:
                    paid = (session.transport_per_day or 0) if attended else 0
                    created.append(
                        Attendance(
                            enrolment=enrolment, date=day, status=status, transport_paid=paid, recorded_by=self.user
                        )
                    )
                    outcome = "created"
                elif current.status != status:
                    old = current.status
                    current.status = status
                    if not attended:
                        current.transport_paid = 0
                    elif not current.transport_paid:
                        current.transport_paid = session.transport_per_day or 0
                    current.recorded_at = self.now
                    updated.append(current)
                    outcome = ("updated", old)
                else:
                    outcome = "unchanged"
                if day in overrides and kehadiran is not None:
                    if outcome == "created":
                        kehadiran.created += 1
                    elif outcome == "unchanged":
                        kehadiran.unchanged += 1
                    else:
                        kehadiran.updated += 1
                        kehadiran.add_change(row_number, (*key, day), [["status", outcome[1], status]])
                elif outcome != "unchanged" and key not in self.new_enrolments:
                    base_changes.append(
                        [f"hadir ({day.isoformat()})", outcome[1] if outcome != "created" else "", status]
                    )
            if peserta is not None and base_row is not None and key not in self.new_enrolments:
                if base_changes:
                    peserta.updated += 1
                    peserta.add_change(base_row, key, base_changes)
                else:
                    peserta.unchanged += 1
        self._bulk_create(Attendance, created)
        if updated:
            self._bulk_update(Attendance, updated, {"status", "transport_paid", "recorded_at"})
        self.base_attendance.clear()
        self.override_attendance.clear()

    # --- TindakLanjut -------------------------------------------------------------------------
    TINDAK_LANJUT_FIELDS = {"status": "status", "penghasilan": "income", "catatan": "notes"}

    def _tindak_lanjut(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.TINDAK_LANJUT_FIELDS.items()}
        existing = {
            (f.enrolment_id, f.date): f for f in FollowUp.objects.filter(enrolment__session__office=self.office)
        }
        created, updated, fields, seen = [], [], set(), {}
        for row in self._parse(sheet):
            self._tick()
            key = (row.values.get("kode_pelatihan"), row.values.get("no_register"), row.values.get("tanggal"))
            if row.ok and self._duplicate(seen, name, row, key, "tanggal"):
                row.ok = False
            enrolment = self._enrolment(
                name,
                row,
                _(
                    "client %(register)s is not enrolled in training %(code)s; a follow-up needs an enrolment (sheet Peserta)."
                ),
            )
            if row.ok:
                day = row.values["tanggal"]
                if day < enrolment.session.start_date:
                    self.error(
                        name,
                        row.number,
                        "tanggal",
                        _("the follow-up date %(day)s is before the training began (%(start)s).")
                        % {"day": day, "start": enrolment.session.start_date},
                    )
                    row.ok = False
                elif day > self.today:
                    self.error(name, row.number, "tanggal", _("the date lies in the future."))
                    row.ok = False
            if not row.ok:
                continue
            present = [c for c in sheet.columns if c in self.TINDAK_LANJUT_FIELDS]
            follow_up = existing.get((enrolment.pk, key[2])) if enrolment.pk else None
            if follow_up is None:
                follow_up = FollowUp(enrolment=enrolment, date=key[2], recorded_by=self.user)
                changes = None
            else:
                changes = self._diff(row.values, exporter.follow_up_values(follow_up, key[0], key[1]), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                setattr(follow_up, self.TINDAK_LANJUT_FIELDS[column], row.values[column])
            if not self._field_errors(name, row.number, follow_up, to_column, ["enrolment", "recorded_by", "photo"]):
                continue
            if changes is None:
                created.append(follow_up)
                result.created += 1
            elif changes:
                updated.append(follow_up)
                fields.update(self.TINDAK_LANJUT_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, key, changes)
        self._bulk_create(FollowUp, created)
        self._bulk_update(FollowUp, updated, fields)

    # --- WajibLapor ---------------------------------------------------------------------------
    WAJIB_LAPOR_FIELDS = {"cara": "mode", "catatan": "notes"}

    def _wajib_lapor(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.WAJIB_LAPOR_FIELDS.items()}
        rows = self._parse(sheet)
        # Only the reports of the clients in the sheet: an office may hold millions.
        client_ids = {
            self.clients[r.values["no_register"]].pk for r in rows if r.values.get("no_register") in self.clients
        }
        by_minute, by_day = {}, defaultdict(list)
        reports = in_chunks(ReportingVisit.objects.order_by("reported_at", "id"), "client_id", sorted(client_ids))
        for report in sorted(reports, key=lambda r: (r.reported_at, r.pk)):
            by_minute[(report.client_id, report.reported_at)] = report
            by_day[(report.client_id, report.report_date)].append(report)
        created, updated, fields = [], [], set()
        seen_exact, seen_day_only, seen_days = {}, {}, {}
        for row in rows:
            self._tick()
            register, when = row.values.get("no_register"), row.values.get("tanggal")
            if row.ok:
                day = when.date() if isinstance(when, dt.datetime) else when
                if isinstance(when, dt.datetime):
                    first = seen_exact.get((register, when)) or seen_day_only.get((register, day))
                    seen_exact.setdefault((register, when), row.number)
                else:
                    first = seen_days.get((register, day))
                    seen_day_only.setdefault((register, day), row.number)
                seen_days.setdefault((register, day), row.number)
                if first:
                    self.error(
                        name, row.number, "tanggal", _("duplicate key: the same as row %(row)d.") % {"row": first}
                    )
                    row.ok = False
            _session, client = self._session_and_client(name, row)
            if row.ok:
                too_late = when > self.now if isinstance(when, dt.datetime) else when > self.today
                if too_late:
                    self.error(name, row.number, "tanggal", _("the date lies in the future."))
                    row.ok = False
            if not row.ok:
                continue
            if isinstance(when, dt.datetime):
                report = by_minute.get((client.pk, when)) if client.pk else None
                reported_at = when
            else:
                same_day = by_day.get((client.pk, when)) if client.pk else None
                report = same_day[0] if same_day else None
                reported_at = dt.datetime.combine(when, cells.REPORT_DEFAULT_TIME, tzinfo=self.tz)
            present = [c for c in sheet.columns if c in self.WAJIB_LAPOR_FIELDS]
            if report is None:
                reported_at = reported_at.replace(second=0, microsecond=0)
                report = ReportingVisit(
                    client=client,
                    office=self.office,
                    reported_at=reported_at,
                    report_date=timezone.localtime(reported_at, self.tz).date(),
                    created_by=self.user,
                )
                changes = None
            else:
                changes = self._diff(row.values, exporter.report_values(report, register, self.tz), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                setattr(report, self.WAJIB_LAPOR_FIELDS[column], row.values[column])
            if not self._field_errors(
                name, row.number, report, to_column, ["client", "office", "received_by", "created_by"]
            ):
                continue
            if changes is None:
                created.append(report)
                result.created += 1
            elif changes:
                updated.append(report)
                fields.update(self.WAJIB_LAPOR_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, (register, when), changes)
        self._bulk_create(ReportingVisit, created)
        self._bulk_update(ReportingVisit, updated, fields)
