"""Writing records as workbooks: a whole office in the import format, and single lists.

The ``*_values`` functions give a record's row as normalised workbook values (see cells.py); the
importer uses the very same functions to tell whether a row changes a stored record, so an export
always imports back without changes.
"""

import datetime as dt
import functools
import io
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning, TPPCase, TPPSession
from pokmaslipas.models import Agreement, Partner, Scope, split_codes
from reports import writers
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession
from workbook import cells, schema

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SCOPE_CODES = schema.codes(Scope)


# --- one record as workbook values ------------------------------------------------------------
def partner_values(partner: Partner) -> dict:
    return {
        "kode": partner.code,
        "nama": partner.name,
        "jenis": partner.kind,
        "alamat": partner.address,
        "kontak": partner.contact_person,
        "telepon": partner.phone,
        "email": partner.email,
    }


def agreement_values(agreement: Agreement, partner_code: str | None = None) -> dict:
    return {
        "nomor": agreement.number,
        "kode_mitra": partner_code if partner_code is not None else agreement.partner.code,
        "tanggal_mulai": agreement.start_date,
        "tanggal_berakhir": agreement.end_date,
        "tanggal_tanda_tangan": agreement.signed_on,
        "ruang_lingkup": cells.canonical_codes(split_codes(agreement.scope), SCOPE_CODES),
        "jenis": agreement.kind,
        "memperbarui": agreement.renews.number if agreement.renews_id else "",
        "diakhiri_pada": agreement.terminated_on,
        "alasan_pengakhiran": agreement.termination_reason,
    }


def client_values(client: Client, officer_username: str | None = None) -> dict:
    if officer_username is None:
        officer_username = client.officer.username if client.officer_id else ""
    return {
        "no_register": client.register_number,
        "nama": client.name,
        "jenis_kelamin": client.sex,
        "program": client.programme,
        "mulai_bimbingan": client.programme_start,
        "akhir_bimbingan": client.programme_end,
        "nik": client.nik or "",
        "tanggal_lahir": client.birth_date,
        "pk": officer_username,
        "frekuensi_lapor": client.reporting_frequency,
        "status": client.status,
        "domisili": client.domicile,
        "minat": cells.canonical_list(client.interests),
        "status_kerja_awal": client.work_status_start,
    }


def session_values(session: TrainingSession) -> dict:
    hours = session.hours_per_day
    return {
        "kode": session.code,
        "nama": session.title,
        "jenis_pelatihan": session.training_type.name,
        "kode_mitra": session.partner.code,
        "tanggal_mulai": session.start_date,
        "tanggal_selesai": session.end_date,
        "kategori": session.training_type.category,
        "nomor_pks": session.agreement.number if session.agreement_id else "",
        "lokasi": session.location,
        "metode": session.method,
        "jam_per_hari": Decimal(hours).quantize(Decimal("0.1")) if hours is not None else None,
        "anggaran": session.budget,
        "uang_transport": session.transport_per_day,
    }


def follow_up_values(follow_up: FollowUp, session_code: str, register_number: str) -> dict:
    return {
        "kode_pelatihan": session_code,
        "no_register": register_number,
        "tanggal": follow_up.date,
        "status": follow_up.status,
        "penghasilan": follow_up.income,
        "catatan": follow_up.notes,
    }


def visit_values(visit: ReportingVisit, register_number: str, tz) -> dict:
    return {
        "no_register": register_number,
        "tanggal": timezone.localtime(visit.reported_at, tz).replace(second=0, microsecond=0),
        "cara": visit.mode,
        "catatan": visit.notes,
        "status_kerja": visit.work_status,
    }


def excuse_values(excuse: ExcusedAbsence, register_number: str, tz) -> dict:
    withdrawn = timezone.localtime(excuse.withdrawn_at, tz).date() if excuse.withdrawn_at else None
    return {
        "no_register": register_number,
        "tanggal_mulai": excuse.date_from,
        "tanggal_selesai": excuse.date_to,
        "alasan": excuse.kind,
        "catatan": excuse.reason,
        "ditarik_pada": withdrawn,
        "alasan_penarikan": excuse.withdrawal_reason,
    }


def warning_values(warning: ReportingWarning, register_number: str) -> dict:
    return {
        "no_register": register_number,
        "tanggal": warning.issued_on,
        "tingkat": warning.level,
        "nomor": warning.number,
        "alasan": warning.reason,
        "periode_terlewat": warning.missed_periods,
    }


def usernames(users) -> str:
    """A comma list of usernames, sorted (the SidangTPP columns ``anggota`` and ``hadir``)."""
    return ", ".join(sorted(user.username for user in users))


def tpp_case_values(case: TPPCase, session: TPPSession, register_number: str) -> dict:
    """A SidangTPP row; ``session`` with its members and attendees prefetched."""
    return {
        "tanggal": session.date,
        "no_register": register_number,
        "tempat": session.place,
        "anggota": usernames(session.members.all()),
        "hadir": usernames(session.attendees.all()),
        "temuan": case.findings,
        "rekomendasi": case.recommendation,
        "catatan": case.note,
        "catatan_sidang": session.notes,
    }


def tpp_rows(office, register_by_id: dict) -> list[dict]:
    sessions = TPPSession.objects.filter(office=office).prefetch_related("members", "attendees")
    session_by_id = {s.pk: s for s in sessions}
    cases = TPPCase.objects.filter(session__office=office, client__office=office)
    return sorted(
        (tpp_case_values(c, session_by_id[c.session_id], register_by_id[c.client_id]) for c in cases),
        key=lambda r: (r["tanggal"], r["tempat"], r["no_register"]),
    )


def attendance_base(statuses: dict, session: TrainingSession, today: dt.date) -> str:
    """The Peserta.hadir value of recorded attendance: the one that needs the fewest Kehadiran rows.

    Only days up to today count (the importer applies ``hadir`` to those days alone), and it is
    "YA" only when the client attended at least one day, so that filling unrecorded days with it
    never turns an enrolment into a participant (docs/INTERFACES.md section 3) or back.
    """
    past = [status for day, status in statuses.items() if day <= today]
    present = sum(1 for status in past if status == Attendance.Status.PRESENT)
    absent = sum(1 for status in past if status == Attendance.Status.ABSENT)
    attended = any(status in Attendance.ATTENDED for status in past)
    return "YA" if attended and present >= absent else "TIDAK"


BASE_STATUS = {"YA": Attendance.Status.PRESENT, "TIDAK": Attendance.Status.ABSENT}


# --- the whole office -------------------------------------------------------------------------
def office_rows(office, *, today: dt.date | None = None) -> dict[str, list[dict]]:
    """Every sheet of the office as lists of workbook values, sorted by natural key."""
    tz = office.tzinfo
    today = today or timezone.localdate(timezone=tz)
    rows: dict[str, list[dict]] = {}
    rows["Mitra"] = sorted((partner_values(p) for p in Partner.objects.filter(office=office)), key=lambda r: r["kode"])
    rows["PKS"] = sorted(
        (agreement_values(a) for a in Agreement.objects.filter(office=office).select_related("partner", "renews")),
        key=lambda r: r["nomor"],
    )
    clients = Client.objects.filter(office=office).select_related("officer")
    rows["Klien"] = sorted((client_values(c) for c in clients), key=lambda r: r["no_register"])
    sessions = TrainingSession.objects.filter(office=office).select_related("training_type", "partner", "agreement")
    rows["Pelatihan"] = sorted((session_values(s) for s in sessions), key=lambda r: r["kode"])

    session_by_id = {s.pk: s for s in sessions}
    register_by_id = dict(Client.objects.filter(office=office).values_list("pk", "register_number"))
    enrolments = list(
        Enrolment.objects.filter(session__office=office, client__office=office).values_list(
            "pk", "session_id", "client_id", "motivation"
        )
    )
    days: dict[int, dict] = defaultdict(dict)
    # A client transferred to another office is that office's (with its register number): its rows
    # here would name a register number this workbook no longer holds.
    for enrolment_id, day, status in Attendance.objects.filter(
        enrolment__session__office=office, enrolment__client__office=office
    ).values_list("enrolment_id", "date", "status"):
        days[enrolment_id][day] = status
    participants, attendance = [], []
    for enrolment_id, session_id, client_id, motivation in enrolments:
        session = session_by_id[session_id]
        code, register = session.code, register_by_id[client_id]
        statuses = days.get(enrolment_id, {})
        base = attendance_base(statuses, session, today)
        participants.append({"kode_pelatihan": code, "no_register": register, "hadir": base, "motivasi": motivation})
        for day, status in statuses.items():
            if day > today or status != BASE_STATUS[base]:
                attendance.append({"kode_pelatihan": code, "no_register": register, "tanggal": day, "status": status})
    rows["Peserta"] = sorted(participants, key=lambda r: (r["kode_pelatihan"], r["no_register"]))
    rows["Kehadiran"] = sorted(attendance, key=lambda r: (r["kode_pelatihan"], r["no_register"], r["tanggal"]))

    follow_ups = FollowUp.objects.filter(
        enrolment__session__office=office, enrolment__client__office=office
    ).select_related("enrolment")
    rows["TindakLanjut"] = sorted(
        (
            follow_up_values(f, session_by_id[f.enrolment.session_id].code, register_by_id[f.enrolment.client_id])
            for f in follow_ups
        ),
        key=lambda r: (r["kode_pelatihan"], r["no_register"], r["tanggal"]),
    )
    visits = ReportingVisit.objects.filter(office=office, client__office=office).only(
        "client_id", "reported_at", "mode", "notes"
    )
    rows["WajibLapor"] = sorted(
        (visit_values(v, register_by_id[v.client_id], tz) for v in visits.iterator(chunk_size=5000)),
        key=lambda r: (r["no_register"], r["tanggal"]),
    )
    excuses = ExcusedAbsence.objects.filter(client__office=office)
    rows["Izin"] = sorted(
        (excuse_values(e, register_by_id[e.client_id], tz) for e in excuses),
        key=lambda r: (r["no_register"], r["tanggal_mulai"]),
    )
    warnings = ReportingWarning.objects.filter(client__office=office)
    rows["Peringatan"] = sorted(
        (warning_values(w, register_by_id[w.client_id]) for w in warnings),
        key=lambda r: (r["no_register"], r["tanggal"], r["tingkat"]),
    )
    rows["SidangTPP"] = tpp_rows(office, register_by_id)
    return rows


def office_workbook(office) -> bytes:
    """The office's data as one workbook in the import format (docs/INTERFACES.md section 2)."""
    rows = office_rows(office)
    book = Workbook(write_only=True)
    for sheet in schema.SHEETS:
        write_sheet(book, sheet.name, sheet.columns, rows[sheet.name])
    return save(book)


# --- writing ----------------------------------------------------------------------------------
def cell(worksheet, value, *, font=None, fill=None):
    """A write-only cell; text is always a text cell (never a formula), kept exactly."""
    if isinstance(value, str) and value == "":
        value = None
    if isinstance(value, dt.datetime):
        value = timezone.make_naive(value, value.tzinfo) if timezone.is_aware(value) else value
    result = writers.text_cell(worksheet, value)
    if isinstance(value, str):
        result.number_format = writers.TEXT_FORMAT
    elif isinstance(value, dt.datetime):
        result.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        result.number_format = DATE_FORMAT
    if font is not None:
        result.font = font
    if fill is not None:
        result.fill = fill
    return result


def write_sheet(book, title: str, columns, rows, *, headers=None):
    """Append a sheet: a bold header row, then one row per dict (keys = column names)."""
    worksheet = book.create_sheet(title)
    names = [column.name if hasattr(column, "name") else column for column in columns]
    worksheet.freeze_panes = "A2"
    for index, name in enumerate(names):
        worksheet.column_dimensions[_letter(index)].width = max(12, min(40, len(str(name)) + 4))
    worksheet.append([cell(worksheet, str(h), font=HEADER_FONT, fill=HEADER_FILL) for h in (headers or names)])
    for row in rows:
        worksheet.append([cell(worksheet, row.get(name)) for name in names])
    return worksheet


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the empty template -----------------------------------------------------------------------
TEMPLATE_TEXT_ROWS = 2000  # rows below the header formatted as text in text columns
LIST_FORMULA_MAX = 255  # Excel's limit for a list typed into a data validation


def template_workbook() -> bytes:
    """Every sheet with its headers and one example row, plus a "Petunjuk" sheet in Indonesian.

    Text columns (NIK, register numbers, phones, codes of records...) are formatted as text for
    the first rows, so that a spreadsheet program keeps what is typed (a 16-digit NIK typed in a
    number cell loses its last digit); code columns offer their codes in a drop-down list.
    The file depends only on the language (it takes two seconds to build): made once per process.
    """
    return _template_for_language(translation.get_language())


@functools.lru_cache(maxsize=4)
def _template_for_language(language: str | None) -> bytes:
    book = Workbook()
    _template_guide(book.active)
    for sheet in schema.SHEETS:
        _template_sheet(book.create_sheet(sheet.name), sheet)
    return save(book)


def _template_guide(guide) -> None:
    from django.utils.translation import gettext as _

    guide.title = schema.INSTRUCTIONS_SHEET
    writers.append_row(guide, [_("How to fill in this workbook")])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Every sheet is optional. The sheets are applied in this order: %(order)s.")
        % {"order": ", ".join(sheet.name for sheet in schema.SHEETS)},
        _(
            "Row 1 holds the column names (upper or lower case; extra columns are ignored). Row 2 is an example: overwrite or delete it (a row exactly like the example is skipped)."
        ),
        _(
            "Columns marked “key” identify a record: a row with a key that already exists updates that record; importing the same workbook again changes nothing."
        ),
        _(
            "All or nothing: if any row has an error, nothing is written and every error is listed as Sheet!ROW column: message."
        ),
        _(
            "Dates: an Excel date cell, YYYY-MM-DD or DD/MM/YYYY. Codes in upper case (lower case is accepted). No formulas and no merged cells: paste values only."
        ),
        _(
            "Text columns (NIK, register number, phone...) must be text cells: a number cell is refused, because a spreadsheet program rounds long numbers and drops leading zeros. Type a leading ' or keep the text format of this template."
        ),
        _(
            "The sheet Peserta sets attendance for every day of a training (hadir YA or TIDAK); the sheet Kehadiran overrides single days."
        ),
    ):
        writers.append_row(guide, [line])
    writers.append_row(guide, [])
    header = [_("Sheet"), _("Column"), _("Required"), _("Content"), _("Explanation"), _("Allowed codes")]
    writers.append_row(guide, header)
    for index in range(1, len(header) + 1):
        guide.cell(row=guide.max_row, column=index).font = HEADER_FONT
        guide.cell(row=guide.max_row, column=index).fill = HEADER_FILL
    for sheet in schema.SHEETS:
        writers.append_row(guide, [sheet.name, "", "", "", str(sheet.help), ""])
        guide.cell(row=guide.max_row, column=1).font = HEADER_FONT
        guide.cell(row=guide.max_row, column=5).font = HEADER_FONT
        for column in sheet.columns:
            required = _("key") if column.key else (_("yes") if column.required else _("no"))
            writers.append_row(
                guide,
                [
                    sheet.name,
                    column.name,
                    required,
                    str(schema.KIND_HELP[column.kind]),
                    str(column.help),
                    ", ".join(column.choices),
                ],
            )
    for letter, width in zip("ABCDEF", (14, 22, 10, 34, 70, 60), strict=True):
        guide.column_dimensions[letter].width = width


def _template_sheet(worksheet, sheet: schema.Sheet) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    writers.append_row(worksheet, sheet.headers)
    writers.append_row(worksheet, [column.example for column in sheet.columns])
    last_row = TEMPLATE_TEXT_ROWS + 1
    for index, column in enumerate(sheet.columns, start=1):
        letter = _letter(index - 1)
        head = worksheet.cell(row=1, column=index)
        head.font = Font(bold=True, color="C00000" if column.mandatory else "000000")
        head.fill = HEADER_FILL
        worksheet.cell(row=2, column=index).font = EXAMPLE_FONT
        worksheet.cell(row=2, column=index).number_format = writers.TEXT_FORMAT
        worksheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        if column.is_text:
            for row in range(3, last_row + 1):
                worksheet.cell(row=row, column=index).number_format = writers.TEXT_FORMAT
        if column.choices:
            listed = ",".join(column.choices)
            if len(listed) + 2 > LIST_FORMULA_MAX:
                raise ValueError(f"too many codes for a drop-down list in {sheet.name}.{column.name}")
            validation = DataValidation(
                type="list",
                formula1=f'"{listed}"',
                allow_blank=True,
                errorStyle="warning",  # lower case is accepted too; a comma list for several codes
                showErrorMessage=column.kind != schema.CODES,
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
