"""Demo trainings (CONTRACTS.md section 1). Every client and outcome here is synthetic.

Tangerang: the ten sessions of the paper's second table (dates, partners and participant numbers:
2022 four sessions with 69 participants, 2023 six with 110; 179 participations by 150 clients, 29 of
whom took two trainings), attendance per day and follow-ups at 1, 3 and 6 months consistent with its
findings. Balikpapan: AC repair, car seat upholstery, wallpaper and interior design. Both offices get
planned future sessions, and Tangerang a recent session of current clients whose follow-ups are due.
Idempotent: everything is written with update_or_create on natural keys.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bapas.arithmetic import add_months
from clients.models import Client
from pokmaslipas.models import Agreement, Partner
from trainings import selectors, services
from trainings.certificates import new_token
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

C = TrainingType.Category
M = TrainingSession.Method
L = TrainingSession.LocationKind
F = FollowUp.Status
R = FollowUp.Reason

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

D = dt.date
# code, title, type, partner, start, end, participants, location kind, place, method, hours, budget, transport, souvenir
TNG_SESSIONS = [
    (
        "PLT-0001",
        "Pelatihan Budidaya Ikan dan Pembuatan Pupuk Organik",
        "Budidaya Ikan dan Pupuk Organik",
        "GBI",
        D(2022, 3, 30),
        D(2022, 3, 30),
        24,
        L.PARTNER_SITE,
        "Kolam GBI WTC Regency, Kota Tangerang",
        M.INTRODUCTION,
        6,
        12_000_000,
        50_000,
        "Bibit ikan lele",
    ),
    (
        "PLT-0002",
        "Teknik Penyemaian Bibit Anggur dan Alpukat Mini",
        "Penyemaian Bibit Anggur dan Alpukat",
        "DISNAKER",
        D(2022, 9, 19),
        D(2022, 9, 23),
        10,
        L.PARTNER_SITE,
        "Kebun pelatihan Disnaker Tangsel",
        M.PRACTICE,
        5,
        15_000_000,
        50_000,
        "Bibit anggur",
    ),
    (
        "PLT-0003",
        "Teknik Penyajian Kopi (Barista)",
        "Barista",
        "LPKKOPI",
        D(2022, 10, 20),
        D(2022, 10, 20),
        20,
        L.HALL,
        "Aula Terbuka Bapas",
        M.INTRODUCTION,
        6,
        8_000_000,
        50_000,
        "Kaos dan tumbler",
    ),
    (
        "PLT-0004",
        "Pelatihan Make-Up Artis",
        "Make-Up Artis",
        "DINSOS",
        D(2022, 11, 15),
        D(2022, 11, 23),
        15,
        L.HALL,
        "Aula Terbuka Bapas",
        M.PRACTICE,
        6,
        25_000_000,
        50_000,
        "Seperangkat alat rias",
    ),
    (
        "PLT-0005",
        "Pembuatan Bakso Instan",
        "Bakso Instan",
        "GBI",
        D(2023, 3, 21),
        D(2023, 3, 21),
        30,
        L.HALL,
        "Aula Terbuka Bapas",
        M.INTRODUCTION,
        5,
        9_000_000,
        50_000,
        "Paket bumbu bakso",
    ),
    (
        "PLT-0006",
        "Pelatihan Barbershop",
        "Barbershop",
        "DISNAKER",
        D(2023, 4, 14),
        D(2023, 4, 14),
        3,
        L.PARTNER_SITE,
        "BLK Kota Tangerang Selatan",
        M.PRACTICE,
        7,
        4_500_000,
        50_000,
        "Alat cukur",
    ),
    (
        "PLT-0007",
        "Tata Boga (Pembuatan Aneka Kue)",
        "Tata Boga",
        "DINSOS",
        D(2023, 5, 23),
        D(2023, 5, 23),
        20,
        L.HALL,
        "Aula Terbuka Bapas",
        M.PRACTICE,
        6,
        10_000_000,
        50_000,
        "Loyang dan mixer kecil",
    ),
    (
        "PLT-0008",
        "Teknik Penyajian Kopi (Barista)",
        "Barista",
        "LPKKOPI",
        D(2023, 6, 20),
        D(2023, 6, 20),
        20,
        L.HALL,
        "Aula Terbuka Bapas",
        M.INTRODUCTION,
        6,
        8_000_000,
        50_000,
        "Kaos dan tumbler",
    ),
    (
        "PLT-0009",
        "Pelatihan Pijat Refleksi",
        "Pijat Refleksi",
        "PARARI",
        D(2023, 7, 12),
        D(2023, 7, 12),
        18,
        L.HALL,
        "Aula Terbuka Bapas",
        M.PRACTICE,
        6,
        7_500_000,
        50_000,
        "Minyak pijat dan alat refleksi",
    ),
    (
        "PLT-0010",
        "Pembuatan Seblak",
        "Pembuatan Seblak",
        "LBH",
        D(2023, 9, 13),
        D(2023, 9, 13),
        19,
        L.HALL,
        "Aula Terbuka Bapas",
        M.INTRODUCTION,
        5,
        6_000_000,
        50_000,
        "Paket bumbu seblak",
    ),
]
BPN_SESSIONS = [
    (
        "PLT-0001",
        "Pelatihan Servis AC",
        "Servis AC",
        0,
        D(2023, 8, 7),
        D(2023, 8, 9),
        12,
        L.PARTNER_SITE,
        "Workshop BLK Balikpapan",
        M.PRACTICE,
        7,
        18_000_000,
        60_000,
        "Manifold gauge",
    ),
    (
        "PLT-0002",
        "Pelapisan Jok Mobil",
        "Pelapisan Jok Mobil",
        1,
        D(2023, 10, 16),
        D(2023, 10, 18),
        10,
        L.PARTNER_SITE,
        "Bengkel mitra, Balikpapan Utara",
        M.APPRENTICESHIP,
        7,
        16_000_000,
        60_000,
        "Staples tembak",
    ),
    (
        "PLT-0003",
        "Pemasangan Wallpaper",
        "Pemasangan Wallpaper",
        0,
        D(2024, 2, 20),
        D(2024, 2, 20),
        8,
        L.HALL,
        "Aula Bapas Balikpapan",
        M.INTRODUCTION,
        6,
        5_000_000,
        60_000,
        "Pisau cutter dan rakel",
    ),
    (
        "PLT-0004",
        "Desain Interior Dasar",
        "Desain Interior",
        1,
        D(2024, 5, 14),
        D(2024, 5, 15),
        10,
        L.HALL,
        "Aula Bapas Balikpapan",
        M.INTRODUCTION,
        6,
        9_000_000,
        60_000,
        "Meteran dan buku sketsa",
    ),
]

FIRST_MALE = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hendra",
    "Irfan",
    "Joko",
    "Rudi",
    "Slamet",
    "Taufik",
    "Wahyu",
    "Yudi",
    "Andi",
    "Bayu",
    "Dimas",
    "Rizky",
    "Arif",
    "Heru",
]
FIRST_FEMALE = ["Ani", "Dewi", "Fitri", "Indah", "Lina", "Mega", "Nur", "Rina", "Sari", "Wulan", "Yuni", "Tuti"]
LAST = [
    "Saputra",
    "Hidayat",
    "Setiawan",
    "Pratama",
    "Kurniawan",
    "Nugroho",
    "Wijaya",
    "Susanto",
    "Gunawan",
    "Siregar",
    "Permana",
    "Ramadhan",
    "Lestari",
    "Handoko",
    "Maulana",
    "Firmansyah",
    "Hakim",
    "Purnomo",
]
INTERESTS = {
    C.CULINARY: "memasak, berdagang makanan",
    C.FARMING: "bertani, berkebun",
    C.FISHERIES: "budidaya ikan",
    C.SERVICES: "jasa, pijat",
    C.BEAUTY: "tata rias, salon",
    C.TECHNICAL: "teknik, bengkel",
}


def _name(n: int, female: bool) -> str:
    first = (FIRST_FEMALE if female else FIRST_MALE)[(n * 7) % (len(FIRST_FEMALE) if female else len(FIRST_MALE))]
    return f"{first} {LAST[(n * 5 + n // 18) % len(LAST)]}"


def _partner(context, office, code, fallback):
    partner = context.get("partners", {}).get((office.code, code))
    if partner is None:
        name, kind = fallback[code]
        partner, _ = Partner.objects.get_or_create(
            office=office, code=code, defaults={"name": name, "kind": kind, "offers": "KEMANDIRIAN"}
        )
    return partner


def _agreement(partner, start, end):
    agreements = list(Agreement.objects.filter(partner=partner).order_by("start_date", "pk"))
    for agreement in agreements:
        if agreement.is_valid_between(start, end):
            return agreement
    return agreements[-1] if agreements else None


def _session(
    office,
    code,
    title,
    training_type,
    partner,
    start,
    end,
    kind,
    place,
    method,
    hours,
    budget,
    transport,
    souvenir,
    status,
    creator,
    repeat_of=None,
):
    session, _ = TrainingSession.objects.update_or_create(
        office=office,
        code=code,
        defaults={
            "title": title,
            "training_type": training_type,
            "partner": partner,
            "agreement": _agreement(partner, start, end),
            "location_kind": kind,
            "location": place,
            "start_date": start,
            "end_date": end,
            "hours_per_day": Decimal(hours),
            "method": method,
            "capacity": None,
            "budget": budget,
            "transport_per_day": transport,
            "souvenir": souvenir,
            "issues_certificate": True,
            "certificate_min_attendance": 80,
            "facilitators": f"Instruktur {partner.name}",
            "status": status,
            "repeat_of": repeat_of,
            "created_by": creator,
        },
    )
    return session


def _upsert_many(model, qs, key, rows):
    """Bulk update-or-create on a natural key: inserts what is missing, updates what changed.

    The demo writes about two thousand rows; one by one that takes minutes on a slow disk.
    Returns {key: object} of the rows now in ``qs``.
    """
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in qs}
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        obj = existing.get(tuple(row[name] for name in key))
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            changed_fields.update(changed)
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=200)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=200)
    return {tuple(getattr(obj, name) for name in key): obj for obj in qs.all()}


def _client_row(office, register, name, female, officer, start, end, interests, urban, today):
    active = end >= today
    return {
        "office_id": office.pk,
        "register_number": register,
        "name": name,
        "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
        "birth_date": D(1975 + (len(name) * 3 + start.day) % 25, 1 + start.month % 12, 1 + start.day % 27),
        "programme": Client.Programme.PB if start.day % 3 else Client.Programme.CB,
        "programme_start": start,
        "programme_end": end,
        "officer_id": officer.pk if officer else None,
        "domicile": Client.Domicile.URBAN if urban else Client.Domicile.RURAL,
        "interests": interests,
        # Most came out of prison without work; a few had daily work (the study's picture).
        "work_status_start": ["TIDAK_BEKERJA", "TIDAK_BEKERJA", "INFORMAL"][(len(name) + start.day) % 3],
        "status": Client.Status.ACTIVE if active else Client.Status.COMPLETED,
        "status_date": None if active else end,
        "marital_status": Client.Marital.MARRIED,
        "origin_institution_type": Client.Institution.LAPAS,
        "origin_institution": "Lapas Kelas I Tangerang" if office.code == "TNG" else "Lapas Kelas IIA Balikpapan",
        "is_child": False,
    }


def _attendance_rows(enrolment, session, k, recorder):
    """Day-by-day attendance: everyone attends at least the first day; longer trainings lose a few days."""
    days = session.dates()
    rows = []
    for i, day in enumerate(days):
        status = Attendance.Status.PRESENT
        if i > 0 and k % 5 == 1 and i % 3 == 0:
            status = Attendance.Status.ABSENT
        elif i > 0 and k % 4 == 2 and i == len(days) - 1:
            status = Attendance.Status.EXCUSED
        elif (k + i) % 9 == 0:
            status = Attendance.Status.LATE
        attended = status in Attendance.ATTENDED
        rows.append(
            {
                "enrolment_id": enrolment.pk,
                "date": day,
                "status": status,
                "transport_paid": session.transport_per_day if attended else 0,
                "recorded_by_id": recorder.pk if recorder else None,
            }
        )
    return rows


def _follow_up_rows(enrolment, end, outcomes, recorder):
    """The 1, 3 and 6 months' outcomes; where a year has passed, the 12 months' one repeats the 6 months'."""
    milestones = list(zip((1, 3, 6), outcomes, strict=True))
    if add_months(end, 12) <= timezone.localdate():
        milestones.append((12, outcomes[-1]))
    return [
        {
            "enrolment_id": enrolment.pk,
            "date": add_months(end, months),
            "status": status,
            "income": income,
            "reason": reason,
            "notes": notes,
            "recorded_by_id": recorder.pk if recorder else None,
        }
        for months, (status, income, reason, notes) in milestones
    ]


def _certificates(session, recorder):
    """Numbers for every participant at or above the minimum attendance, in name order."""
    rows = list(selectors.roster(Enrolment.objects.filter(session=session)).order_by("client__name", "pk"))
    issued_at = dt.datetime.combine(session.end_date, dt.time(15, 0), tzinfo=session.office.tzinfo)
    wanted = {}
    for enrolment in rows:
        enrolment.session = session
        if services.is_certificate_eligible(enrolment, enrolment.days_attended):
            wanted[enrolment.pk] = f"{session.office.code}/{session.code}/{session.end_date.year}/{len(wanted) + 1:03d}"
    changed = [e for e in rows if e.certificate_number != wanted.get(e.pk)]
    if not changed:
        return
    for enrolment in changed:
        enrolment.certificate_number = None
    Enrolment.objects.bulk_update(changed, ["certificate_number"])
    for enrolment in changed:
        enrolment.certificate_number = wanted.get(enrolment.pk)
        enrolment.certificate_issued_at = issued_at if enrolment.certificate_number else None
        enrolment.certificate_token = new_token() if enrolment.certificate_number else None
    Enrolment.objects.bulk_update(changed, ["certificate_number", "certificate_issued_at", "certificate_token"])


def _write_history(office, sessions, seats, client_rows, creator, outcomes_of):
    """Clients, enrolments, attendance, follow-ups and certificates of held sessions, in bulk.

    ``seats``: {session code: [register number, ...]}; ``outcomes_of(session, k, register)`` gives the
    three follow-ups (1, 3 and 6 months).
    """
    clients = _upsert_many(
        Client,
        Client.objects.filter(office=office, register_number__in=[row["register_number"] for row in client_rows]),
        ("register_number",),
        client_rows,
    )
    by_code = {session.code: session for session in sessions}
    enrolment_rows = []
    for code, registers in seats.items():
        session = by_code[code]
        for k, register in enumerate(registers):
            client = clients[(register,)]
            enrolment_rows.append(
                {
                    "session_id": session.pk,
                    "client_id": client.pk,
                    "status": Enrolment.Status.REGISTERED,
                    "motivation": _motivation(code, k),
                    "matched_interest": selectors.interest_matches(client.interest_list, session.training_type),
                    "enrolled_by_id": client.officer_id,
                }
            )
    enrolments = _upsert_many(
        Enrolment, Enrolment.objects.filter(session__in=sessions), ("session_id", "client_id"), enrolment_rows
    )
    attendance_rows, follow_up_rows = [], []
    for code, registers in seats.items():
        session = by_code[code]
        for k, register in enumerate(registers):
            client = clients[(register,)]
            enrolment = enrolments[(session.pk, client.pk)]
            attendance_rows.extend(_attendance_rows(enrolment, session, k, creator))
            follow_up_rows.extend(
                _follow_up_rows(enrolment, session.end_date, outcomes_of(session, k, register), client.officer)
            )
    _upsert_many(
        Attendance,
        Attendance.objects.filter(enrolment__session__in=sessions),
        ("enrolment_id", "date"),
        attendance_rows,
    )
    _upsert_many(
        FollowUp, FollowUp.objects.filter(enrolment__session__in=sessions), ("enrolment_id", "date"), follow_up_rows
    )
    for session in sessions:
        _certificates(session, creator)


def _outcomes(code, k, canteen=False):
    """(status, income, reason, notes) at 1, 3 and 6 months, following the paper's findings."""
    no = (F.NOT_APPLIED, None, [R.NO_CAPITAL, R.NO_EQUIPMENT, R.NO_INTEREST][k % 3], "")
    other = (F.OTHER_FIELD, 2_500_000 + 250_000 * (k % 4), "", "Bekerja sebagai pengemudi ojek online.")
    unreachable = (F.UNREACHABLE, None, "", "Nomor telepon tidak aktif.")
    late = other if k % 4 == 3 else (unreachable if k % 11 == 5 else no)
    if canteen:
        if code == "PLT-0005":
            return [
                no,
                (F.SIDE_INCOME, 1_200_000, "", "Berjualan bakso di depan rumah."),
                (F.OWN_BUSINESS, 3_500_000, "", "Berjualan di Kantin Klien Berkarya, aula Bapas."),
            ]
        return [
            (F.SIDE_INCOME, 1_500_000, "", "Menerima pesanan kue."),
            (F.OWN_BUSINESS, 3_500_000, "", "Membuka Kantin Klien Berkarya di aula terbuka Bapas."),
            (F.OWN_BUSINESS, 4_000_000, "", "Kantin Klien Berkarya melayani makan siang pegawai Bapas."),
        ]
    if code in ("PLT-0003", "PLT-0008"):  # barista: none of them applied it
        return [no, no if k % 4 != 3 else other, late]
    if code == "PLT-0004" and k < 5:  # make-up artist: several take orders from neighbours
        side = (F.SIDE_INCOME, 600_000 + 150_000 * k, "", "Menerima order rias wisuda dan acara tetangga.")
        return [no, side, (F.SIDE_INCOME, 900_000 + 150_000 * k, "", side[3])]
    if code == "PLT-0009" and k < 6:  # reflexology: neighbours call them
        side = (F.SIDE_INCOME, 750_000 + 125_000 * k, "", "Jasa pijat refleksi panggilan untuk tetangga.")
        return [side, side, (F.SIDE_INCOME, 1_000_000 + 150_000 * k, "", side[3])]
    if code == "PLT-0001" and k == 0:  # fish: pays after months; one keeps catfish in buckets
        bucket = (F.SIDE_INCOME, 400_000, "", "Budidaya lele dalam ember di rumah.")
        return [no, bucket, bucket]
    if code == "PLT-0006" and k == 0:
        return [(F.WORKS_IN_FIELD, 2_800_000, "", "Bekerja di barbershop dekat rumah.")] * 3
    if (code == "PLT-0005" and k in (1, 2)) or (code == "PLT-0010" and k in (0, 1)) or (code == "PLT-0007" and k == 1):
        side = (F.SIDE_INCOME, 700_000 + 100_000 * k, "", "Berjualan makanan dari rumah.")
        return [no, side, side]
    return [no, no, late]


def _motivation(code, k):
    if (code == "PLT-0004" and k < 5) or (code == "PLT-0009" and k < 6):
        return Enrolment.Motivation.VERY_HIGH if k % 2 else Enrolment.Motivation.HIGH
    return [Enrolment.Motivation.MODERATE, Enrolment.Motivation.LOW, Enrolment.Motivation.HIGH][k % 3]


def _tng_history(office, types, partners, users, today):
    """The paper's ten sessions with 150 synthetic clients (29 of them in two sessions)."""
    pks = [users["pk1.tng"], users["pk2.tng"]]
    creator = users["kasubsi.tng"]
    sessions = []
    for row in TNG_SESSIONS:
        (
            code,
            title,
            type_name,
            partner_code,
            start,
            end,
            _count,
            kind,
            place,
            method,
            hours,
            budget,
            transport,
            gift,
        ) = row
        repeat_of = next((s for s in sessions if s.training_type.name == type_name), None)
        sessions.append(
            _session(
                office,
                code,
                title,
                types[type_name],
                partners[partner_code],
                start,
                end,
                kind,
                place,
                method,
                hours,
                budget,
                transport,
                gift,
                TrainingSession.Status.HELD,
                creator,
                repeat_of,
            )
        )
    # Who sat in which session: 2022 clients 1..69; in 2023, 28 of them come back, client 70 (who
    # later runs the canteen) takes both bakso and tata boga, and clients 71..150 are new.
    plan = {}
    next_new = 1
    for session, row in zip(sessions[:4], TNG_SESSIONS[:4], strict=True):
        plan[session.code] = list(range(next_new, next_new + row[6]))
        next_new += row[6]
    returning = iter(range(1, 69, 2))
    back = {"PLT-0005": 6, "PLT-0006": 1, "PLT-0007": 5, "PLT-0008": 6, "PLT-0009": 5, "PLT-0010": 5}
    next_new = 71
    for session, row in zip(sessions[4:], TNG_SESSIONS[4:], strict=True):
        seats = [70] if session.code in ("PLT-0005", "PLT-0007") else []
        seats.extend(next(returning) for _ in range(back[session.code]))
        while len(seats) < row[6]:
            seats.append(next_new)
            next_new += 1
        plan[session.code] = seats
    sessions_of = {}
    for session in sessions:
        for n in plan[session.code]:
            sessions_of.setdefault(n, []).append(session)
    registers, client_rows = {}, []
    for n in sorted(sessions_of):
        first, last = sessions_of[n][0], sessions_of[n][-1]
        female = first.training_type.category == C.BEAUTY or (n % 3 == 0 and first.code in ("PLT-0007", "PLT-0010"))
        start = first.start_date - dt.timedelta(days=60 + (n * 37) % 200)
        end = D(2027, 3, 31) if n % 15 == 0 else last.end_date + dt.timedelta(days=120 + (n * 53) % 300)
        registers[n] = f"LTH.{n:04d}/TNG/{first.start_date.year}"
        client_rows.append(
            _client_row(
                office,
                registers[n],
                _name(n, female),
                female,
                pks[n % 2],
                start,
                end,
                INTERESTS.get(first.training_type.category, ""),
                n % 7 != 0,
                today,
            )
        )
    canteen = registers[70]
    seats = {code: [registers[n] for n in numbers] for code, numbers in plan.items()}
    _write_history(
        office,
        sessions,
        seats,
        client_rows,
        creator,
        lambda session, k, register: _outcomes(session.code, k, canteen=register == canteen),
    )
    return sessions


def _bpn_outcomes(session, k, register):
    works = (F.WORKS_IN_FIELD, 3_200_000, "", "Teknisi di bengkel atau toko mitra.")
    no = (F.NOT_APPLIED, None, [R.NO_EQUIPMENT, R.NO_CAPITAL][k % 2], "")
    return [no, works if k % 4 == 0 else no, works if k % 4 == 0 else (F.OTHER_FIELD, 2_000_000, "", "Buruh harian.")]


def _bpn_history(office, types, partners, users, today):
    officer = users.get("pk1.bpn")
    creator = users.get("kasubsi.bpn") or users.get("kasi.bpn")
    n = 0
    sessions, seats, client_rows = [], {}, []
    for row in BPN_SESSIONS:
        (
            code,
            title,
            type_name,
            partner_index,
            start,
            end,
            count,
            kind,
            place,
            method,
            hours,
            budget,
            transport,
            gift,
        ) = row
        session = _session(
            office,
            code,
            title,
            types[type_name],
            partners[partner_index % len(partners)],
            start,
            end,
            kind,
            place,
            method,
            hours,
            budget,
            transport,
            gift,
            TrainingSession.Status.HELD,
            creator,
        )
        sessions.append(session)
        seats[code] = []
        for k in range(count):
            n += 1
            register = f"LTH.{n:04d}/BPN/{start.year}"
            seats[code].append(register)
            client_rows.append(
                _client_row(
                    office,
                    register,
                    _name(n + 200, False),
                    False,
                    officer,
                    start - dt.timedelta(days=90 + (n * 29) % 150),
                    end + dt.timedelta(days=150 + (n * 41) % 250),
                    INTERESTS[C.TECHNICAL] if k % 2 == 0 else "",
                    n % 5 != 0,
                    today,
                )
            )
    _write_history(office, sessions, seats, client_rows, creator, _bpn_outcomes)


def _current_clients(office, officers, today, wanted):
    """Active clients of the PKs (from clients.demo when loaded), shared among them; synthetic ones otherwise."""
    base = (
        Client.objects.filter(
            office=office,
            status=Client.Status.ACTIVE,
            programme_start__lte=today - dt.timedelta(days=60),
            programme_end__gt=today,
        )
        .exclude(register_number__startswith="LTH.")
        .exclude(register_number__startswith="KINI.")
        .order_by("register_number")
    )
    found = []
    for officer in officers:
        found.extend(base.filter(officer=officer)[: wanted // len(officers)])
    n = 0
    while len(found) < wanted:
        n += 1
        client, _ = Client.objects.update_or_create(
            office=office,
            register_number=f"KINI.{n:03d}/{office.code}",
            defaults={
                "name": _name(n + 400, n % 3 == 0),
                "sex": Client.Sex.FEMALE if n % 3 == 0 else Client.Sex.MALE,
                "programme": Client.Programme.PB,
                "programme_start": D(today.year - 1, 1, 15),
                "programme_end": D(today.year + 1, 6, 30),
                "officer": officers[n % len(officers)],
                "domicile": Client.Domicile.URBAN,
                "interests": "memasak",
                "status": Client.Status.ACTIVE,
            },
        )
        found.append(client)
    return found


def _recent_and_planned(office, types, partner_of, users, today, pk_names, creator_name):
    officers = [users[name] for name in pk_names if name in users]
    creator = users.get(creator_name)
    code_prefix = "PLT-1"
    if office.code == "TNG":
        day = today - dt.timedelta(days=50)
        recent = _session(
            office,
            f"{code_prefix}001",
            "Pembuatan Roti dan Kue Kering",
            types["Pembuatan Roti"],
            partner_of("DINSOS"),
            day,
            day,
            L.HALL,
            "Aula Terbuka Bapas",
            M.PRACTICE,
            6,
            7_000_000,
            50_000,
            "Loyang roti",
            TrainingSession.Status.HELD,
            creator,
        )
        clients = _current_clients(office, officers, today, 8)
        for client in clients:
            Enrolment.objects.update_or_create(
                session=recent,
                client=client,
                defaults={
                    "status": Enrolment.Status.REGISTERED,
                    "enrolled_by": creator,
                    "matched_interest": selectors.interest_matches(client.interest_list, recent.training_type),
                },
            )
        rows = [
            {
                "enrolment": e.pk,
                "status": Attendance.Status.ABSENT if i == len(clients) - 1 else Attendance.Status.PRESENT,
            }
            for i, e in enumerate(Enrolment.objects.filter(session=recent).order_by("client__register_number"))
        ]
        services.attendance_record(session=recent, date=day, rows=rows, user=creator, counts_as_report=True)
        _certificates(recent, creator)
        first = Enrolment.objects.filter(session=recent).order_by("client__register_number").first()
        FollowUp.objects.update_or_create(
            enrolment=first,
            date=add_months(day, 1),
            defaults={
                "status": F.SIDE_INCOME,
                "income": 800_000,
                "notes": "Menerima pesanan roti dari tetangga.",
                "recorded_by": first.client.officer,
            },
        )
        planned = [
            ("PLT-1002", "Budidaya Bidara Arab", "Pertanian dan Perkebunan", "HKTI", 21, 2, M.PRACTICE),
            ("PLT-1003", "Nasi Goreng dan Mie untuk Usaha", "Tata Boga", "DINSOS", 45, 1, M.PRACTICE),
        ]
    else:
        clients = []
        planned = [
            ("PLT-1002", "Servis AC Lanjutan (Magang)", "Servis AC", 0, 30, 5, M.APPRENTICESHIP),
            ("PLT-1003", "Pemasangan Wallpaper dan Plafon", "Pemasangan Wallpaper", 1, 60, 2, M.PRACTICE),
        ]
    for code, title, type_name, partner_key, offset, days, method in planned:
        start = today + dt.timedelta(days=offset)
        session = _session(
            office,
            code,
            title,
            types[type_name],
            partner_of(partner_key),
            start,
            start + dt.timedelta(days=days - 1),
            L.HALL,
            "Aula Bapas",
            method,
            6,
            10_000_000,
            50_000,
            "",
            TrainingSession.Status.PLANNED,
            creator,
        )
        TrainingSession.objects.filter(pk=session.pk).update(capacity=20)
        for client in clients[:3]:
            Enrolment.objects.update_or_create(
                session=session,
                client=client,
                defaults={
                    "status": Enrolment.Status.INVITED,
                    "matched_interest": selectors.interest_matches(client.interest_list, session.training_type),
                    "enrolled_by": creator,
                },
            )


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
                training_type.partners.add(_partner(context, office, code, TNG_PARTNERS))
        created[office_code] = types

    tng = offices["TNG"]
    tng_partners = {code: _partner(context, tng, code, TNG_PARTNERS) for code in TNG_PARTNERS}
    _tng_history(tng, created["TNG"], tng_partners, users, today)
    _recent_and_planned(
        tng, created["TNG"], tng_partners.__getitem__, users, today, ["pk1.tng", "pk2.tng"], "kasubsi.tng"
    )

    bpn = offices["BPN"]
    bpn_partners = sorted(
        (p for (office_code, _), p in context.get("partners", {}).items() if office_code == "BPN"),
        key=lambda p: p.code,
    ) or [_partner(context, bpn, code, BPN_PARTNERS) for code in BPN_PARTNERS]
    for training_type in created["BPN"].values():
        training_type.partners.add(*bpn_partners[:2])
    _bpn_history(bpn, created["BPN"], bpn_partners, users, today)
    _recent_and_planned(
        bpn, created["BPN"], lambda i: bpn_partners[i % len(bpn_partners)], users, today, ["pk1.bpn"], "kasubsi.bpn"
    )

    context["training_types"] = created
    context["training_sessions"] = {
        (s.office.code, s.code): s for s in TrainingSession.objects.select_related("office")
    }
    return context
