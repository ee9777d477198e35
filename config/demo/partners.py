"""Demo partners and agreements (docs/INTERFACES.md section 1).

Tangerang: the eight Pokmaslipas of the paper (seeds/002, first table), each with the PKS that
covered its 2022-2023 trainings and renewals up to today, so that the current agreements show
every status: active, expiring within 90 and within 30 days, expired and terminated.
Balikpapan: ten synthetic partners (AC repair, car seat upholstery, wallpaper, interior design,
...). Names of signatories and contacts are synthetic. Dates of current agreements are relative
to today; running the loader twice on a day leaves the same data (update_or_create on the
natural keys: office + partner code, office + agreement number).
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from pokmaslipas.models import Agreement, Partner

K = Partner.Kind
RENEWAL_1 = (date(2024, 1, 1), date(2025, 12, 31))
RENEWAL_2_START = date(2026, 1, 1)

# code: name, kind, offers, address, contact person, phone, original PKS start, current end (days
# from today; None = no renewal after 2023), whether the latest renewal was terminated early.
TNG_PARTNERS = {
    "GBI": (
        "GBI WTC Regency Kota Tangerang (Griya Abhipraya)",
        K.RELIGIOUS,
        "KEPRIBADIAN,KEMANDIRIAN",
        "Perumahan WTC Regency, Kota Tangerang, Banten",
        "Pdt. Yosua Halim",
        "0812-9000-1101",
        date(2022, 3, 1),
        400,
    ),
    "HKTI": (
        "HKTI Tangerang",
        K.COMMUNITY,
        "KEMANDIRIAN,PENDAMPINGAN_USAHA",
        "Kabupaten Tangerang, Banten",
        "Bapak Darmawan Saputra",
        "0812-9000-1102",
        date(2022, 6, 1),
        "terminated",
    ),
    "EWS": (
        "PT. East Weed Seed Indonesia",
        K.COMPANY,
        "KEMANDIRIAN,PENEMPATAN_KERJA",
        "Kawasan industri, Tangerang, Banten",
        "Ibu Maria Kristanti",
        "0812-9000-1103",
        date(2022, 6, 1),
        75,
    ),
    "DISNAKER": (
        "Dinas Ketenagakerjaan Kota Tangsel",
        K.GOVERNMENT,
        "KEMANDIRIAN,PENEMPATAN_KERJA",
        "Kota Tangerang Selatan, Banten",
        "Bapak Rudi Hartono (Bidang Pelatihan)",
        "0812-9000-1104",
        date(2022, 8, 1),
        20,
    ),
    "LPKKOPI": (
        "LPK Masyarakat Kopi Indonesia",
        K.LPK,
        "KEMANDIRIAN",
        "Kota Tangerang, Banten",
        "Bapak Fajar Nugroho",
        "0812-9000-1105",
        date(2022, 9, 1),
        300,
    ),
    "PARARI": (
        "PARARI",
        K.COMMUNITY,
        "KEMANDIRIAN,KEPRIBADIAN",
        "Kota Tangerang, Banten",
        "Ibu Sri Wahyuni",
        "0812-9000-1106",
        date(2023, 1, 2),
        45,
    ),
    "LBH": (
        "LBH Benteng Cakrawala",
        K.COMMUNITY,
        "ADVOKASI_HUKUM,KEMANDIRIAN",
        "Kota Tangerang, Banten",
        "Bapak Andika Pratama, S.H.",
        "0812-9000-1107",
        date(2023, 1, 2),
        10,
    ),
    "DINSOS": (
        "Dinas Sosial Provinsi Banten",
        K.GOVERNMENT,
        "KEMANDIRIAN,BANTUAN_MODAL",
        "Kota Serang, Banten",
        "Ibu Lestari Handayani (Bidang Rehabilitasi Sosial)",
        "0812-9000-1108",
        date(2022, 10, 1),
        -60,
    ),
}

# code: name, kind, offers, address, contact, phone, (start days from today, end days from today),
# renewed (an expired predecessor in the chain)
BPN_PARTNERS = {
    "SEJUK": ("CV Sejuk Mandiri Teknik (servis AC)", K.COMPANY, "KEMANDIRIAN,PENEMPATAN_KERJA", (-400, 330), True),
    "JOKBORNEO": (
        "Bengkel Jok Borneo Jaya (jok mobil)",
        K.COMPANY,
        "KEMANDIRIAN,PENDAMPINGAN_USAHA",
        (-300, 25),
        False,
    ),
    "DEKOR": ("Griya Dekorasi Beruang Madu (wallpaper)", K.COMPANY, "KEMANDIRIAN", (-500, 70), False),
    "LPKINTERIOR": ("LPK Desain Interior Khatulistiwa", K.LPK, "KEMANDIRIAN", (-200, 530), True),
    "BLKGUNUNGSARI": (
        "Balai Latihan Kerja Komunitas Gunung Sari",
        K.LPK,
        "KEMANDIRIAN,PENEMPATAN_KERJA",
        (-700, -30),
        False,
    ),
    "PELITA": ("Yayasan Pelita Hati Klandasan", K.COMMUNITY, "KEPRIBADIAN", (-100, 630), False),
    "NURULIMAN": ("Majelis Taklim Nurul Iman Balikpapan", K.RELIGIOUS, "KEPRIBADIAN", (-600, 150), False),
    "STVTB": (
        "Sekolah Tinggi Vokasi Teluk Balikpapan",
        K.UNIVERSITY,
        "KEMANDIRIAN,PENDAMPINGAN_USAHA",
        (-250, 480),
        False,
    ),
    "POSBAKUM": ("Posbakum Advokat Peduli Kaltim", K.COMMUNITY, "ADVOKASI_HUKUM", (-800, -200), False),
    "KOPMANGGAR": (
        "Koperasi Usaha Bersama Manggar",
        K.COMMUNITY,
        "PENDAMPINGAN_USAHA,BANTUAN_MODAL",
        (-150, 85),
        False,
    ),
}


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF (Helvetica text) standing in for a scanned agreement."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = [f"BT /F1 14 Tf 56 780 Td ({escape(title)}) Tj ET"]
    for i, line in enumerate(lines):
        rows.append(f"BT /F1 10 Tf 56 {750 - 16 * i} Td ({escape(line)}) Tj ET")
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _agreement(office, partner, number, *, user, renews=None, attach=False, **fields) -> Agreement:
    fields.setdefault("signed_on", fields["start_date"])
    fields.setdefault("terminated_on", None)
    fields.setdefault("termination_reason", "")
    fields.setdefault("terminated_by", None)
    agreement = Agreement.objects.filter(office=office, number=number).first() or Agreement(
        office=office, number=number
    )
    changed = agreement.pk is None or renews != agreement.renews or partner.pk != agreement.partner_id
    for name, value in fields.items():
        if getattr(agreement, name) != value:
            setattr(agreement, name, value)
            changed = True
    agreement.partner = partner
    agreement.renews = renews
    if changed:
        agreement._history_user = user
        agreement.save()
    if attach and not agreement.document:
        agreement._history_user = user
        agreement.document.save(
            f"pks-demo-{number.replace('/', '-').replace('.', '-').lower()}.pdf",
            ContentFile(
                pdf_bytes(
                    "PERJANJIAN KERJA SAMA (CONTOH SINTETIS)",
                    [
                        f"Nomor Bapas: {number}",
                        f"Nomor mitra: {agreement.partner_number}",
                        f"Antara {office.name} dan {partner.name}",
                        f"Berlaku {agreement.start_date:%d-%m-%Y} s.d. {agreement.end_date:%d-%m-%Y}",
                        "Dokumen contoh untuk demonstrasi aplikasi; bukan dokumen asli.",
                    ],
                )
            ),
            save=True,
        )
    return agreement


def _partner(office, code, *, user, **fields) -> Partner:
    partner = Partner.objects.filter(office=office, code=code).first() or Partner(office=office, code=code)
    changed = partner.pk is None
    for name, value in fields.items():
        if getattr(partner, name) != value:
            setattr(partner, name, value)
            changed = True
    if changed:
        partner._history_user = user
        partner.save()
    return partner


def _load_tng(office, admin, today, partners, agreements):
    head = office.head_name or "Kepala Bapas"
    head_title = f"Kepala {office.name}"
    for index, (code, row) in enumerate(TNG_PARTNERS.items(), start=1):
        name, kind, offers, address, contact, phone, start, current = row
        partner = _partner(
            office,
            code,
            user=admin,
            name=name,
            kind=kind,
            offers=offers,
            address=address,
            contact_person=contact,
            phone=phone,
            email=f"{code.lower()}@mitra.example.id",
            is_active=current != "terminated",
            notes="Mitra Pokmaslipas Bapas Kelas I Tangerang sejak 2022 (sumber: jurnal penelitian).",
        )
        partners[(office.code, code)] = partner
        common = {
            "title": f"Kerja sama bimbingan klien pemasyarakatan dengan {name}",
            "scope": offers,
            "bapas_signatory": head,
            "bapas_signatory_title": head_title,
            "partner_signatory": contact,
            "partner_signatory_title": "Pimpinan",
        }
        _tng_agreements(office, partner, index, start, current, common, admin=admin, today=today, into=agreements)


def _tng_agreements(office, partner, index, start, current, common, *, admin, today, into):
    """The PKS of 2022-2023, its 2024 renewal, a 2026 renewal when the partnership goes on past 2025
    (terminated early for one partner) and, for LPKKOPI, an addendum to the latest."""
    code = partner.code
    original = _agreement(
        office,
        partner,
        f"W29.PAS.PAS4-PK.01.05-{index:02d}1/{start.year}",
        user=admin,
        attach=True,
        partner_number=f"{index:02d}1/{code}/PKS/{start.year}",
        kind=Agreement.Kind.PKS,
        start_date=start,
        end_date=date(2023, 12, 31),
        **common,
    )
    into[(office.code, original.number)] = original
    end = today + timedelta(days=400 if current == "terminated" else current)
    first_end = RENEWAL_1[1] if end > RENEWAL_2_START else end
    renewal = _agreement(
        office,
        partner,
        f"W29.PAS.PAS4-PK.01.05-{index:02d}2/2024",
        user=admin,
        renews=original,
        attach=True,
        partner_number=f"{index:02d}2/{code}/PKS/2024",
        kind=Agreement.Kind.PKS,
        start_date=RENEWAL_1[0],
        end_date=first_end,
        **common,
    )
    into[(office.code, renewal.number)] = renewal
    latest = renewal
    if end > RENEWAL_2_START:
        terminated = {}
        if current == "terminated":
            terminated = {
                "terminated_on": max(RENEWAL_2_START, today - timedelta(days=45)),
                "termination_reason": "Kelompok tani mitra tidak lagi aktif; kerja sama diakhiri atas kesepakatan bersama.",
                "terminated_by": admin,
            }
        latest = _agreement(
            office,
            partner,
            f"W29.PAS.PAS4-PK.01.05-{index:02d}3/2026",
            user=admin,
            renews=renewal,
            attach=True,
            partner_number=f"{index:02d}3/{code}/PKS/2026",
            kind=Agreement.Kind.PKS,
            start_date=RENEWAL_2_START,
            end_date=end,
            **terminated,
            **common,
        )
        into[(office.code, latest.number)] = latest
    if code == "LPKKOPI":
        # An addendum extending the scope of the current PKS (business mentoring after the barista trainings).
        addendum = _agreement(
            office,
            partner,
            f"W29.PAS.PAS4-PK.01.05-{index:02d}4/ADD",
            user=admin,
            renews=latest,
            partner_number=f"{index:02d}4/{code}/ADD",
            kind=Agreement.Kind.ADDENDUM,
            start_date=min(latest.start_date + timedelta(days=120), latest.end_date),
            end_date=latest.end_date,
            **{**common, "scope": "KEMANDIRIAN,PENDAMPINGAN_USAHA", "title": "Adendum: pendampingan usaha kopi"},
        )
        into[(office.code, addendum.number)] = addendum


def _load_bpn(office, admin, today, partners, agreements):
    head = office.head_name or "Kepala Bapas"
    for index, (code, (name, kind, offers, (start_days, end_days), renewed)) in enumerate(
        BPN_PARTNERS.items(), start=1
    ):
        partner = _partner(
            office,
            code,
            user=admin,
            name=name,
            kind=kind,
            offers=offers,
            address="Kota Balikpapan, Kalimantan Timur",
            contact_person=f"Narahubung {name.split(' (')[0]}",
            phone=f"0813-5000-{2200 + index}",
            email=f"{code.lower()}@mitra.example.id",
            is_active=True,
            notes="Mitra sintetis untuk demonstrasi.",
        )
        partners[(office.code, code)] = partner
        common = {
            "title": f"Kerja sama pelatihan kemandirian dengan {name}",
            "scope": offers,
            "bapas_signatory": head,
            "bapas_signatory_title": f"Kepala {office.name}",
            "partner_signatory": f"Pimpinan {name.split(' (')[0]}",
            "partner_signatory_title": "Pimpinan",
            "kind": Agreement.Kind.MOU if kind == K.UNIVERSITY else Agreement.Kind.PKS,
        }
        start = today + timedelta(days=start_days)
        previous = None
        if renewed:
            previous = _agreement(
                office,
                partner,
                f"W17.PAS.PAS2-PK.01.05-{index:02d}1",
                user=admin,
                partner_number=f"{index:02d}1/{code}",
                start_date=start - timedelta(days=730),
                end_date=start - timedelta(days=1),
                **common,
            )
            agreements[(office.code, previous.number)] = previous
        current = _agreement(
            office,
            partner,
            f"W17.PAS.PAS2-PK.01.05-{index:02d}2",
            user=admin,
            renews=previous,
            attach=index <= 4,
            partner_number=f"{index:02d}2/{code}",
            start_date=start,
            end_date=today + timedelta(days=end_days),
            **common,
        )
        agreements[(office.code, current.number)] = current


def load(context: dict) -> dict:
    today = timezone.localdate()
    offices, users = context["offices"], context["users"]
    partners = context.setdefault("partners", {})
    agreements = context.setdefault("agreements", {})
    if "TNG" in offices:
        _load_tng(offices["TNG"], users.get("admin"), today, partners, agreements)
    if "BPN" in offices:
        _load_bpn(offices["BPN"], users.get("admin.bpn") or users.get("admin"), today, partners, agreements)
    return context
