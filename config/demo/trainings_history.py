"""The paper's history: the ten Tangerang sessions of 2022-2023 and the Balikpapan technical ones,
with their synthetic participants, attendance per day, follow-ups at 1, 3 and 6 months and certificates."""

import datetime as dt

from django.utils import timezone

from bapas.arithmetic import add_months
from clients.models import Client
from config.demo.trainings_common import (
    INTERESTS,
    C,
    D,
    F,
    L,
    M,
    R,
    client_row,
    number_certificates,
    person_name,
    upsert_many,
    upsert_session,
)
from trainings import selectors
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

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


def _write_history(office, sessions, seats, client_rows, creator, outcomes_of):
    """Clients, enrolments, attendance, follow-ups and certificates of held sessions, in bulk.

    ``seats``: {session code: [register number, ...]}; ``outcomes_of(session, k, register)`` gives the
    three follow-ups (1, 3 and 6 months).
    """
    clients = upsert_many(
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
    enrolments = upsert_many(
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
    upsert_many(
        Attendance,
        Attendance.objects.filter(enrolment__session__in=sessions),
        ("enrolment_id", "date"),
        attendance_rows,
    )
    upsert_many(
        FollowUp, FollowUp.objects.filter(enrolment__session__in=sessions), ("enrolment_id", "date"), follow_up_rows
    )
    for session in sessions:
        number_certificates(session, creator)


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


def _tng_sessions(office, types, partners, creator):
    """The ten held sessions; a session of a type given before repeats the first one."""
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
            upsert_session(
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
    return sessions


def _tng_seats(sessions):
    """Who sat in which session, by client number: {session code: [n, ...]}.

    2022: clients 1..69; in 2023, 28 of them come back, client 70 (who later runs the canteen) takes
    both bakso and tata boga, and clients 71..150 are new.
    """
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
    return plan


def tng_history(office, types, partners, users, today):
    """The paper's ten sessions with 150 synthetic clients (29 of them in two sessions)."""
    pks = [users["pk1.tng"], users["pk2.tng"]]
    creator = users["kasubsi.tng"]
    sessions = _tng_sessions(office, types, partners, creator)
    plan = _tng_seats(sessions)
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
            client_row(
                office,
                registers[n],
                person_name(n, female),
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


def bpn_history(office, types, partners, users, today):
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
        session = upsert_session(
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
                client_row(
                    office,
                    register,
                    person_name(n + 200, False),
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
