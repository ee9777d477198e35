"""What the demo trainings of both offices share: names, upserts, sessions, client rows, certificates."""

import datetime as dt
from decimal import Decimal

from clients.models import Client
from pokmaslipas.models import Agreement, Partner
from trainings import selectors, services
from trainings.certificates import new_token
from trainings.models import Enrolment, FollowUp, TrainingSession, TrainingType

C = TrainingType.Category
M = TrainingSession.Method
L = TrainingSession.LocationKind
F = FollowUp.Status
R = FollowUp.Reason
D = dt.date

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


def person_name(n: int, female: bool) -> str:
    first = (FIRST_FEMALE if female else FIRST_MALE)[(n * 7) % (len(FIRST_FEMALE) if female else len(FIRST_MALE))]
    return f"{first} {LAST[(n * 5 + n // 18) % len(LAST)]}"


def partner_for(context, office, code, fallback):
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


def upsert_session(
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


def upsert_many(model, qs, key, rows):
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


def client_row(office, register, name, female, officer, start, end, interests, urban, today):
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


def number_certificates(session, recorder):
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
