"""The path of a violation after the warnings: the TPP session, suspension and the revocation proposal.

Every write runs in one transaction, is audited (django-simple-history) and raises the office's
data version; a suspension and a decision are status changes of the client, so they appear on its
timeline beside the warnings and the TPP recommendation.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.data_version import bump_offices
from bapas.formatting import date_label
from bapas.models import Role
from clients.models import Client, RevocationProposal, TPPCase, TPPSession
from clients.services import _stamp, client_change_status

# The staff who may sit on a TPP (the PKs and the office's leads).
TPP_MEMBER_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS)
# A TPP session is planned at most a year ahead.
TPP_MAX_AHEAD_DAYS = 366


def _today(office) -> date:
    return timezone.localdate(timezone=office.tzinfo)


def tpp_schedule_errors(*, office, date: date, members, clients) -> dict:
    """The rules of scheduling a TPP session (the page and the workbook import): {field: message}."""
    errors = {}
    if not members:
        errors["members"] = _("A TPP session needs at least one member.")
    elif any(m.office_id != office.pk or m.role not in TPP_MEMBER_ROLES or not m.is_active for m in members):
        errors["members"] = _("The members must be active PKs or leads of this office.")
    if not clients:
        errors["clients"] = _("Choose at least one client whose case the session hears.")
    elif any(c.office_id != office.pk for c in clients):
        errors["clients"] = _("The clients must belong to this office.")
    if (date - _today(office)).days > TPP_MAX_AHEAD_DAYS:
        errors["date"] = _("A TPP session can be planned at most a year ahead.")
    return errors


@transaction.atomic
def tpp_session_schedule(*, office, date: date, place: str = "", members, clients, user) -> TPPSession:
    """Schedule a TPP session of ``office`` for the cases of ``clients`` with ``members`` of its staff."""
    members, clients = list(members), list(clients)
    errors = tpp_schedule_errors(office=office, date=date, members=members, clients=clients)
    if errors:
        raise ValidationError(errors)
    session = TPPSession(office=office, date=date, place=place.strip(), scheduled_by=user)
    session.full_clean()
    _stamp(session, user)
    session.save()
    session.members.set(members)
    for client in clients:
        case = TPPCase(session=session, client=client)
        _stamp(case, user)
        case.save()
    bump_offices([office.pk])
    return session


def tpp_minutes_errors(*, office, date: date, attendees, member_ids, cases) -> dict:
    """The rules of a TPP session's minutes (the page and the workbook import): {field: message}.

    ``cases``: (key, client, {"findings", "recommendation"}) for every case of the session; a case's
    errors are keyed ``recommendation_<key>`` and ``findings_<key>``."""
    errors = {}
    if date > _today(office):
        errors["date"] = _("The minutes can be recorded from the session's day (%(date)s).") % {
            "date": date_label(date)
        }
    if not attendees:
        errors["attendees"] = _("Tick at least one member who attended.")
    elif any(a.pk not in member_ids for a in attendees):
        errors["attendees"] = _("Only members of the session can be recorded as present.")
    for key, client, entry in cases:
        if entry.get("recommendation") not in TPPCase.Recommendation.values:
            errors[f"recommendation_{key}"] = _("Choose the recommendation for %(name)s.") % {"name": client.name}
        elif not (entry.get("findings") or "").strip():
            errors[f"findings_{key}"] = _("Write the findings for %(name)s.") % {"name": client.name}
    return errors


@transaction.atomic
def tpp_minutes_record(*, session: TPPSession, attendees, cases: dict, notes: str = "", user) -> TPPSession:
    """Record the minutes: who attended (members only, at least one) and each case's findings and
    recommendation (``cases``: {case pk: {"findings", "recommendation", "note"}}, every case)."""
    session = TPPSession.objects.select_for_update().select_related("office").get(pk=session.pk)
    attendees = list(attendees)
    member_ids = set(session.members.values_list("pk", flat=True))
    all_cases = list(session.cases.select_related("client"))
    errors = tpp_minutes_errors(
        office=session.office,
        date=session.date,
        attendees=attendees,
        member_ids=member_ids,
        cases=[(case.pk, case.client, cases.get(case.pk) or {}) for case in all_cases],
    )
    if errors:
        raise ValidationError(errors)
    for case in all_cases:
        entry = cases[case.pk]
        case.findings = entry["findings"].strip()
        case.recommendation = entry["recommendation"]
        case.note = (entry.get("note") or "").strip()
        _stamp(case, user)
        case.save()
    session.attendees.set(attendees)
    session.state = TPPSession.State.HELD
    session.notes = notes.strip()
    session.minutes_by = user
    _stamp(session, user)
    session.save()
    bump_offices([session.office_id])
    return session


def revocation_case(client: Client) -> TPPCase | None:
    """The latest TPP case of a held session that recommends revoking the client's programme."""
    return (
        TPPCase.objects.filter(
            client=client, session__state=TPPSession.State.HELD, recommendation=TPPCase.Recommendation.REVOKE
        )
        .select_related("session")
        .order_by("-session__date", "-id")
        .first()
    )


@transaction.atomic
def client_suspend(*, client: Client, date: date, grounds: str = "", user) -> RevocationProposal:
    """The Kepala Bapas suspends the programme ("ditangguhkan") and proposes its revocation to the Kanwil.

    Needs a held TPP session that recommended revocation for this client.
    """
    case = revocation_case(client)
    if case is None:
        raise ValidationError(
            _("A suspension needs a TPP session that recommended proposing revocation for this client.")
        )
    if client.status != Client.Status.ACTIVE:
        raise ValidationError(_("Only an active programme can be suspended."))
    if date < case.session.date:
        raise ValidationError(
            {
                "date": _("The suspension cannot come before the TPP session (%(date)s).")
                % {"date": date_label(case.session.date)}
            }
        )
    client_change_status(
        client=client,
        status=Client.Status.SUSPENDED,
        date=date,
        reason=_("Suspended on the recommendation of TPP session %(number)s; revocation proposed to the Kanwil.")
        % {"number": case.session.number},
        user=user,
        suspending=True,
    )
    proposal = RevocationProposal(
        client=client, tpp_case=case, suspended_on=date, grounds=grounds.strip(), proposed_by=user
    )
    proposal.full_clean()
    _stamp(proposal, user)
    proposal.save()
    bump_offices([client.office_id])
    return proposal


@transaction.atomic
def revocation_decide(
    *, proposal: RevocationProposal, decision: str, decree_number: str = "", decree_date=None, note: str = "", user
) -> RevocationProposal:
    """The Admin records the Kanwil's decision: revoked (with the decree's number and date) or continued."""
    proposal = RevocationProposal.objects.select_for_update().select_related("client__office").get(pk=proposal.pk)
    errors = {}
    if proposal.decision != RevocationProposal.Decision.PENDING:
        raise ValidationError(_("The decision on this proposal has been recorded already."))
    if decision not in (RevocationProposal.Decision.REVOKED, RevocationProposal.Decision.CONTINUED):
        errors["decision"] = _("Choose revoked or continued.")
    today = _today(proposal.client.office)
    if decision == RevocationProposal.Decision.REVOKED:
        if not decree_number.strip():
            errors["decree_number"] = _("A revocation needs the number of the Kanwil's decree.")
        if decree_date is None:
            errors["decree_date"] = _("A revocation needs the date of the Kanwil's decree.")
    if decree_date is not None and not (proposal.suspended_on <= decree_date <= today):
        errors["decree_date"] = _("The decree date lies between the suspension (%(date)s) and today.") % {
            "date": date_label(proposal.suspended_on)
        }
    if errors:
        raise ValidationError(errors)
    day = decree_date or today
    if decision == RevocationProposal.Decision.REVOKED:
        status = Client.Status.REVOKED
        reason = _("Revoked by the Kanwil's decree %(number)s of %(date)s.") % {
            "number": decree_number.strip(),
            "date": date_label(day),
        }
    else:
        status = Client.Status.ACTIVE
        reason = _("The Kanwil decided that the programme continues.")
    if note.strip():
        reason = f"{reason} {note.strip()}"
    client_change_status(client=proposal.client, status=status, date=day, reason=reason, user=user)
    proposal.decision = decision
    proposal.decree_number = decree_number.strip()
    proposal.decree_date = decree_date
    proposal.decision_note = note.strip()
    proposal.decided_by = user
    _stamp(proposal, user)
    proposal.save()
    bump_offices([proposal.client.office_id])
    return proposal
