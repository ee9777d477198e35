"""Sheets Mitra and PKS: partners and their agreements."""

from django.utils.translation import gettext as _

from pokmaslipas.models import Agreement, Partner
from workbook import exporter
from workbook.importer.base import SheetResult
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
