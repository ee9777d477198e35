"""Sheets Pelatihan, Peserta, Kehadiran and TindakLanjut: sessions, enrolments, attendance days, outcomes."""

from collections import defaultdict

from django.db.models import Max, Min
from django.utils.translation import gettext as _

from trainings.models import (
    MAX_SESSION_DAYS,
    Attendance,
    Enrolment,
    FollowUp,
    TrainingSession,
    TrainingType,
    session_dates_errors,
)
from trainings.selectors import interest_matches
from workbook import exporter
from workbook.importer.base import BATCH_SIZE, Row, SheetResult, in_chunks
from workbook.reader import SheetData


class TrainingSheets:
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
        updated, fields, seen, pending = [], set(), {}, []
        for row in self._parse(sheet):
            self._tick()
            code = row.values.get("kode")
            if row.ok and self._duplicate(seen, name, row, code, "kode"):
                row.ok = False
            session = self.sessions.get(code) if row.ok else None
            partner = self._pelatihan_partner(name, row)
            agreement = self._pelatihan_agreement(name, row, partner, session)
            training_type = None
            if row.ok and "jenis_pelatihan" in row.values:
                training_type = self._training_type(name, row, types, new_types, type_category_row)
            if row.ok:
                self._check_pelatihan_dates(name, row, session, ranges)
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
        self._save_pelatihan(types, new_types, pending, updated, fields)

    def _pelatihan_partner(self, sheet: str, row: Row):
        if "kode_mitra" not in row.values:
            return None
        code = row.values["kode_mitra"]
        partner = self.partners.get(code) or self.partners_above.get(code)
        self._reference(
            sheet,
            row,
            "kode_mitra",
            row.values["kode_mitra"],
            partner,
            "Mitra",
            _("no partner with code “%(code)s” in the sheet Mitra or in this office.")
            % {"code": row.values["kode_mitra"]},
        )
        return partner

    def _pelatihan_agreement(self, sheet: str, row: Row, partner, session):
        """The agreement named by number; it must belong to the session's partner."""
        number = row.values.get("nomor_pks")
        if not number:
            return None
        agreement = self.agreements.get(number) or self.agreements_above.get(number)
        if self._reference(
            sheet,
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
                    sheet,
                    row.number,
                    "nomor_pks",
                    _("agreement “%(number)s” belongs to partner %(owner)s, not to %(partner)s.")
                    % {"number": number, "owner": agreement.partner.code, "partner": owner.code},
                )
                row.ok = False
        return agreement

    def _check_pelatihan_dates(self, sheet: str, row: Row, session, ranges: dict) -> None:
        """End not before start, not too long, and wide enough for the attendance already recorded."""
        start = row.values.get("tanggal_mulai", session.start_date if session else None)
        end = row.values.get("tanggal_selesai", session.end_date if session else None)
        if start and end and end < start:
            self.error(
                sheet,
                row.number,
                "tanggal_selesai",
                _("the end date %(end)s is before the start date %(start)s.") % {"end": end, "start": start},
            )
            row.ok = False
        elif session_dates_errors(start, end):  # the model's rule: at most MAX_SESSION_DAYS days
            self.error(
                sheet,
                row.number,
                "tanggal_selesai",
                _("a training lasts at most %(days)s days (%(start)s to %(end)s).")
                % {"days": MAX_SESSION_DAYS, "start": start, "end": end},
            )
            row.ok = False
        elif session and session.pk in ranges and start and end:
            first, last = ranges[session.pk]
            if first < start or last > end:
                self.error(
                    sheet,
                    row.number,
                    "tanggal_mulai",
                    _("attendance is recorded from %(first)s to %(last)s, outside the new dates.")
                    % {"first": first, "last": last},
                )
                row.ok = False

    def _save_pelatihan(self, types: dict, new_types: dict, pending: list, updated: list, fields: set) -> None:
        # Types first: sessions point at them.
        TrainingType.objects.bulk_create(list(new_types.values()), batch_size=BATCH_SIZE)
        changed_types = [t for t in types.values() if t.pk and getattr(t, "_category_changed", False)]
        if changed_types:
            TrainingType.objects.bulk_update(changed_types, ["category"], batch_size=BATCH_SIZE)
        created = []
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

    def _training_type(self, sheet: str, row: Row, types: dict, new_types: dict, category_rows: dict):
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
        created, motivated, seen = [], [], {}
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
                    session=session,
                    client=client,
                    status=Enrolment.Status.REGISTERED,
                    matched_interest=interest_matches(client.interest_list, session.training_type),
                    enrolled_by=self.user,
                    motivation=row.values.get("motivasi"),
                )
                created.append(enrolment)
                self.enrolments[key] = enrolment
                self.new_enrolments.add(key)
                result.created += 1
                self.base_attendance[key] = (row.number, row.values.get("hadir") or "YA")
                continue
            change = self._motivation_change(name, row, enrolment)
            if change and row.ok:
                motivated.append(enrolment)
            if "hadir" in row.values:
                self.base_attendance[key] = (row.number, row.values["hadir"])
                self.pending_changes[key] = change
            elif change:
                result.updated += 1
                result.add_change(row.number, key, change)
            else:
                result.unchanged += 1
        self._bulk_create(Enrolment, created)
        if motivated:
            self._bulk_update(Enrolment, motivated, {"motivation"})

    def _motivation_change(self, name: str, row: Row, enrolment: Enrolment) -> list:
        """The motivasi cell's change to a stored enrolment; refused once the training has started."""
        if "motivasi" not in row.values or row.values["motivasi"] == enrolment.motivation:
            return []
        if enrolment.session.start_date <= self.today:
            self.error(
                name,
                row.number,
                "motivasi",
                _("the motivation rating is locked: the training started on %(start)s.")
                % {"start": enrolment.session.start_date.isoformat()},
            )
            row.ok = False
            return []
        old, enrolment.motivation = enrolment.motivation, row.values["motivasi"]
        return [["motivasi", old, enrolment.motivation]]

    def _session_and_client(self, sheet: str, row: Row):
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

    def _enrolment(self, sheet: str, row: Row, what: str):
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
            base_changes = list(self.pending_changes.pop(key, None) or [])
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
