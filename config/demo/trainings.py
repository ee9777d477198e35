"""Demo trainings (the demo data of docs/INTERFACES.md). Every client and outcome here is synthetic.

Tangerang: the ten sessions of the paper's second table (dates, partners and participant numbers:
2022 four sessions with 69 participants, 2023 six with 110; 179 participations by 150 clients, 29 of
whom took two trainings), attendance per day and follow-ups at 1, 3 and 6 months consistent with its
findings. Balikpapan: AC repair, car seat upholstery, wallpaper and interior design. Both offices get
planned future sessions, and Tangerang a recent session of current clients whose follow-ups are due.
Idempotent: everything is written with update_or_create on natural keys.

The history lives in ``trainings_history``, the recent and planned sessions in ``trainings_recent``,
what both use in ``trainings_common``; this module makes the training types and runs them.
"""

from django.utils import timezone

from config.demo.trainings_common import C, partner_for
from config.demo.trainings_history import bpn_history, tng_history
from config.demo.trainings_recent import recent_and_planned
from pokmaslipas.models import Partner
from trainings.models import TrainingSession, TrainingType

# Fallback names when pokmaslipas.demo has not created a partner (its codes are the contract).
TNG_PARTNERS = {
    "GBI": ("GBI WTC Regency Kota Tangerang (Griya Abhipraya)", Partner.Kind.RELIGIOUS),
    "HKTI": ("HKTI Tangerang", Partner.Kind.COMMUNITY),
    "EWS": ("PT. East West Seed Indonesia", Partner.Kind.COMPANY),
    "DISNAKER": ("Dinas Ketenagakerjaan Kota Tangerang Selatan", Partner.Kind.GOVERNMENT),
    "LPKKOPI": ("LPK Masyarakat Kopi Indonesia", Partner.Kind.LPK),
    "PARARI": ("PARARI", Partner.Kind.COMMUNITY),
    "LBH": ("LBH Benteng Cakrawala", Partner.Kind.COMMUNITY),
    "DINSOS": ("Dinas Sosial Provinsi Banten", Partner.Kind.GOVERNMENT),
}
BPN_PARTNERS = {
    "BLK": ("UPTD Balai Latihan Kerja Balikpapan", Partner.Kind.GOVERNMENT),
    "LPKTEKNIK": ("LPK Mandiri Teknik Balikpapan", Partner.Kind.LPK),
}

TYPES = {
    "TNG": [
        ("Budidaya Ikan dan Pupuk Organik", C.FISHERIES, ["GBI"]),
        ("Penyemaian Bibit Anggur dan Alpukat", C.FARMING, ["DISNAKER", "EWS"]),
        ("Barista", C.CULINARY, ["LPKKOPI"]),
        ("Make-Up Artis", C.BEAUTY, ["DINSOS"]),
        ("Bakso Instan", C.CULINARY, ["GBI"]),
        ("Barbershop", C.SERVICES, ["DISNAKER"]),
        ("Tata Boga", C.CULINARY, ["DINSOS"]),
        ("Pijat Refleksi", C.SERVICES, ["PARARI"]),
        ("Pembuatan Seblak", C.CULINARY, ["LBH"]),
        ("Pertanian dan Perkebunan", C.FARMING, ["HKTI", "EWS"]),
        ("Pembuatan Roti", C.CULINARY, ["DINSOS"]),
    ],
    "BPN": [
        ("Servis AC", C.TECHNICAL, []),
        ("Pelapisan Jok Mobil", C.TECHNICAL, []),
        ("Pemasangan Wallpaper", C.TECHNICAL, []),
        ("Desain Interior", C.TECHNICAL, []),
    ],
}


def load(context: dict) -> dict:
    today = timezone.localdate()
    offices = context["offices"]
    users = context["users"]
    created = {}
    for office_code, rows in TYPES.items():
        office = offices[office_code]
        types = {}
        for name, category, partner_codes in rows:
            training_type, _ = TrainingType.objects.update_or_create(
                office=office, name=name, defaults={"category": category}
            )
            types[name] = training_type
            for code in partner_codes:
                training_type.partners.add(partner_for(context, office, code, TNG_PARTNERS))
        created[office_code] = types

    tng = offices["TNG"]
    tng_partners = {code: partner_for(context, tng, code, TNG_PARTNERS) for code in TNG_PARTNERS}
    tng_history(tng, created["TNG"], tng_partners, users, today)
    recent_and_planned(
        tng, created["TNG"], tng_partners.__getitem__, users, today, ["pk1.tng", "pk2.tng"], "kasubsi.tng"
    )

    bpn = offices["BPN"]
    bpn_partners = sorted(
        (p for (office_code, _), p in context.get("partners", {}).items() if office_code == "BPN"),
        key=lambda p: p.code,
    ) or [partner_for(context, bpn, code, BPN_PARTNERS) for code in BPN_PARTNERS]
    for training_type in created["BPN"].values():
        training_type.partners.add(*bpn_partners[:2])
    bpn_history(bpn, created["BPN"], bpn_partners, users, today)
    recent_and_planned(
        bpn, created["BPN"], lambda i: bpn_partners[i % len(bpn_partners)], users, today, ["pk1.bpn"], "kasubsi.bpn"
    )

    context["training_types"] = created
    context["training_sessions"] = {
        (s.office.code, s.code): s for s in TrainingSession.objects.select_related("office")
    }
    return context
