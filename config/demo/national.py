"""Demo agreements above the offices (docs/INTERFACES.md section 1).

National: the PKS that Ditjenpas (Kemenimipas) signed with the Ministry of Manpower (Kemenaker) and the
narcotics agency (BNN) on 11 October 2025 at BBPPK Lembang (seeds/001): vocational training, business
mentoring and job placement for every office's clients. An agreement has one partner, so Kemenaker is
the partner and BNN is named in the agreement as the third party. Tangerang ran the *Pembekalan Tenaga
Kerja Mandiri Lanjutan* under it at BBPPK Lembang, 8-11 October 2025, with five clients (two placed in
work through Kemenaker, followed up at the latest milestone so the PKs' worklists stay as they were).
Regional: Kanwil Banten's PKS with the provincial manpower office, ending within 60 days (the Admin
Kanwil's expiry alert, and a note on the Tangerang Admin's home page).

The session lies outside 2022-2023, so none of the Tangerang paper's figures moves; its attendance is
not counted as wajib lapor. Numbers, dates and signatories' positions are realistic; the scans are
synthetic. Idempotent like the other demo modules.
"""

import datetime as dt

from django.db import transaction

from bapas.arithmetic import add_months
from config.demo.partners import pdf_bytes
from config.demo.trainings_common import L, M, number_certificates, upsert_session
from pokmaslipas.models import Agreement, Level, Partner
from trainings import selectors, services
from trainings.models import FOLLOW_UP_MONTHS, Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

NATIONAL_PARTNER = {
    "code": "KEMENAKER",
    "name": "Kementerian Ketenagakerjaan Republik Indonesia (Kemenaker)",
    "kind": Partner.Kind.GOVERNMENT,
    "offers": "KEMANDIRIAN,PENEMPATAN_KERJA,PENDAMPINGAN_USAHA",
    "address": "Jl. Jenderal Gatot Subroto Kav. 51, Kuningan Barat, Mampang Prapatan, Jakarta Selatan 12750",
    "contact_person": "Direktorat Jenderal Binapenta dan PKK",
    "phone": "(021) 5255733",
    "email": "binapenta@kemnaker.example.go.id",
    "notes": "Mitra nasional: berlaku untuk klien semua Bapas.",
}
NATIONAL_NUMBER = "PAS-HM.05.02-1487 TAHUN 2025"
NATIONAL_AGREEMENT = {
    "partner_number": "3/1326/HK.07.01/X/2025",
    "kind": Agreement.Kind.PKS,
    "title": (
        "Perjanjian Kerja Sama antara Direktorat Jenderal Pemasyarakatan (Kemenimipas), Kementerian "
        "Ketenagakerjaan dan Badan Narkotika Nasional tentang Pelatihan Vokasi, Pendampingan Usaha dan "
        "Penempatan Kerja bagi Warga Binaan dan Klien Pemasyarakatan"
    ),
    "signed_on": dt.date(2025, 10, 11),
    "start_date": dt.date(2025, 10, 11),
    "end_date": dt.date(2030, 10, 10),
    "scope": "KEMANDIRIAN,PENEMPATAN_KERJA,PENDAMPINGAN_USAHA",
    "bapas_signatory": "",
    "bapas_signatory_title": "Sekretaris Direktorat Jenderal Pemasyarakatan",
    "partner_signatory": "",
    "partner_signatory_title": (
        "Direktur Jenderal Pembinaan Penempatan Tenaga Kerja dan Perluasan Kesempatan Kerja, Kemenaker"
    ),
    "notes": (
        "Perjanjian tiga pihak: Kemenimipas (Ditjenpas), Kemenaker dan Badan Narkotika Nasional (BNN). "
        "Ditandatangani pada Pembekalan Tenaga Kerja Mandiri Lanjutan Angkatan IV di Balai Besar "
        "Pengembangan dan Perluasan Kerja (BBPPK) Lembang, 11 Oktober 2025. Berlaku untuk klien semua Bapas."
    ),
}
REGIONAL_PARTNER = {
    "code": "DISNAKERTRANS-BANTEN",
    "name": "Dinas Tenaga Kerja dan Transmigrasi Provinsi Banten",
    "kind": Partner.Kind.GOVERNMENT,
    "offers": "KEMANDIRIAN,PENEMPATAN_KERJA",
    "address": "Kawasan Pusat Pemerintahan Provinsi Banten (KP3B), Curug, Kota Serang, Banten 42171",
    "contact_person": "Bidang Pelatihan dan Produktivitas",
    "phone": "(0254) 267044",
    "email": "disnakertrans@bantenprov.example.go.id",
    "notes": "Mitra Kanwil Banten: berlaku untuk klien Bapas di Provinsi Banten.",
}
REGIONAL_NUMBER = "W.11-HM.05.01-0312 TAHUN 2024"
SESSION_CODE = "TKM-2025-IV"
SESSION_DAYS = (dt.date(2025, 10, 8), dt.date(2025, 10, 11))


def _upsert(model, lookup: dict, fields: dict, user):
    """Create or update one partner or agreement on its natural key, writing history only when it changes."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    changed = obj.pk is None
    for name, value in fields.items():
        if getattr(obj, name, None) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj._history_user = user
        obj.full_clean()
        obj.save()
    return obj


def _attach_scan(agreement: Agreement, lines: list[str], user) -> None:
    from django.core.files.base import ContentFile

    if agreement.document:
        return
    agreement._history_user = user
    slug = agreement.number.replace(" ", "-").replace(".", "-").replace("/", "-").lower()
    agreement.document.save(
        f"pks-demo-{slug}.pdf", ContentFile(pdf_bytes("PERJANJIAN KERJA SAMA (CONTOH SINTETIS)", lines)), save=True
    )


def _agreements(context: dict, today: dt.date) -> tuple[Agreement, Agreement]:
    users, regions = context["users"], context["regions"]
    national_admin, regional_admin = users["admin.ditjenpas"], users["admin.kanwil"]
    nation = {"level": Level.NATION, "office": None, "region": None}
    partner = _upsert(
        Partner,
        {"level": Level.NATION, "code": NATIONAL_PARTNER["code"]},
        {**nation, **NATIONAL_PARTNER},
        national_admin,
    )
    national = _upsert(
        Agreement, {"level": Level.NATION, "number": NATIONAL_NUMBER}, {**nation, "partner": partner, **NATIONAL_AGREEMENT}, national_admin
    )  # fmt: skip
    _attach_scan(
        national,
        [
            f"Nomor Ditjenpas: {NATIONAL_NUMBER}",
            f"Nomor Kemenaker: {national.partner_number}",
            "Para pihak: Kemenimipas (Ditjenpas), Kemenaker, Badan Narkotika Nasional",
            "Ruang lingkup: pelatihan vokasi, pendampingan usaha, penempatan kerja",
            "Berlaku 11-10-2025 s.d. 10-10-2030 untuk klien semua Bapas",
            "Dokumen contoh untuk demonstrasi aplikasi; bukan dokumen asli.",
        ],
        national_admin,
    )
    banten = regions["BANTEN"]
    region = {"level": Level.REGION, "office": None, "region": banten}
    regional_partner = _upsert(
        Partner, {"level": Level.REGION, "region": banten, "code": REGIONAL_PARTNER["code"]}, {**region, **REGIONAL_PARTNER}, regional_admin
    )  # fmt: skip
    end = today + dt.timedelta(days=60)  # expiring: the Admin Kanwil's alert
    start = dt.date(end.year - 3, end.month, 1)
    regional = _upsert(
        Agreement,
        {"level": Level.REGION, "region": banten, "number": REGIONAL_NUMBER},
        {
            **region,
            "partner": regional_partner,
            "partner_number": "560/1184-Disnakertrans/2024",
            "kind": Agreement.Kind.PKS,
            "title": "Pelatihan kerja dan penempatan bagi klien pemasyarakatan di Provinsi Banten",
            "signed_on": start,
            "start_date": start,
            "end_date": end,
            "scope": REGIONAL_PARTNER["offers"],
            "bapas_signatory": banten.head_name,
            "bapas_signatory_title": f"Kepala {banten.name}",
            "partner_signatory": "",
            "partner_signatory_title": "Kepala Dinas Tenaga Kerja dan Transmigrasi Provinsi Banten",
        },
        regional_admin,
    )
    return national, regional


def _participants(office, start, end, wanted=5):
    """Tangerang clients whose programme covered the training days, by register number."""
    from clients.models import Client

    return list(
        Client.objects.filter(office=office, programme_start__lte=start, programme_end__gte=end)
        .exclude(status=Client.Status.DECEASED)
        .order_by("register_number")[:wanted]
    )


# outcome of each participant at the latest follow-up milestone: (status, income, reason, notes)
OUTCOMES = [
    (FollowUp.Status.WORKS_IN_FIELD, 3_500_000, "", "Ditempatkan bekerja melalui program penempatan kerja Kemenaker."),
    (FollowUp.Status.WORKS_IN_FIELD, 3_200_000, "", "Ditempatkan bekerja melalui program penempatan kerja Kemenaker."),
    (FollowUp.Status.OWN_BUSINESS, 2_000_000, "", "Membuka usaha dengan pendampingan usaha."),
    (FollowUp.Status.OTHER_FIELD, 2_500_000, "", "Menjadi pengemudi ojek daring."),
    (FollowUp.Status.NOT_APPLIED, None, FollowUp.Reason.NO_CAPITAL, "Belum memiliki modal usaha."),
]


def _follow_ups(session, enrolments, today: dt.date) -> None:
    """One follow-up per participant at the latest milestone that has arrived, so none is left due."""
    arrived = [add_months(session.end_date, m) for m in FOLLOW_UP_MONTHS if add_months(session.end_date, m) <= today]
    if not arrived:
        return
    for enrolment, (status, income, reason, notes) in zip(enrolments, OUTCOMES, strict=False):
        FollowUp.objects.get_or_create(
            enrolment=enrolment,
            date=arrived[-1],
            defaults={
                "status": status,
                "income": income,
                "reason": reason,
                "notes": notes,
                "recorded_by": enrolment.client.officer,
            },
        )


def _session(context: dict, national: Agreement, today: dt.date) -> TrainingSession:
    """The TNG session at BBPPK Lembang under the national PKS, its attendance and certificates."""
    office, creator = context["offices"]["TNG"], context["users"]["kasubsi.tng"]
    training_type, _ = TrainingType.objects.get_or_create(
        office=office, name="Pembekalan Tenaga Kerja Mandiri", defaults={"category": TrainingType.Category.OTHER}
    )
    start, end = SESSION_DAYS
    session = upsert_session(
        office, SESSION_CODE, "Pembekalan Tenaga Kerja Mandiri Lanjutan Angkatan IV", training_type,
        national.partner, start, end, L.OTHER,
        "Balai Besar Pengembangan dan Perluasan Kerja (BBPPK) Lembang, Kabupaten Bandung Barat",
        M.PRACTICE, 7, 0, 0, "Modul TKM", TrainingSession.Status.HELD, creator,
    )  # fmt: skip
    if session.agreement_id != national.pk:
        session.agreement = national
        session.save(update_fields=["agreement"])
    clients = _participants(office, start, end)
    for client in clients:
        Enrolment.objects.get_or_create(
            session=session,
            client=client,
            defaults={
                "status": Enrolment.Status.REGISTERED,
                "enrolled_by": creator,
                "matched_interest": selectors.interest_matches(client.interest_list, training_type),
            },
        )
    enrolments = list(Enrolment.objects.filter(session=session).order_by("client__register_number"))
    day = start
    while day <= end:
        if not Attendance.objects.filter(enrolment__session=session, date=day).exists():
            rows = [{"enrolment": e.pk, "status": Attendance.Status.PRESENT} for e in enrolments]
            services.attendance_record(session=session, date=day, rows=rows, user=creator, today=end)
        day += dt.timedelta(days=1)
    number_certificates(session, creator)
    _follow_ups(session, enrolments, today)
    return session


@transaction.atomic
def load(context: dict) -> dict:
    from django.utils import timezone

    national, regional = _agreements(context, timezone.localdate())
    context["agreements_above"] = {"national": national, "regional": regional}
    context["national_session"] = _session(context, national, timezone.localdate())
    return context
