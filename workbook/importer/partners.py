"""Sheets Mitra and PKS: partners and their agreements."""

from django.utils.translation import gettext as _

from pokmaslipas.models import Agreement, Partner
from workbook import exporter
from workbook.importer.base import Row, SheetResult
from workbook.reader import SheetData


class PartnerSheets:
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
            if not self._field_errors(name, row.number, partner, to_column, ["office"]):
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
        "jenis": "kind",
        "memperbarui": "renews",
        "diakhiri_pada": "terminated_on",
        "alasan_pengakhiran": "termination_reason",
    }
    PKS_REFERENCES = ("kode_mitra", "memperbarui")  # set from records, not from the cell's text

    def _pks(self, sheet: SheetData, result: SheetResult) -> None:
        name = sheet.spec.name
        to_column = {v: k for k, v in self.PKS_FIELDS.items()}
        rows = self._parse(sheet)
        numbers_in_sheet = {row.values.get("nomor") for row in rows if row.ok}
        created, updated, fields, seen, renewals = [], [], set(), {}, []
        for row in rows:
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
                self._pks_checks(name, row, agreement, numbers_in_sheet)
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
                if column not in self.PKS_REFERENCES:
                    setattr(agreement, self.PKS_FIELDS[column], row.values[column])
            if partner is not None:
                agreement.partner = partner
            if "diakhiri_pada" in present and agreement.terminated_on and not agreement.terminated_by_id:
                agreement.terminated_by = self.user
            if "memperbarui" in present:
                renewals.append((row.number, agreement, row.values["memperbarui"]))
            exclude = ["office", "partner", "renews", "terminated_by", "document"]
            if not self._field_errors(name, row.number, agreement, to_column, exclude):
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
        self._pks_save(name, created, updated, fields, renewals)

    def _pks_checks(self, sheet: str, row: Row, agreement, numbers_in_sheet: set) -> None:
        """Dates, early termination and the renewed agreement of one row (as the agreement services check them)."""
        values = row.values
        start = values.get("tanggal_mulai", agreement.start_date if agreement else None)
        end = values.get("tanggal_berakhir", agreement.end_date if agreement else None)
        if start and end and end < start:
            self.error(
                sheet,
                row.number,
                "tanggal_berakhir",
                _("the end date %(end)s is before the start date %(start)s.") % {"end": end, "start": start},
            )
            row.ok = False
            return
        ended = values.get("diakhiri_pada", agreement.terminated_on if agreement else None)
        reason = values.get("alasan_pengakhiran", agreement.termination_reason if agreement else "")
        if agreement is not None and agreement.terminated_on and "diakhiri_pada" in values and not ended:
            self.error(
                sheet,
                row.number,
                "diakhiri_pada",
                _("the agreement was ended on %(date)s; an import cannot undo an early termination.")
                % {"date": agreement.terminated_on},
            )
            row.ok = False
        elif ended and not (reason or "").strip():
            self.error(sheet, row.number, "alasan_pengakhiran", _("Give the reason for ending the agreement early."))
            row.ok = False
        elif (reason or "").strip() and not ended:
            self.error(sheet, row.number, "diakhiri_pada", _("a termination reason needs the date it was ended."))
            row.ok = False
        elif ended and start and end and not start <= ended <= end:
            self.error(
                sheet,
                row.number,
                "diakhiri_pada",
                _("The termination date must lie within the agreement's validity period."),
            )
            row.ok = False
        renewed = values.get("memperbarui")
        if renewed and renewed == values.get("nomor"):
            self.error(sheet, row.number, "memperbarui", _("an agreement cannot renew itself."))
            row.ok = False
        elif renewed and renewed not in numbers_in_sheet:
            self._reference(
                sheet,
                row,
                "memperbarui",
                renewed,
                self.agreements.get(renewed),
                "PKS",
                _("no agreement with number “%(number)s” in the sheet PKS or in this office.") % {"number": renewed},
            )

    def _pks_save(self, sheet: str, created: list, updated: list, fields: set, renewals: list) -> None:
        """Link renewals to the agreements they renew, then write: new agreements in waves, so that
        an agreement is created after the one it renews and its history row already names it."""
        new_by_number = {agreement.number: agreement for agreement in created}
        for row_number, agreement, renewed in renewals:
            original = (new_by_number.get(renewed) or self.agreements.get(renewed)) if renewed else None
            if original is not None and original.partner.code != agreement.partner.code:
                self.error(
                    sheet,
                    row_number,
                    "memperbarui",
                    _("agreement “%(number)s” belongs to partner %(owner)s, not to %(partner)s.")
                    % {"number": renewed, "owner": original.partner.code, "partner": agreement.partner.code},
                )
            elif original is not None and agreement.start_date < original.start_date:
                self.error(
                    sheet, row_number, "memperbarui", _("A renewal cannot start before the agreement it renews.")
                )
            agreement.renews = original
        self._renewal_cycles(sheet, renewals)
        waiting = list(created)
        while waiting:
            ready = [a for a in waiting if a.renews is None or a.renews.pk]
            if not ready:  # only after an error: a renewed agreement that could not be read
                break
            for agreement in self._bulk_create(Agreement, ready):
                self.agreements[agreement.number] = agreement
            waiting = [a for a in waiting if not a.pk]
        if updated:
            for agreement in updated:
                agreement.updated_at = self.now
            if "terminated_on" in fields:
                fields.add("terminated_by")
            self._bulk_update(Agreement, updated, fields | {"updated_at"})

    def _renewal_cycles(self, sheet: str, renewals: list) -> None:
        """An error for every agreement whose renewal chain leads back to itself (its link is dropped:
        nothing is written anyway, and the other sheets can still be checked)."""
        renews = {a.number: (a.renews.number if a.renews is not None else None) for a in self.agreements.values()}
        renews.update({a.number: (a.renews.number if a.renews is not None else None) for _r, a, _n in renewals})
        cyclic = []
        for row_number, agreement, _renewed in renewals:
            number, steps = renews.get(agreement.number), 0
            while number is not None and steps <= len(renews):
                if number == agreement.number:
                    self.error(sheet, row_number, "memperbarui", _("the renewal chain goes round in a circle."))
                    cyclic.append(agreement)
                    break
                number, steps = renews.get(number), steps + 1
        for agreement in cyclic:
            agreement.renews = None
