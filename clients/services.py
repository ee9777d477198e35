"""Writes that touch several rows or carry rules: registration, edits, status, PK, wajib lapor, warnings.

Every service takes keyword arguments only, runs in one transaction, validates with ``full_clean()``
and raises Django's ValidationError with a message the user can act on (Indonesian in the UI). A write
raises the office's data version in the same transaction (``bapas.data_version``).
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.arithmetic import add_months
from bapas.data_version import bump_offices, latest_today
from bapas.formatting import date_label, period_code_label, period_label
from bapas.models import Role
from clients.access import has_caseload
from clients.models import (
    Client,
    ExcusedAbsence,
    PKAssignment,
    ReportingVisit,
    ReportingWarning,
    StatusChange,
    WorkStatus,
)

# Fields a client edit may change; the PK, status and archive flag have their own services.
EDITABLE_FIELDS = [
    "register_number",
    "name",
    "nik",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "phone",
    "religion",
    "education",
    "marital_status",
    "dependants",
    "previous_occupation",
    "domicile",
    "work_status_start",
    "origin_institution_type",
    "origin_institution",
    "offence",
    "sentence",
    "programme",
    "programme_start",
    "programme_end",
    "reporting_frequency",
    "guarantor_name",
    "guarantor_relation",
    "guarantor_phone",
    "interests",
    "skills",
    "is_employed",
    "sensitive_category",
]


class DuplicateVisit(ValidationError):
    """A wajib lapor of this client at this minute exists already; ``existing`` is that visit."""

    def __init__(self, message, existing):
        super().__init__(message, code="duplicate")
        self.existing = existing


def _check_officer(officer, office) -> None:
    if officer is None:
        return
    if officer.office_id != office.pk:
        raise ValidationError({"officer": _("The PK must belong to this office (%(office)s).") % {"office": office}})
    if officer.role != Role.PK or not officer.is_active:
        raise ValidationError({"officer": _("%(name)s is not an active PK.") % {"name": officer}})


def _open_assignment(*, client, officer, start_date, user) -> None:
    PKAssignment.objects.filter(client=client, end_date__isnull=True).update(end_date=start_date)
    assignment = PKAssignment(client=client, officer=officer, start_date=start_date, assigned_by=user)
    assignment.full_clean()
    assignment.save()


def _stamp(obj, user) -> None:
    """Record the user in the audit trail when called outside a request."""
    if user is not None:
        obj._history_user = user


@transaction.atomic
def client_register(*, office, data: dict, user, officer=None) -> Client:
    """Register a client in ``office``. A PK who registers a client becomes its PK."""
    if user is not None and has_caseload(user):
        officer = user
    _check_officer(officer, office)
    client = Client(office=office, officer=officer, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    client.full_clean()
    _stamp(client, user)
    client.save()
    if officer is not None:
        _open_assignment(
            client=client, officer=officer, start_date=timezone.localdate(timezone=office.tzinfo), user=user
        )
    bump_offices([office.pk])
    return client


@transaction.atomic
def client_update(*, client: Client, data: dict, version: int, user) -> Client:
    """Edit identity and programme data. A stale form (another edit saved meanwhile) changes nothing."""
    current = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    if current.version != version:
        raise ValidationError(
            _(
                "Someone else saved this client while you were editing (by %(when)s). Nothing was "
                "overwritten: reload the page to see their changes, then make yours again."
            )
            % {"when": timezone.localtime(current.updated_at, current.office.tzinfo).strftime("%H.%M")},
            code="conflict",
        )
    changed = []
    for field in EDITABLE_FIELDS:
        if field in data and getattr(current, field) != data[field]:
            setattr(current, field, data[field])
            changed.append(field)
    if not changed:
        return current
    current.version += 1
    current.full_clean()
    _stamp(current, user)
    current.save()
    bump_offices([current.office_id])
    return current


@transaction.atomic
def client_change_status(
    *, client: Client, status: str, date: date, reason: str = "", transferred_to: str = "", user, suspending=False
):
    """Move a client along its lifecycle (active, completed, revoked, transferred, deceased)."""
    current = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    errors = {}
    if status == current.status:
        errors["status"] = _("The client already has this status.")
    if status == Client.Status.SUSPENDED and not suspending:
        errors["status"] = _("A programme is suspended by the Kepala Bapas on a TPP's recommendation.")
    if date > timezone.localdate(timezone=current.office.tzinfo):
        errors["date"] = _("The date of a status change cannot be in the future.")
    elif date < current.programme_start:
        errors["date"] = _("The date cannot be before the programme start (%(start)s).") % {
            "start": date_label(current.programme_start)
        }
    if status == Client.Status.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = _("Name the Bapas the client is transferred to.")
    if status in (Client.Status.REVOKED, Client.Status.TRANSFERRED, Client.Status.DECEASED) and not reason.strip():
        errors["reason"] = _("Give the reason for this status.")
    if errors:
        raise ValidationError(errors)
    change = StatusChange(
        client=current,
        status=status,
        date=date,
        reason=reason.strip(),
        transferred_to=transferred_to.strip() if status == Client.Status.TRANSFERRED else "",
        recorded_by=user,
    )
    change.full_clean()
    _stamp(change, user)
    change.save()
    current.status = status
    current.status_date = date
    current.status_reason = change.reason
    current.transferred_to = change.transferred_to
    current.version += 1
    _stamp(current, user)
    current.save(update_fields=["status", "status_date", "status_reason", "transferred_to", "version", "updated_at"])
    bump_offices([current.office_id])
    return change


@transaction.atomic
def client_reassign_officer(*, client: Client, officer, start_date: date | None = None, user) -> Client:
    """Make ``officer`` the responsible PK from ``start_date``; the previous assignment is closed, not lost."""
    current = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    start_date = start_date or timezone.localdate(timezone=current.office.tzinfo)
    _check_officer(officer, current.office)
    if officer is None:
        raise ValidationError({"officer": _("Choose a PK.")})
    if current.officer_id == officer.pk:
        raise ValidationError({"officer": _("%(name)s is already the PK of this client.") % {"name": officer}})
    last = PKAssignment.objects.filter(client=current).order_by("-start_date", "-id").first()
    if last is not None and start_date < last.start_date:
        raise ValidationError(
            {
                "start_date": _("The new PK cannot start before the current assignment (%(date)s).")
                % {"date": date_label(last.start_date)}
            }
        )
    _open_assignment(client=current, officer=officer, start_date=start_date, user=user)
    current.officer = officer
    current.version += 1
    _stamp(current, user)
    current.save(update_fields=["officer", "version", "updated_at"])
    bump_offices([current.office_id])
    return current


@transaction.atomic
def client_archive(*, client: Client, user) -> Client:
    """Archive a client whose programme is over. Nothing is deleted; archived clients leave the lists."""
    current = Client.objects.select_for_update().get(pk=client.pk)
    if current.status == Client.Status.ACTIVE:
        raise ValidationError(_("An active client cannot be archived: record the end of supervision first."))
    current.is_archived = not current.is_archived
    current.version += 1
    _stamp(current, user)
    current.save(update_fields=["is_archived", "version", "updated_at"])
    bump_offices([current.office_id])
    return current


def propose_next_due(client: Client, report_date: date) -> date | None:
    """The next due date a report proposes: one month (monthly) or one week (weekly) later, within the programme."""
    if client.reporting_frequency == Client.Frequency.WEEKLY:
        proposed = report_date + timedelta(days=7)
    else:
        proposed = add_months(report_date, 1)
    return proposed if proposed <= client.programme_end else None


def last_known_work_status(client: Client) -> str:
    """The client's latest known work status: from the latest wajib lapor that knew it, else the programme start."""
    latest = (
        ReportingVisit.objects.filter(client=client)
        .exclude(work_status=WorkStatus.UNKNOWN)
        .order_by("-reported_at", "-id")
        .values_list("work_status", flat=True)
        .first()
    )
    return latest or client.work_status_start


@transaction.atomic
def visit_record(
    *,
    client: Client,
    reported_at,
    user,
    mode: str = ReportingVisit.Mode.IN_PERSON,
    received_by=None,
    topics: str = "",
    notes: str = "",
    condition: str = "",
    condition_notes: str = "",
    work_status: str = WorkStatus.UNKNOWN,
    income_band: str = "",
    next_due_date: date | None = None,
) -> ReportingVisit:
    """Record one wajib lapor. Raises DuplicateVisit when the client already reported at that minute."""
    zone = client.office.tzinfo
    reported_at = reported_at.replace(second=0, microsecond=0)
    local_day = timezone.localtime(reported_at, zone).date()
    errors = {}
    if reported_at > timezone.now():
        errors["reported_at"] = _("A report cannot be dated in the future.")
    elif not (client.programme_start <= local_day <= client.programme_end):
        errors["reported_at"] = _("The report date must lie within the programme (%(start)s to %(end)s).") % {
            "start": date_label(client.programme_start),
            "end": date_label(client.programme_end),
        }
    received_by = received_by or user
    if received_by is not None and received_by.office_id != client.office_id:
        errors["received_by"] = _("The officer who received the report must belong to this office.")
    if next_due_date is not None and next_due_date <= local_day:
        errors["next_due_date"] = _("The next due date must come after the report date.")
    if errors:
        raise ValidationError(errors)
    existing = ReportingVisit.objects.filter(client=client, reported_at=reported_at).first()
    if existing is not None:
        raise DuplicateVisit(_("This client already has a report at that minute."), existing)
    if next_due_date is None:
        next_due_date = propose_next_due(client, local_day)
    visit = ReportingVisit(
        client=client,
        reported_at=reported_at,
        mode=mode,
        received_by=received_by,
        topics=topics,
        notes=notes,
        condition=condition,
        condition_notes=condition_notes,
        work_status=work_status,
        income_band=income_band,
        next_due_date=next_due_date,
        created_by=user,
    )
    visit.full_clean(exclude=["office", "report_date"], validate_constraints=False)
    _stamp(visit, user)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # A concurrent submission won the race: show that visit instead of failing.
        existing = ReportingVisit.objects.get(client=client, reported_at=reported_at)
        raise DuplicateVisit(_("This client already has a report at that minute."), existing) from None
    if visit_moves_closed_period(visit):
        bump_offices([visit.office_id])
    return visit


def visit_moves_closed_period(visit: ReportingVisit) -> bool:
    """A wajib lapor dated today (in any office's zone) or later, added or removed, changes no period that
    has ended, so no compliance figure: what is computed from the office's data stays valid."""
    return visit.report_date < latest_today()


LEVEL_ORDER: list[str] = [ReportingWarning.Level.SP1, ReportingWarning.Level.SP2, ReportingWarning.Level.SP3]


def warning_errors(
    *, client: Client, level: str, issued_on: date, earlier, today: date, order_reason: str | None = None
) -> dict:
    """The rules of a warning (the form and the workbook import): {field: message}.

    ``earlier`` holds the (level, date) of the client's other warnings; SP2 follows an earlier SP1
    and SP3 an earlier SP2. Where a reason can be given (the form: ``order_reason`` not None), a
    step may be skipped with a reason; the workbook, which carries none, keeps the order strictly.
    """
    errors = {}
    if issued_on > today:
        errors["issued_on"] = _("A warning cannot be dated in the future.")
    elif issued_on < client.programme_start:
        errors["issued_on"] = _("A warning cannot be dated before the programme start.")
    if level not in LEVEL_ORDER:
        errors["level"] = _("Choose SP1, SP2 or SP3.")
    elif LEVEL_ORDER.index(level) > 0 and not (order_reason or "").strip():
        previous = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]
        if not any(other == previous and day <= issued_on for other, day in earlier):
            names = {"level": level, "previous": previous}
            if order_reason is None:
                errors["level"] = _("%(level)s needs an earlier %(previous)s for this client.") % names
            else:
                errors["order_reason"] = (
                    _(
                        "%(level)s comes without an earlier %(previous)s for this client: give the reason for "
                        "skipping a step."
                    )
                    % names
                )
    return errors


def warning_period_error(client: Client, codes: list[str], today: date) -> str | None:
    """The error for the periods a warning answers, or None: each must be a missed period of the client
    (the form, the service and the workbook import ask this one function)."""
    from clients.compliance import client_compliance, client_periods

    if not codes:
        return _("Choose the missed reporting periods this warning answers.")
    state = client_compliance(client, today=today)
    missed = {p.label for p in state.missed_periods}
    excused = {p.label for p in state.excused_periods}
    ended = {p.label for p in client_periods(client, today)}
    for code in codes:
        if code in missed:
            continue
        label = period_code_label(code)
        if code in excused:
            return _("%(period)s is excused (izin): a warning cannot answer it.") % {"period": label}
        if code in ended:
            return _("The client reported in %(period)s: a warning cannot answer it.") % {"period": label}
        return _("%(period)s is not an ended reporting period of this client's programme.") % {"period": label}
    return None


@transaction.atomic
def warning_issue(
    *,
    client: Client,
    level: str,
    issued_on: date,
    reason: str,
    missed_periods: str | list[str] = "",
    number: str = "",
    order_reason: str = "",
    user,
) -> ReportingWarning:
    """Record a surat peringatan for the missed periods it answers (period codes, at least one).

    A period that was reported or excused cannot be answered. SP2 follows an SP1 and SP3 an SP2;
    a warning that skips a step (SP3 with no SP2 before it) needs ``order_reason``.
    """
    client = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    today = timezone.localdate(timezone=client.office.tzinfo)
    codes = missed_periods if isinstance(missed_periods, list) else missed_periods.split(",")
    codes = sorted({code.strip() for code in codes if code.strip()})
    errors = warning_errors(
        client=client,
        level=level,
        issued_on=issued_on,
        earlier=client.warnings.values_list("level", "issued_on"),
        today=today,
        order_reason=order_reason,
    )
    period_error = warning_period_error(client, codes, today)
    if period_error:
        errors["missed_periods"] = period_error
    if errors:
        raise ValidationError(errors)
    warning = ReportingWarning(
        client=client,
        level=level,
        number=(number or "").strip(),
        issued_on=issued_on,
        reason=reason.strip(),
        missed_periods=", ".join(codes),
        order_reason=order_reason.strip(),
        issued_by=user,
    )
    warning.full_clean()
    _stamp(warning, user)
    warning.save()
    bump_offices([client.office_id])
    return warning


# --- excused absences (izin) -------------------------------------------------------------------

# An excuse is recorded for a stretch of the programme; beyond a year ahead it is a typing error.
EXCUSE_MAX_AHEAD_DAYS = 366


def excuse_errors(*, client: Client, date_from: date, date_to: date, reason: str, today: date, exclude=None) -> dict:
    """The rules of an excused absence (the form and the workbook import): {field: message}.

    Refused when it overlaps a wajib lapor the client made (the client reported: nothing to excuse),
    lies outside the programme, or another excuse in force covers part of it (``exclude``: the
    excuse itself, when it is changed)."""
    errors = {}
    if date_to < date_from:
        errors["date_to"] = _("The end of an excused absence cannot be before its start.")
    elif date_from < client.programme_start or date_to > client.programme_end:
        errors["date_from"] = _("An excused absence must lie within the programme (%(start)s to %(end)s).") % {
            "start": date_label(client.programme_start),
            "end": date_label(client.programme_end),
        }
    elif date_to > today + timedelta(days=EXCUSE_MAX_AHEAD_DAYS):
        errors["date_to"] = _("An excused absence can be recorded at most a year ahead.")
    if not reason.strip():
        errors["reason"] = _("Explain the reason for the excused absence.")
    if not errors:
        visit = (
            client.visits.filter(report_date__gte=date_from, report_date__lte=date_to).order_by("report_date").first()
        )
        if visit is not None:
            errors["date_from"] = _(
                "The client reported on %(date)s, within this period: an excused absence cannot cover a day "
                "the client reported."
            ) % {"date": date_label(visit.report_date)}
        others = client.excuses.in_force().filter(date_from__lte=date_to, date_to__gte=date_from)
        other = others.exclude(pk=exclude.pk).first() if exclude is not None and exclude.pk else others.first()
        if other is not None:
            errors["date_to"] = _("This overlaps the excused absence of %(period)s.") % {
                "period": period_label(other.date_from, other.date_to)
            }
    return errors


@transaction.atomic
def excuse_record(
    *, client: Client, date_from: date, date_to: date, kind: str, reason: str, evidence=None, user
) -> ExcusedAbsence:
    """Excuse the client from reporting from ``date_from`` to ``date_to`` (an izin); the rules are
    ``excuse_errors``."""
    current = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    today = timezone.localdate(timezone=current.office.tzinfo)
    errors = excuse_errors(client=current, date_from=date_from, date_to=date_to, reason=reason, today=today)
    if errors:
        raise ValidationError(errors)
    excuse = ExcusedAbsence(
        client=current,
        date_from=date_from,
        date_to=date_to,
        kind=kind,
        reason=reason.strip(),
        recorded_by=user,
    )
    if evidence:
        excuse.evidence = evidence
    excuse.full_clean()
    _stamp(excuse, user)
    excuse.save()
    bump_offices([current.office_id])
    return excuse


@transaction.atomic
def excuse_withdraw(*, excuse: ExcusedAbsence, reason: str, user) -> ExcusedAbsence:
    """Withdraw an excused absence recorded by mistake. It stays on the record, marked withdrawn with
    the reason (audited), and excuses nothing any more: its periods are due again, missed unless the
    client reported in them."""
    current = ExcusedAbsence.objects.select_for_update().select_related("client").get(pk=excuse.pk)
    if current.withdrawn_at is not None:
        raise ValidationError({"reason": _("This excused absence has already been withdrawn.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Explain why the excused absence is withdrawn.")})
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = user
    current.withdrawal_reason = reason.strip()
    _stamp(current, user)
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    bump_offices([current.client.office_id])
    return current
