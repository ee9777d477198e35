"""The Izin sheet (an extension beyond the contract): excused absences, with the rules of the form.

Applied after WajibLapor (an izin cannot cover a day the client reported) and before Peringatan (a
warning cannot answer an excused period). Key: the client and the first day. The rules are the
service's (``clients.services.excuse_errors``); a row is saved as soon as it is checked, so the next
row's overlap check sees it (the import is one transaction: an error anywhere rolls all back).
"""

import datetime as dt

from django.utils.translation import gettext as _

from bapas.formatting import date_label
from clients.models import ExcusedAbsence
from clients.services import excuse_errors
from workbook import exporter
from workbook.importer.base import SheetResult, in_chunks
from workbook.reader import SheetData

WITHDRAWAL_TIME = dt.time(12, 0)  # the workbook carries the day of a withdrawal, not the hour


class ExcuseSheets:
    IZIN_FIELDS = {"tanggal_selesai": "date_to", "alasan": "kind", "catatan": "reason"}
    IZIN_ERRORS = {"date_from": "tanggal_mulai", "date_to": "tanggal_selesai", "kind": "alasan", "reason": "catatan"}

    def _izin(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        rows = self._parse(sheet)
        client_ids = sorted(
            {self.clients[r.values["no_register"]].pk for r in rows if r.values.get("no_register") in self.clients}
        )
        existing = {
            (e.client_id, e.date_from): e
            for e in in_chunks(ExcusedAbsence.objects.order_by("id"), "client_id", client_ids)
        }
        seen: dict = {}
        for row in rows:
            self._tick()
            key = (row.values.get("no_register"), row.values.get("tanggal_mulai"))
            if row.ok and self._duplicate(seen, name, row, key, "tanggal_mulai"):
                row.ok = False
            _session, client = self._session_and_client(name, row)
            if not row.ok:
                continue
            excuse = existing.get((client.pk, key[1]))
            outcome = self._izin_row(name, row, sheet.columns, client, excuse)
            if outcome == "created":
                result.created += 1
            elif outcome == "unchanged":
                result.unchanged += 1
            elif outcome is not None:
                result.updated += 1
                result.add_change(row.number, key, outcome)

    def _izin_row(self, name: str, row, columns, client, excuse):
        """Check and save one row: "created", "unchanged", the list of changes, or None on an error."""
        values = row.values
        present = [c for c in columns if c in self.IZIN_FIELDS]
        changes = None
        if excuse is not None:
            current = exporter.excuse_values(excuse, values["no_register"], self.tz)
            changes = self._diff(values, current, present)
            if excuse.withdrawn_at is not None and "ditarik_pada" in columns and values.get("ditarik_pada") is None:
                self.error(name, row.number, "ditarik_pada", _(
                    "the excused absence was withdrawn on %(date)s; an import cannot undo a withdrawal."
                ) % {"date": date_label(current["ditarik_pada"])})  # fmt: skip
                return None
        else:
            excuse = ExcusedAbsence(client=client, date_from=values["tanggal_mulai"], recorded_by=self.user)
        for column in present:
            setattr(excuse, self.IZIN_FIELDS[column], values[column])
        withdraw = excuse.withdrawn_at is None and values.get("ditarik_pada") is not None
        if withdraw and not self._withdrawal_ok(name, row):
            return None
        if excuse.pk is None or changes:
            errors = excuse_errors(
                client=client, date_from=excuse.date_from, date_to=excuse.date_to, reason=excuse.reason or "",
                today=self.today, exclude=excuse,
            )  # fmt: skip
            if excuse.withdrawn_at is not None or withdraw:  # excuses nothing: only its own dates must hold
                errors = {k: v for k, v in errors.items() if k == "reason" or excuse.date_to < excuse.date_from}
            for field_name, message in errors.items():
                self.error(name, row.number, self.IZIN_ERRORS[field_name], message)
            if errors:
                return None
        if withdraw:
            when = dt.datetime.combine(values["ditarik_pada"], WITHDRAWAL_TIME, tzinfo=self.tz)
            excuse.withdrawn_at, excuse.withdrawn_by = when, self.user
            excuse.withdrawal_reason = values["alasan_penarikan"].strip()
            changes = [*(changes or []), ("ditarik_pada", None, values["ditarik_pada"])] if excuse.pk else changes
        if not self._field_errors(
            name, row.number, excuse, self.IZIN_ERRORS, ["client", "recorded_by", "withdrawn_by", "evidence"]
        ):
            return None
        if excuse.pk is None:
            self._bulk_create(ExcusedAbsence, [excuse])
            return "created"
        if not changes:
            return "unchanged"
        fields = {self.IZIN_FIELDS[c] for c, _o, _n in changes if c in self.IZIN_FIELDS}
        if withdraw:
            fields |= {"withdrawn_at", "withdrawn_by", "withdrawal_reason"}
        self._bulk_update(ExcusedAbsence, [excuse], fields)
        return changes

    def _withdrawal_ok(self, name: str, row) -> bool:
        values = row.values
        if values["ditarik_pada"] > self.today:
            self.error(name, row.number, "ditarik_pada", _("the date lies in the future."))
            return False
        if not (values.get("alasan_penarikan") or "").strip():
            self.error(name, row.number, "alasan_penarikan", _("Explain why the excused absence is withdrawn."))
            return False
        return True
