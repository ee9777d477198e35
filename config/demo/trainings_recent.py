"""Recent and planned demo sessions: a Tangerang session of current clients held weeks ago, whose
follow-ups fall due, and planned sessions in both offices."""

import datetime as dt

from bapas.arithmetic import add_months
from clients.models import Client
from config.demo.trainings_common import D, F, L, M, number_certificates, person_name, upsert_session
from trainings import selectors, services
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession


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
                "name": person_name(n + 400, n % 3 == 0),
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


def _recent_tng(office, types, partner_of, officers, creator, today):
    """A bread-making session of current clients held 50 days ago: attendance recorded as a reporting
    visit, certificates, and one follow-up already in; the others are due. Returns its clients."""
    day = today - dt.timedelta(days=50)
    recent = upsert_session(
        office,
        "PLT-1001",
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
    number_certificates(recent, creator)
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
    return clients


def recent_and_planned(office, types, partner_of, users, today, pk_names, creator_name):
    officers = [users[name] for name in pk_names if name in users]
    creator = users.get(creator_name)
    if office.code == "TNG":
        clients = _recent_tng(office, types, partner_of, officers, creator, today)
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
        session = upsert_session(
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
