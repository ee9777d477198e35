"""Writes that touch several rows or have side effects. Each returns warnings the user should see.

A write that can move an office's figures raises its data version in the same transaction
(``bapas.data_version``); a certificate number moves none.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bapas.data_version import bump_offices
from clients.access import display_name, has_caseload
from clients.models import Client, ReportingVisit
from trainings import selectors
from trainings.access import can_correct_attendance, can_plan_without_agreement
from trainings.certificates import new_token
from trainings.models import (
    Attendance,
    Enrolment,
    FollowUp,
    PartnerTrainingType,
    TrainingSession,
    session_dates_errors,
)

SESSION_FIELDS = (
    "code",
    "title",
    "training_type",
    "partner",
    "agreement",
    "location_kind",
    "location",
    "start_date",
    "end_date",
    "hours_per_day",
    "method",
    "capacity",
    "budget",
    "transport_per_day",
    "souvenir",
    "issues_certificate",
    "certificate_min_attendance",
    "facilitators",
    "notes",
)


def _d(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _mark_user(obj, user):
    obj._history_user = user
    return obj


# --- sessions ---------------------------------------------------------------------------------
def _next_session_code(office_id) -> str:
    codes = set(TrainingSession.objects.filter(office_id=office_id).values_list("code", flat=True))
    number = len(codes) + 1
    while f"PLT-{number:04d}" in codes:
        number += 1
    return f"PLT-{number:04d}"


def _check_session(session: TrainingSession, user) -> list[str]:
    """Rules shared by create and edit; returns warnings, raises on what must be refused."""
    warnings = []
    errors = {}
    errors.update(session_dates_errors(session.start_date, session.end_date))
    if session.training_type_id and session.training_type.office_id != session.office_id:
        errors["training_type"] = _("Choose a training type of this office.")
    if session.partner_id and not session.partner.covers(session.office):
        errors["partner"] = _("Choose a partner of this office.")
    agreement = session.agreement
    if agreement is None:
        if not can_plan_without_agreement(user):
            errors["agreement"] = _(
                "Choose the agreement (PKS) this training runs under. Only the Kasi BKD may plan a training "
                "without one."
            )
        else:
            warnings.append(_("This training has no agreement (PKS) with the partner."))
    else:
        if not agreement.covers(session.office) or agreement.partner_id != session.partner_id:
            errors["agreement"] = _("This agreement (PKS) belongs to another partner.")
        elif (
            session.start_date
            and session.end_date
            and not agreement.is_valid_between(session.start_date, session.end_date)
        ):
            warnings.append(
                _("Agreement %(number)s is not valid on the training dates (valid %(start)s – %(end)s).")
                % {"number": agreement.number, "start": _d(agreement.start_date), "end": _d(agreement.end_date)}
            )
    if errors:
        raise ValidationError(errors)
    return warnings


@transaction.atomic
def session_create(*, user, office=None, repeat_of=None, **fields) -> tuple[TrainingSession, list[str]]:
    """Plan a session. Warns when the agreement is not valid on the dates; refuses without one unless Kasi."""
    office = office or user.office
    session = TrainingSession(office=office, created_by=user, repeat_of=repeat_of)
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if not session.code:
        session.code = _next_session_code(office.pk)
    warnings = _check_session(session, user)
    session.full_clean()
    _mark_user(session, user).save()
    bump_offices([office.pk])
    return session, warnings


@transaction.atomic
def session_update(*, session: TrainingSession, user, **fields) -> list[str]:
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled training cannot be changed."))
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if not session.code:
        session.code = _next_session_code(session.office_id)
    warnings = _check_session(session, user)
    session.full_clean()
    _mark_user(session, user).save()
    bump_offices([session.office_id])
    return warnings


def session_repeat_initial(session: TrainingSession) -> dict:
    """What a repeat of an earlier session starts from: everything but the code, dates and status."""
    keep = [name for name in SESSION_FIELDS if name not in ("code", "start_date", "end_date")]
    initial = {}
    for name in keep:
        value = getattr(session, name)
        initial[name] = value.pk if hasattr(value, "pk") else value
    return initial


@transaction.atomic
def session_cancel(*, session: TrainingSession, user, reason: str) -> None:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This training is already cancelled."))
    if session.status == TrainingSession.Status.HELD:
        raise ValidationError(_("A training that was held cannot be cancelled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Write why the training is cancelled.")})
    session.status = TrainingSession.Status.CANCELLED
    session.cancel_reason = reason.strip()
    _mark_user(session, user).save(update_fields=["status", "cancel_reason", "updated_at"])
    bump_offices([session.office_id])


@transaction.atomic
def session_mark_held(*, session: TrainingSession, user, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled training cannot be marked as held."))
    if session.start_date > today:
        raise ValidationError(_("A training cannot be marked as held before it starts."))
    if session.status != TrainingSession.Status.HELD:
        session.status = TrainingSession.Status.HELD
        _mark_user(session, user).save(update_fields=["status", "updated_at"])
        bump_offices([session.office_id])


# --- enrolment --------------------------------------------------------------------------------
@transaction.atomic
def enrolment_create(
    *,
    session: TrainingSession,
    client: Client,
    user,
    motivation: int | None = None,
    status: str = Enrolment.Status.REGISTERED,
) -> tuple[Enrolment, list[str]]:
    """Enrol a client. Capacity is enforced under concurrency: the session row is locked, then counted."""
    session = TrainingSession.objects.select_for_update().select_related("training_type").get(pk=session.pk)
    shown = f"{display_name(user, client)} ({client.register_number})"
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This training is cancelled: no one can be enrolled."))
    if client.office_id != session.office_id:
        raise ValidationError(_("%(name)s is a client of another office and cannot be enrolled.") % {"name": shown})
    if client.status != Client.Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is not an active client (%(status)s) and cannot be enrolled.")
            % {"name": shown, "status": client.get_status_display()}
        )
    if has_caseload(user) and client.officer_id != user.pk:
        raise ValidationError(_("%(name)s is not in your caseload: a PK enrols only own clients.") % {"name": shown})
    if status not in Enrolment.COUNTED:
        raise ValidationError(_("Choose invited or registered."))
    existing = Enrolment.objects.filter(session=session, client=client).first()
    if existing is not None and existing.status in Enrolment.COUNTED:
        raise ValidationError(_("%(name)s is already enrolled in this training.") % {"name": shown})
    taken = selectors.counted_enrolments(Enrolment.objects.filter(session=session)).count()
    if session.capacity is not None and taken >= session.capacity:
        raise ValidationError(
            _("The training is full: %(capacity)s places are taken. %(name)s was not enrolled.")
            % {"capacity": session.capacity, "name": shown}
        )
    warnings = []
    if client.programme_end < session.end_date:
        warnings.append(
            _("The programme of %(name)s ends on %(end)s, before the training does.")
            % {"name": shown, "end": _d(client.programme_end)}
        )
    took_type = (
        Enrolment.objects.filter(
            client=client, session__training_type_id=session.training_type_id, status__in=Enrolment.COUNTED
        )
        .exclude(session=session)
        .exists()
    )
    if took_type:
        warnings.append(
            _("%(name)s already took a %(type)s training.") % {"name": shown, "type": session.training_type}
        )
    enrolment = existing or Enrolment(session=session, client=client)
    enrolment.status = status
    enrolment.status_reason = ""
    if enrolment.pk is None or not motivation_locked(enrolment):
        enrolment.motivation = motivation or None
    enrolment.matched_interest = selectors.interest_matches(client.interest_list, session.training_type)
    enrolment.enrolled_by = user
    enrolment.full_clean()
    _mark_user(enrolment, user).save()
    bump_offices([session.office_id])
    return enrolment, warnings


def motivation_locked(enrolment: Enrolment, today: dt.date | None = None) -> bool:
    """The rating is of the client before the training: it is fixed from the training's first day."""
    today = today or timezone.localdate(timezone.now(), enrolment.session.office.tzinfo)
    return enrolment.session.start_date <= today


@transaction.atomic
def enrolment_set_motivation(*, enrolment: Enrolment, motivation: int | None, user) -> Enrolment:
    """Change the PK's motivation rating; refused once the training has started."""
    if motivation == enrolment.motivation:
        return enrolment
    if motivation_locked(enrolment):
        raise ValidationError(
            {
                "motivation": _("The motivation rating is locked: the training started on %(start)s.")
                % {"start": _d(enrolment.session.start_date)}
            }
        )
    enrolment.motivation = motivation
    enrolment.full_clean()
    _mark_user(enrolment, user).save(update_fields=["motivation"])
    bump_offices([enrolment.session.office_id])
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, user, reason: str, status: str = Enrolment.Status.WITHDRAWN) -> None:
    if status not in (Enrolment.Status.WITHDRAWN, Enrolment.Status.CANCELLED):
        raise ValidationError(_("Choose withdrawn or cancelled."))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in Enrolment.COUNTED:
        raise ValidationError(_("This enrolment is already withdrawn or cancelled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Write the reason.")})
    if enrolment.certificate_number:
        raise ValidationError(_("A certificate was issued for this enrolment: it cannot be withdrawn."))
    enrolment.status = status
    enrolment.status_reason = reason.strip()
    _mark_user(enrolment, user).save(update_fields=["status", "status_reason"])
    bump_offices(TrainingSession.objects.filter(pk=enrolment.session_id).values_list("office_id", flat=True))


# --- attendance -------------------------------------------------------------------------------
def check_attendance_date(session: TrainingSession, day: dt.date, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This training is cancelled: attendance cannot be taken."))
    if not session.start_date <= day <= session.end_date:
        raise ValidationError(
            _("%(day)s is not a day of this training (%(start)s – %(end)s).")
            % {"day": _d(day), "start": _d(session.start_date), "end": _d(session.end_date)}
        )
    if day > today:
        raise ValidationError(_("Attendance cannot be taken for a day that has not come yet."))


def _activity_visit(attendance: Attendance, session: TrainingSession, user) -> ReportingVisit:
    """The wajib lapor this day of training counts as (mode: during an activity)."""
    client = attendance.enrolment.client
    local = dt.datetime.combine(attendance.date, dt.time(9, 0), tzinfo=session.office.tzinfo)
    visit = ReportingVisit.objects.filter(client=client, reported_at=local).first()
    if visit is None:
        visit = ReportingVisit(
            client=client,
            reported_at=local,
            mode=ReportingVisit.Mode.ACTIVITY,
            received_by=user,
            created_by=user,
            topics=_("Training: %(title)s") % {"title": session.title},
        )
        _mark_user(visit, user).save()
    return visit


@transaction.atomic
def attendance_record(
    *,
    session: TrainingSession,
    date: dt.date,
    rows: list[dict],
    user,
    counts_as_report: bool = False,
    today: dt.date | None = None,
) -> dict:
    """Save one day of attendance for the whole list.

    ``rows``: ``{"enrolment": id, "status": code, "transport_paid": int | None}``; transport defaults to
    the session's rate for present or late and 0 otherwise. A day already saved may only be corrected
    by the Kasubsi or Kasi; every change goes to the audit trail. With ``counts_as_report`` each present
    client gets a wajib lapor (mode KEGIATAN) linked to the day.
    """
    session = TrainingSession.objects.select_for_update().select_related("office").get(pk=session.pk)
    check_attendance_date(session, date, today)
    enrolments = {
        e.pk: e
        for e in selectors.counted_enrolments(Enrolment.objects.filter(session=session)).select_related("client")
    }
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__session=session, date=date)}
    if existing and not can_correct_attendance(user):
        raise ValidationError(_("Attendance for this day was already saved; only the Kasubsi Bimker can correct it."))
    rate = session.transport_per_day or 0
    created = changed = 0
    seen = set()
    for row in rows:
        enrolment = enrolments.get(int(row["enrolment"]))
        if enrolment is None:
            raise ValidationError(_("One of the rows is not an enrolment of this training."))
        if enrolment.pk in seen:
            raise ValidationError(_("A participant appears twice in the list."))
        seen.add(enrolment.pk)
        status = row.get("status") or Attendance.Status.PRESENT
        if status not in Attendance.Status.values:
            raise ValidationError(_("Unknown attendance status."))
        attended = status in Attendance.ATTENDED
        paid = row.get("transport_paid")
        if paid is None or paid == "":
            paid = rate if attended else 0
        paid = int(paid)
        if paid < 0:
            raise ValidationError(_("Transport money cannot be negative."))
        attendance = existing.get(enrolment.pk)
        if attendance is None:
            attendance = Attendance(enrolment=enrolment, date=date)
            created += 1
        elif (
            attendance.status == status
            and attendance.transport_paid == paid
            and not (counts_as_report and attended and not attendance.counts_as_report_id)
        ):
            continue
        else:
            changed += 1
        attendance.enrolment = enrolment
        attendance.status = status
        attendance.transport_paid = paid
        attendance.recorded_by = user
        old_visit_id = attendance.counts_as_report_id
        if counts_as_report and attended and not old_visit_id:
            attendance.counts_as_report = _activity_visit(attendance, session, user)
        elif not attended and old_visit_id:
            attendance.counts_as_report = None
        attendance.full_clean(validate_constraints=False)
        _mark_user(attendance, user).save()
        if old_visit_id and attendance.counts_as_report_id is None:
            # The client was not there after all: the wajib lapor it stood for goes too.
            ReportingVisit.objects.filter(pk=old_visit_id, mode=ReportingVisit.Mode.ACTIVITY).delete()
    held_now = session.status == TrainingSession.Status.PLANNED
    if held_now:
        session.status = TrainingSession.Status.HELD
        _mark_user(session, user).save(update_fields=["status", "updated_at"])
    if created or changed or held_now:
        bump_offices([session.office_id])
    return {"created": created, "changed": changed}


# --- certificates -----------------------------------------------------------------------------
def attendance_percent(days_attended: int, session: TrainingSession) -> int:
    return round(100 * days_attended / session.days) if session.days else 0


def is_certificate_eligible(enrolment: Enrolment, days_attended: int) -> bool:
    session = enrolment.session
    return (
        session.issues_certificate
        and enrolment.status in Enrolment.COUNTED
        and days_attended > 0
        and attendance_percent(days_attended, session) >= session.certificate_min_attendance
    )


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment, user, now: dt.datetime | None = None) -> str:
    """Give the enrolment a certificate number like TNG/PLT-0001/2023/001; refuse below the minimum."""
    session = TrainingSession.objects.select_for_update().select_related("office").get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_related("client").get(pk=enrolment.pk)
    enrolment.session = session
    if enrolment.certificate_number:
        return enrolment.certificate_number
    if not session.issues_certificate:
        raise ValidationError(_("This training does not issue certificates."))
    if enrolment.status not in Enrolment.COUNTED:
        raise ValidationError(_("This enrolment was withdrawn or cancelled."))
    days = Attendance.objects.filter(enrolment=enrolment, status__in=Attendance.ATTENDED).count()
    if not is_certificate_eligible(enrolment, days):
        raise ValidationError(
            _("%(name)s attended %(percent)s%% of the training; a certificate needs at least %(minimum)s%%.")
            % {
                "name": display_name(user, enrolment.client),
                "percent": attendance_percent(days, session),
                "minimum": session.certificate_min_attendance,
            }
        )
    prefix = f"{session.office.code}/{session.code}/{session.end_date.year}/"
    numbers = set(
        Enrolment.objects.filter(certificate_number__startswith=prefix).values_list("certificate_number", flat=True)
    )
    sequence = len(numbers) + 1
    while f"{prefix}{sequence:03d}" in numbers:
        sequence += 1
    enrolment.certificate_number = f"{prefix}{sequence:03d}"
    enrolment.certificate_issued_at = now or timezone.now()
    enrolment.certificate_token = new_token()
    _mark_user(enrolment, user).save(update_fields=["certificate_number", "certificate_issued_at", "certificate_token"])
    return enrolment.certificate_number


@transaction.atomic
def certificates_issue_all(*, session: TrainingSession, user) -> list[str]:
    """Issue a number to every eligible participant that has none yet; returns the new numbers."""
    issued = []
    rows = selectors.roster(Enrolment.objects.filter(session=session, certificate_number__isnull=True))
    for enrolment in rows.order_by("client__name", "pk"):
        enrolment.session = session
        if is_certificate_eligible(enrolment, enrolment.days_attended):
            issued.append(certificate_issue(enrolment=enrolment, user=user))
    return issued


# --- follow-ups -------------------------------------------------------------------------------
@transaction.atomic
def follow_up_record(
    *,
    enrolment: Enrolment,
    user,
    date: dt.date,
    status: str,
    income: int | None = None,
    reason: str = "",
    notes: str = "",
    photo=None,
    today: dt.date | None = None,
) -> FollowUp:
    """Record an outcome: only for participants, only after the training ended, not in the future."""
    today = today or timezone.localdate()
    session = enrolment.session
    if not selectors.participants(Enrolment.objects.filter(pk=enrolment.pk)).exists():
        raise ValidationError(
            _("%(name)s did not take part in this training (no day present): no follow-up can be recorded.")
            % {"name": enrolment.client.name}
        )
    errors = {}
    if date <= session.end_date:
        errors["date"] = _("A follow-up is recorded after the training ended (%(end)s).") % {
            "end": _d(session.end_date)
        }
    elif date > today:
        errors["date"] = _("The follow-up date cannot be in the future.")
    if status == FollowUp.Status.NOT_APPLIED and not reason:
        errors["reason"] = _("Choose why the skill is not applied.")
    if status in FollowUp.IMPLEMENTED and reason:
        reason = ""
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(
        enrolment=enrolment,
        date=date,
        status=status,
        income=income,
        reason=reason or "",
        notes=notes or "",
        recorded_by=user,
    )
    if photo:
        follow_up.photo = photo
    follow_up.full_clean()
    _mark_user(follow_up, user).save()
    bump_offices([session.office_id])
    return follow_up


# --- the training types a partner can deliver --------------------------------------------------


@transaction.atomic
def partner_training_types_set(*, partner, training_types, user) -> None:
    """Make ``training_types`` the types the partner can deliver. Each link added or removed is its
    own audited row (who, when, from where); links that stay are not touched."""
    wanted = {training_type.pk for training_type in training_types}
    for training_type in training_types:
        if training_type.office_id != partner.office_id:
            raise ValidationError(_("A training type of another office cannot be linked to this partner."))
    links = {
        link.training_type_id: link for link in PartnerTrainingType.objects.select_for_update().filter(partner=partner)
    }
    for training_type_id, link in links.items():
        if training_type_id not in wanted:
            _mark_user(link, user).delete()
    for training_type_id in sorted(wanted - set(links)):
        _mark_user(PartnerTrainingType(partner=partner, training_type_id=training_type_id), user).save()
    if wanted != set(links):
        bump_offices([partner.office_id])
