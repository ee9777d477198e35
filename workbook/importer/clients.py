"""Sheets Klien and WajibLapor: clients, their PK and status history, and their wajib lapor visits."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.formatting import ISO_MONTH, ISO_WEEK
from bapas.models import Role, User
from clients.models import (
    SUPERVISED_STATUSES,
    Client,
    PKAssignment,
    ReportingVisit,
    ReportingWarning,
    StatusChange,
    birth_date_error,
)
from clients.services import warning_errors, warning_period_error
from workbook import cells, exporter
from workbook.importer.base import BATCH_SIZE, Row, SheetResult, in_chunks
from workbook.reader import SheetData


class ClientSheets:
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
        "status_kerja_awal": "work_status_start",
    }

    def _klien(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.KLIEN_FIELDS.items()}
        rows = self._parse(sheet)
        niks = {r.values["nik"] for r in rows if r.values.get("nik")}
        nik_owner = {
            nik: (pk, office_id, register, status)
            for nik, pk, office_id, register, status in Client.objects.filter(nik__in=niks).values_list(
                "nik", "pk", "office_id", "register_number", "status"
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
            self._check_nik(name, row, client, nik_owner, seen_nik)
            officer = None
            if row.values.get("pk"):
                officer = self._officer(name, row, users.get(row.values["pk"]), row.values["pk"])
            if row.ok:
                self._check_klien_dates(name, row, client)
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
            self._assign_klien(client, row, present, officer, new=changes is None)
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
        self._save_klien(created, updated, fields, officer_changed, status_changed)

    def _check_nik(self, sheet: str, row: Row, client, nik_owner: dict, seen_nik: dict) -> None:
        """A NIK given twice in the sheet, or already held by another client, fails the row."""
        nik = row.values.get("nik")
        if not nik:
            return
        if nik in seen_nik:
            self.error(sheet, row.number, "nik", _("this NIK is also given in row %(row)d.") % {"row": seen_nik[nik]})
            row.ok = False
        else:
            seen_nik[nik] = row.number
        owner = nik_owner.get(nik)
        if owner and (client is None or owner[0] != client.pk):
            if owner[1] == self.office.pk:
                message = _("this NIK is already used by another client (register number %(register)s).") % {
                    "register": owner[2]
                }
            elif owner[3] in SUPERVISED_STATUSES:
                message = _(
                    "this NIK belongs to a client under the supervision of another Bapas: do not register the "
                    "client again, ask that Bapas to transfer the client to your office (pelimpahan)."
                )
            else:
                message = _("this NIK is already used by a client of another office.")
            self.error(sheet, row.number, "nik", message)
            row.ok = False

    def _check_klien_dates(self, sheet: str, row: Row, client) -> None:
        start = row.values.get("mulai_bimbingan", client.programme_start if client else None)
        end = row.values.get("akhir_bimbingan", client.programme_end if client else None)
        if start and end and end < start:
            self.error(
                sheet,
                row.number,
                "akhir_bimbingan",
                _("the programme end %(end)s is before its start %(start)s.") % {"end": end, "start": start},
            )
            row.ok = False
        birth = row.values.get("tanggal_lahir", client.birth_date if client else None)
        problem = birth_date_error(birth, start, self.today)
        if problem:
            self.error(sheet, row.number, "tanggal_lahir", problem)
            row.ok = False

    def _assign_klien(self, client: Client, row: Row, present: list, officer, *, new: bool) -> None:
        for column in present:
            value = row.values[column]
            if column == "pk":
                value = officer
            elif column == "nik":
                value = value or None
            setattr(client, self.KLIEN_FIELDS[column], value)
        if new:
            client.reporting_frequency = client.reporting_frequency or Client.Frequency.MONTHLY
        client.is_child = client.compute_is_child()

    def _save_klien(self, created: list, updated: list, fields: set, officer_changed: list, status_changed: list):
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

    def _officer(self, sheet: str, row: Row, user, username: str):
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

    # --- WajibLapor ---------------------------------------------------------------------------
    WAJIB_LAPOR_FIELDS = {"cara": "mode", "catatan": "notes", "status_kerja": "work_status"}

    def _wajib_lapor(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.WAJIB_LAPOR_FIELDS.items()}
        rows = self._parse(sheet)
        # Only the wajib lapor of the clients in the sheet: an office may hold millions.
        client_ids = {
            self.clients[r.values["no_register"]].pk for r in rows if r.values.get("no_register") in self.clients
        }
        by_minute, by_day = {}, defaultdict(list)
        visits = in_chunks(ReportingVisit.objects.order_by("reported_at", "id"), "client_id", sorted(client_ids))
        for visit in sorted(visits, key=lambda v: (v.reported_at, v.pk)):
            by_minute[(visit.client_id, visit.reported_at)] = visit
            by_day[(visit.client_id, visit.report_date)].append(visit)
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
                visit = by_minute.get((client.pk, when)) if client.pk else None
                reported_at = when
            else:
                same_day = by_day.get((client.pk, when)) if client.pk else None
                visit = same_day[0] if same_day else None
                reported_at = dt.datetime.combine(when, cells.VISIT_DEFAULT_TIME, tzinfo=self.tz)
            present = [c for c in sheet.columns if c in self.WAJIB_LAPOR_FIELDS]
            if visit is None:
                reported_at = reported_at.replace(second=0, microsecond=0)
                visit = ReportingVisit(
                    client=client,
                    office=self.office,
                    reported_at=reported_at,
                    report_date=timezone.localtime(reported_at, self.tz).date(),
                    created_by=self.user,
                )
                changes = None
            else:
                changes = self._diff(row.values, exporter.visit_values(visit, register, self.tz), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                setattr(visit, self.WAJIB_LAPOR_FIELDS[column], row.values[column])
            if not self._field_errors(
                name, row.number, visit, to_column, ["client", "office", "received_by", "created_by"]
            ):
                continue
            if changes is None:
                created.append(visit)
                result.created += 1
            elif changes:
                updated.append(visit)
                fields.update(self.WAJIB_LAPOR_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, (register, when), changes)
        self._bulk_create(ReportingVisit, created)
        self._bulk_update(ReportingVisit, updated, fields)

    # --- Peringatan ---------------------------------------------------------------------------
    PERINGATAN_FIELDS = {"nomor": "number", "alasan": "reason", "periode_terlewat": "missed_periods"}

    def _peringatan(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.PERINGATAN_FIELDS.items()}
        rows = self._parse(sheet)
        client_ids = sorted(
            {self.clients[r.values["no_register"]].pk for r in rows if r.values.get("no_register") in self.clients}
        )
        existing = {
            (w.client_id, w.issued_on, w.level): w
            for w in in_chunks(ReportingWarning.objects.order_by("id"), "client_id", client_ids)
        }
        # What the level rule sees: the warnings stored and the ones in this sheet.
        issued = defaultdict(set)
        for client_id, day, level in existing:
            issued[client_id].add((level, day))
        for row in rows:
            client = self.clients.get(row.values.get("no_register"))
            if row.ok and client is not None:
                issued[client.pk].add((row.values["tingkat"], row.values["tanggal"]))
        created, updated, fields, seen = [], [], set(), {}
        for row in rows:
            self._tick()
            key = (row.values.get("no_register"), row.values.get("tanggal"), row.values.get("tingkat"))
            if row.ok and self._duplicate(seen, name, row, key, "tingkat"):
                row.ok = False
            _session, client = self._session_and_client(name, row)
            if row.ok:
                errors = warning_errors(
                    client=client, level=key[2], issued_on=key[1], earlier=issued[client.pk], today=self.today
                )
                for field_name, message in errors.items():
                    self.error(name, row.number, {"issued_on": "tanggal", "level": "tingkat"}[field_name], message)
                    row.ok = False
            if not row.ok:
                continue
            present = [c for c in sheet.columns if c in self.PERINGATAN_FIELDS]
            warning = existing.get((client.pk, key[1], key[2]))
            if warning is None:
                warning = ReportingWarning(client=client, level=key[2], issued_on=key[1], issued_by=self.user)
                changes = None
            else:
                changes = self._diff(row.values, exporter.warning_values(warning, key[0]), present)
                if not changes:
                    result.unchanged += 1
                    continue
            for column in present:
                setattr(warning, self.PERINGATAN_FIELDS[column], row.values[column])
            if not self._periods_missed(name, row, client, warning, changes):
                continue
            if not self._field_errors(name, row.number, warning, to_column, ["client", "issued_by"]):
                continue
            if changes is None:
                created.append(warning)
                result.created += 1
            else:
                updated.append(warning)
                fields.update(self.PERINGATAN_FIELDS[c] for c, _o, _n in changes)
                result.updated += 1
                result.add_change(row.number, key, changes)
        self._bulk_create(ReportingWarning, created)
        self._bulk_update(ReportingWarning, updated, fields)

    def _periods_missed(self, name: str, row, client, warning, changes) -> bool:
        """A new warning, or one whose periods change, answers missed periods only (not reported, not
        excused), as the form checks; the periods of an unchanged warning are not asked again. Text that
        is no period code (older warnings wrote "Maret 2023") answers no period (clients.ladder) and is
        kept as it is."""
        if changes is not None and "periode_terlewat" not in {c for c, _o, _n in changes}:
            return True
        tokens = {code.strip() for code in (warning.missed_periods or "").split(",")}
        codes = sorted(code for code in tokens if ISO_MONTH.match(code) or ISO_WEEK.match(code))
        if not codes:
            return True  # older warnings carry no period codes (none, or words): they answer no period
        error = warning_period_error(client, codes, self.today)
        if error:
            self.error(name, row.number, "periode_terlewat", error)
            return False
        return True
