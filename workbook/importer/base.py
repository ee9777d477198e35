"""The shared machinery of the importer: results, the transaction, row helpers, bulk writes."""

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bapas.data_version import bump_offices
from clients.models import Client
from pokmaslipas.models import Agreement, Partner, covering_q
from trainings.models import Enrolment, TrainingSession
from workbook import cells, schema
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
    hidden_sheets: list = field(default_factory=list)
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
            hidden_sheets=list(data.get("hidden_sheets", [])),
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
class Row:
    number: int
    values: dict
    ok: bool
    raw_key: tuple


class ImportBase:
    """Reading rows, checking references, comparing and writing in bulk: what every sheet step shares."""

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
        result = ImportResult(
            filename=self.filename,
            dry_run=dry_run,
            ignored_sheets=list(data.ignored_sheets),
            hidden_sheets=list(data.hidden_sheets),
        )
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
                    # A bulk path: the office's data version moves with the rows, in this transaction.
                    bump_offices([self.office.pk])
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
            ("Izin", self._izin),
            ("Peringatan", self._peringatan),
            ("SidangTPP", self._sidang_tpp),
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

    def _parse(self, sheet: SheetData) -> list[Row]:
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
            rows.append(Row(raw.number, values, ok, raw_key))
        return rows

    def _duplicate(self, seen: dict, sheet: str, row: Row, key, column: str) -> bool:
        first = seen.get(key)
        if first is not None:
            self.error(sheet, row.number, column, _("duplicate key: the same as row %(row)d.") % {"row": first})
            return True
        seen[key] = row.number
        return False

    def _reference(self, sheet: str, row: Row, column: str, value, found, referenced_sheet: str, message: str) -> bool:
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
        self.agreements = {
            a.number: a for a in Agreement.objects.filter(office=office).select_related("partner", "renews")
        }
        # A session may run under a regional or national agreement over the office (its partner too); the
        # sheets Mitra and PKS hold the office's own only, and an office's own code or number comes first.
        above = ~Q(office=office) & covering_q(office)
        self.partners_above = {p.code: p for p in Partner.objects.filter(above)}
        self.agreements_above = {a.number: a for a in Agreement.objects.filter(above).select_related("partner")}
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
        for enrolment in Enrolment.objects.filter(session__office=office).only(
            "id", "session_id", "client_id", "motivation"
        ):
            enrolment.session = session_by_id[enrolment.session_id]
            enrolment.client = client_by_id[enrolment.client_id]
            self.enrolments[(enrolment.session.code, enrolment.client.register_number)] = enrolment
        self.base_attendance: dict[tuple, tuple] = {}  # (code, register) -> (row, "YA"/"TIDAK")
        self.pending_changes: dict[tuple, list] = {}  # (code, register) -> Peserta changes besides attendance
        self.new_enrolments: set[tuple] = set()
        self.override_attendance: dict[tuple, dict] = defaultdict(dict)  # (code, register) -> {date: (row, status)}
