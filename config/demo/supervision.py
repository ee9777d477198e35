"""The path of a violation on the demo data (Tangerang).

- Joko Susilo (PB, monthly, PK pk1.tng) reported for three months and then missed the last three:
  SP1 and SP2 answer the first two, so the worklist says "SP3 perlu diterbitkan" and the walk
  (SP3, TPP session, suspension, proposal, decision) can be done by hand.
- Sri Wahyuni (CB, monthly, PK pk1.tng) missed nothing but the month before last, which an excused
  absence (izin, sick with a doctor's letter) covers: neither due nor missed in any report.
"""

from datetime import timedelta

from django.utils import timezone

from clients.compliance import client_compliance
from clients.models import Client, ExcusedAbsence, PKAssignment, ReportingVisit, ReportingWarning


def _month_start(day, back: int):
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return day.replace(year=year, month=month + 1, day=1)


def _client(office, officer, register, name, programme, today, **extra):
    client, _ = Client.objects.update_or_create(
        office=office,
        register_number=register,
        defaults={
            "name": name,
            "sex": extra.get("sex", Client.Sex.MALE),
            "birth_place": office.city,
            "address": f"Jl. Contoh Raya No. 17, {office.city}",
            "programme": programme,
            "programme_start": _month_start(today, 6),
            "programme_end": _month_start(today, -12) - timedelta(days=1),
            "reporting_frequency": Client.Frequency.MONTHLY,
            "officer": officer,
            "status": Client.Status.ACTIVE,
            "offence": "Pasal 362 KUHP (pencurian)",
            "sentence": "2 tahun",
            "origin_institution_type": Client.Institution.LAPAS,
            "origin_institution": f"Lapas Kelas I {office.city}",
        },
    )
    PKAssignment.objects.get_or_create(client=client, officer=officer, defaults={"start_date": client.programme_start})
    return client


def _visits(client, officer, months, zone):
    for back in months:
        day = _month_start(timezone.localdate(timezone=zone), back) + timedelta(days=9)
        moment = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9, 30), zone)
        ReportingVisit.objects.get_or_create(
            client=client,
            reported_at=moment,
            defaults={"received_by": officer, "created_by": officer, "notes": "Lapor rutin, kondisi baik."},
        )


def load(context: dict) -> None:
    office, officer = context["offices"]["TNG"], context["users"]["pk1.tng"]
    zone = office.tzinfo
    today = timezone.localdate(timezone=zone)

    joko = _client(office, officer, "PAS-TNG.SP3/2025", "Joko Susilo", Client.Programme.PB, today)
    _visits(joko, officer, (6, 5, 4), zone)
    run = [p.label for p in client_compliance(joko, today=today).missed_in_a_row_periods]
    for level, code, back in (("SP1", run[0], 2), ("SP2", run[1], 1)):
        ReportingWarning.objects.get_or_create(
            client=joko,
            level=level,
            defaults={
                "issued_on": _month_start(today, back) + timedelta(days=2),
                "reason": "Klien tidak melaksanakan wajib lapor sesuai jadwal.",
                "missed_periods": code,
                "issued_by": officer,
            },
        )

    sri = _client(
        office, officer, "PAS-TNG.IZIN/2025", "Sri Wahyuni", Client.Programme.CB, today, sex=Client.Sex.FEMALE
    )
    _visits(sri, officer, (6, 5, 4, 3, 1, 0) if today.day > 10 else (6, 5, 4, 3, 1), zone)
    excused = _month_start(today, 2)
    ExcusedAbsence.objects.get_or_create(
        client=sri,
        date_from=excused + timedelta(days=3),
        defaults={
            "date_to": excused + timedelta(days=24),
            "kind": ExcusedAbsence.Kind.ILLNESS,
            "reason": "Dirawat di RSUD Tangerang; surat keterangan dokter diserahkan keluarga.",
            "recorded_by": officer,
        },
    )
