"""Synthetic demo clients with wajib lapor histories relative to today. No real person's data.

Deterministic (one seeded random generator) and idempotent: clients are keyed on (office, register
number), reports on (client, reported_at), warnings on (client, level), status changes on (client,
status). Every worklist section of every demo PK gets rows: due today, due within the week,
overdue, programmes ending within 30 days.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from clients.compliance import client_compliance, period_containing, periods_overlapping
from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange
from clients.services import propose_next_due

SEED = 20260117
FIRST_NAMES_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanda",
    "Oki",
    "Putra",
    "Rizky",
    "Slamet",
    "Taufik",
    "Udin",
    "Wahyu",
    "Yoga",
    "Zainal",
    "Agus",
    "Bayu",
    "Dimas",
    "Rudi",
    "Andri",
    "Hadi",
]
FIRST_NAMES_F = ["Ayu", "Dewi", "Fitri", "Indah", "Lestari", "Maya", "Nur", "Putri", "Rina", "Sari", "Wulan", "Yuni"]
LAST_NAMES = [
    "Saputra",
    "Hidayat",
    "Pratama",
    "Santoso",
    "Wibowo",
    "Kusuma",
    "Setiawan",
    "Nugroho",
    "Siregar",
    "Simanjuntak",
    "Lubis",
    "Harahap",
    "Rahman",
    "Hakim",
    "Firmansyah",
    "Gunawan",
    "Susanto",
    "Ramadhan",
    "Maulana",
    "Syahputra",
    "Purba",
    "Tanjung",
    "Wijaya",
    "Permana",
]
INTERESTS = ["kuliner", "kecantikan", "pertanian", "perikanan", "jasa", "otomotif_teknik", "kerajinan", "digital"]
OFFENCES = [
    ("Pasal 362 KUHP (pencurian)", "1 tahun 6 bulan"),
    ("Pasal 363 KUHP (pencurian dengan pemberatan)", "2 tahun"),
    ("Pasal 372 KUHP (penggelapan)", "1 tahun"),
    ("Pasal 378 KUHP (penipuan)", "1 tahun 8 bulan"),
    ("Pasal 351 KUHP (penganiayaan)", "1 tahun 2 bulan"),
    ("Pasal 480 KUHP (penadahan)", "10 bulan"),
]
NARCOTICS = ("Pasal 127 UU 35/2009 (penyalahgunaan narkotika)", "2 tahun 6 bulan")
TERRORISM = ("Pasal 15 jo. Pasal 7 UU 5/2018 (tindak pidana terorisme)", "4 tahun")
TOPICS = ["kepribadian", "kemandirian", "keagamaan", "keluarga", "pekerjaan", "kesehatan", "rencana usaha"]
NOTES = [
    "Klien datang tepat waktu, kondisi sehat. Diberikan bimbingan tentang kepatuhan syarat program.",
    "Klien bercerita sedang mencari pekerjaan; diarahkan mengikuti pelatihan kemandirian.",
    "Klien sudah mulai berjualan kecil-kecilan di rumah. Dimotivasi untuk mencatat keuangan.",
    "Keluarga (penjamin) hadir; hubungan dengan keluarga baik.",
    "Klien mengeluh sulit ongkos ke Bapas; disarankan lapor bersamaan dengan kegiatan pelatihan.",
    "Bimbingan keagamaan dan konseling singkat; klien kooperatif.",
]

# (PK username, office code, scenarios) — one scenario per client.
PLAN = [
    (
        "pk1.tng",
        "TNG",
        ["due_today"] * 4 + ["due_week"] * 4 + ["overdue"] * 5 + ["ending"] * 3 + ["ok"] * 9 + ["completed", "revoked"],
    ),
    (
        "pk2.tng",
        "TNG",
        ["due_today"] * 3 + ["due_week"] * 3 + ["overdue"] * 4 + ["ending"] * 2 + ["ok"] * 8 + ["completed"],
    ),
    (
        "pk1.bpn",
        "BPN",
        ["due_today"] * 2 + ["due_week"] * 3 + ["overdue"] * 3 + ["ending"] * 2 + ["ok"] * 5 + ["transferred"],
    ),
]


def _visit_moment(rng, day, zone):
    return datetime.combine(day, time(rng.randint(8, 14), rng.choice([0, 10, 15, 20, 30, 40, 45, 50])), tzinfo=zone)


def _programme_dates(rng, scenario, today):
    if scenario == "ending":
        end = today + timedelta(days=rng.randint(4, 27))
        return end - timedelta(days=rng.randint(200, 420)), end
    if scenario in ("completed", "revoked", "transferred"):
        end = today - timedelta(days=rng.randint(20, 80))
        return end - timedelta(days=rng.randint(180, 360)), end
    start = today - timedelta(days=rng.randint(75, 330))
    return start, max(today + timedelta(days=rng.randint(45, 500)), start + timedelta(days=180))


def _client_data(rng, office, n, scenario, today):
    female = rng.random() < 0.2
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    name = f"{first} {rng.choice(LAST_NAMES)}"
    start, end = _programme_dates(rng, scenario, today)
    child = n % 11 == 4
    offence, sentence = rng.choice(OFFENCES)
    sensitive = ""
    if n % 13 == 6:
        sensitive, (offence, sentence) = Client.Sensitive.NARCOTICS, NARCOTICS
    if office.code == "TNG" and n == 9:
        sensitive, (offence, sentence) = Client.Sensitive.TERRORISM, TERRORISM
    birth_year = today.year - (rng.randint(15, 17) if child else rng.randint(20, 55))
    weekly = scenario in ("due_today", "overdue", "ok") and n % 5 == 0
    if scenario == "due_week":
        # Due within the week needs time left in the current period: near a month end, report weekly.
        weekly = (period_containing(Client.Frequency.MONTHLY, today).end - today).days < 2
    return {
        "name": name,
        "nik": f"99{office.pk % 100:02d}{n:012d}",
        "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
        "birth_place": office.city,
        "birth_date": start.replace(year=birth_year, day=min(start.day, 28)),
        "address": f"Jl. Contoh Raya No. {rng.randint(1, 200)}, {office.city}",
        "phone": f"08{rng.randint(1000000000, 9999999999)}",
        "religion": rng.choice([Client.Religion.ISLAM] * 6 + [Client.Religion.PROTESTANT, Client.Religion.CATHOLIC]),
        "education": rng.choice(Client.Education.values[1:5]),
        "marital_status": Client.Marital.SINGLE if child else rng.choice(Client.Marital.values),
        "dependants": 0 if child else rng.randint(0, 4),
        "previous_occupation": rng.choice(
            ["buruh harian", "ojek", "pedagang", "tidak bekerja", "sopir", "kuli bangunan"]
        ),
        "domicile": Client.Domicile.URBAN if rng.random() < 0.75 else Client.Domicile.RURAL,
        "origin_institution_type": Client.Institution.LPKA if child else Client.Institution.LAPAS,
        "origin_institution": f"{'LPKA' if child else 'Lapas Kelas I'} {office.city}",
        "offence": offence,
        "sentence": sentence,
        "programme": Client.Programme.DIVERSI
        if child and n % 2
        else rng.choice(["PB", "PB", "PB", "CB", "CMB", "ASIMILASI"]),
        "programme_start": start,
        "programme_end": end,
        "reporting_frequency": Client.Frequency.WEEKLY if weekly else Client.Frequency.MONTHLY,
        "guarantor_name": f"{rng.choice(FIRST_NAMES_M + FIRST_NAMES_F)} {rng.choice(LAST_NAMES)}",
        "guarantor_relation": rng.choice(["orang tua", "istri", "suami", "kakak", "paman"]),
        "guarantor_phone": f"08{rng.randint(1000000000, 9999999999)}",
        "interests": ", ".join(sorted(rng.sample(INTERESTS, rng.randint(1, 2)))),
        "skills": rng.choice(["memasak", "menjahit", "servis motor", "bertani", "potong rambut", ""]),
        "sensitive_category": sensitive,
    }


# Work status at programme start, and what it changes to between two reports (synthetic, plausible).
WORK_START = ["TIDAK_BEKERJA"] * 4 + ["INFORMAL"] * 3 + ["FORMAL", "USAHA_SENDIRI", "TIDAK_DAPAT_BEKERJA"]
WORK_NEXT = ["INFORMAL", "INFORMAL", "USAHA_SENDIRI", "FORMAL", "TIDAK_BEKERJA"]


def _work_series(code, n, count):
    """The client's status at start and at each of its ``count`` reports, from a generator of its own."""
    rng = random.Random(f"work-{code}-{n}")
    status = rng.choice(WORK_START)
    start, series = status, []
    for _ in range(count):
        if rng.random() < 0.1:
            status = rng.choice(WORK_NEXT)
        series.append(status)
    return start, series


def _history(rng, client, scenario, today, missed_tail):
    """Report dates (and the next due date of the last one) for the scenario."""
    kind = client.reporting_frequency
    last_day = min(today - timedelta(days=1), client.programme_end)
    periods = periods_overlapping(kind, client.programme_start, last_day)
    current = period_containing(kind, today)
    past = [p for p in periods if p.end < today and p.start < current.start]
    in_current = [p for p in periods if p.start == current.start]
    reported = []
    for i, period in enumerate(past):
        if scenario == "overdue" and i >= len(past) - missed_tail:
            continue
        if scenario not in ("due_today", "due_week") and rng.random() < 0.08 and i < len(past) - 1:
            continue  # an occasional older miss: realistic, not perfect
        lo, hi = max(period.start, client.programme_start), min(period.end, last_day)
        if lo <= hi:
            reported.append(lo + timedelta(days=rng.randint(0, (hi - lo).days)))
    if scenario in ("ok", "ending") and in_current and current.start < today:
        lo = max(current.start, client.programme_start)
        if lo <= last_day:
            reported.append(lo + timedelta(days=rng.randint(0, (last_day - lo).days)))
    next_due = None
    if scenario == "due_today":
        next_due = today
    elif scenario == "due_week":
        next_due = min(today + timedelta(days=rng.randint(2, 5)), current.end)
    return reported, next_due


def _warnings(client, officer, today, missed_tail: int) -> None:
    """SP1 (and SP2) for an overdue client; each answers one period of the run, in order (the ladder reads them)."""
    first_missed = today - timedelta(days=7 if client.reporting_frequency == "MINGGUAN" else 20)
    run = [p.label for p in client_compliance(client, today=today).missed_in_a_row_periods]
    for index, level in enumerate(["SP1", "SP2"][: missed_tail - 1]):
        ReportingWarning.objects.get_or_create(
            client=client,
            level=level,
            defaults={
                "issued_on": max(first_missed, client.programme_start),
                "reason": "Klien tidak melaksanakan wajib lapor sesuai jadwal.",
                "missed_periods": run[index] if index < len(run) else "",
                "issued_by": officer,
            },
        )


def _ended(client, status, officer) -> None:
    """The status change of a programme that ended (completed, revoked, transferred)."""
    reason = {
        Client.Status.COMPLETED: "Masa bimbingan telah berakhir.",
        Client.Status.REVOKED: "Program dicabut karena pelanggaran syarat berulang.",
        Client.Status.TRANSFERRED: "Klien pindah domisili; bimbingan dilimpahkan.",
    }[status]
    day = client.programme_end if status == Client.Status.COMPLETED else client.programme_end - timedelta(days=30)
    transferred = "Bapas Kelas I Makassar" if status == Client.Status.TRANSFERRED else ""
    StatusChange.objects.get_or_create(
        client=client,
        status=status,
        defaults={"date": day, "reason": reason, "transferred_to": transferred, "recorded_by": officer},
    )
    Client.objects.filter(pk=client.pk).update(status_date=day, status_reason=reason, transferred_to=transferred)


def load(context: dict) -> None:
    rng = random.Random(SEED)
    offices, users = context["offices"], context["users"]
    created = []
    counters = {}
    for username, code, scenarios in PLAN:
        office, officer = offices[code], users[username]
        zone = office.tzinfo
        today = timezone.localdate(timezone=zone)
        for scenario in scenarios:
            counters[code] = n = counters.get(code, 0) + 1
            data = _client_data(rng, office, n, scenario, today)
            status = {
                "completed": Client.Status.COMPLETED,
                "revoked": Client.Status.REVOKED,
                "transferred": Client.Status.TRANSFERRED,
            }.get(scenario, Client.Status.ACTIVE)
            client, _ = Client.objects.update_or_create(
                office=office,
                register_number=f"PAS-{code}.{n:03d}/2025",
                defaults={**data, "officer": officer, "status": status},
            )
            PKAssignment.objects.get_or_create(
                client=client, officer=officer, defaults={"start_date": client.programme_start}
            )
            missed_tail = 1 + n % 3
            dates, next_due = _history(rng, client, scenario, today, missed_tail)
            work_start, work = _work_series(code, n, len(dates))
            Client.objects.filter(pk=client.pk).update(work_status_start=work_start)
            for i, day in enumerate(sorted(dates)):
                is_last = i == len(dates) - 1
                ReportingVisit.objects.get_or_create(
                    client=client,
                    reported_at=_visit_moment(rng, day, zone),
                    defaults={
                        "mode": rng.choice(["DATANG"] * 6 + ["KUNJUNGAN_RUMAH", "VIDEO_CALL", "KEGIATAN"]),
                        "received_by": officer,
                        "created_by": officer,
                        "topics": ", ".join(rng.sample(TOPICS, 2)),
                        "notes": rng.choice(NOTES),
                        "condition": rng.choice(["BAIK"] * 4 + ["CUKUP", "PERLU_PERHATIAN"]),
                        "work_status": work[i],
                        "next_due_date": (next_due if is_last and next_due else propose_next_due(client, day)),
                    },
                )
            if scenario == "overdue" and missed_tail >= 2:
                _warnings(client, officer, today, missed_tail)
            if status != Client.Status.ACTIVE:
                _ended(client, status, officer)
            created.append(client)
    context["clients"] = created
