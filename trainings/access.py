"""Who may see and change training sessions, enrolments, attendance and follow-ups.

The access matrix (tests/security/matrix.py):
- PK: reads the office's sessions; enrols own clients; takes attendance; follow-ups of own caseload.
- Kasubsi Bimker and Kasi BKD: read and write the office's sessions; read the office's follow-ups.
- Kepala Bapas: reads sessions and follow-ups of the office.
- Admin: reads sessions and attendance; no follow-ups.
- Regional viewer: nothing (404).

404 outside the user's office or caseload, 403 where the role may read but not write.
Nothing else decides access.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bapas.access import user_office_id
from bapas.models import Role
from clients.access import caseload_officer, clients_visible_to, has_caseload
from trainings.models import Enrolment, FollowUp, TrainingSession, TrainingType

READ_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN)
WRITE_ROLES = (Role.KASUBSI, Role.KASI)
# Actions a PK may do on a session it can only read.
ACTION_ROLES = {
    "manage": WRITE_ROLES,
    "enrol": (Role.PK, *WRITE_ROLES),
    "attendance": (Role.PK, *WRITE_ROLES),
}
FOLLOW_UP_READ_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS)
FOLLOW_UP_WRITE_ROLES = (Role.PK,)


def _office_id(user):
    office_id = user_office_id(user)
    if user.role not in READ_ROLES:
        raise Http404
    return office_id


def can_write_sessions(user) -> bool:
    return user.is_authenticated and user.role in WRITE_ROLES


def can_plan_without_agreement(user) -> bool:
    """Only the Kasi BKD may plan a training without an agreement (PKS) with the partner."""
    return user.is_authenticated and user.role == Role.KASI


def can_enrol(user) -> bool:
    return user.is_authenticated and user.role in ACTION_ROLES["enrol"]


def can_take_attendance(user) -> bool:
    return user.is_authenticated and user.role in ACTION_ROLES["attendance"]


def can_correct_attendance(user) -> bool:
    """A day already saved is corrected by the Kasubsi (or the Kasi above them), never by a PK."""
    return user.is_authenticated and user.role in WRITE_ROLES


def can_read_follow_ups(user) -> bool:
    return user.is_authenticated and user.role in FOLLOW_UP_READ_ROLES


def can_see_follow_up_of(user, client) -> bool:
    """Whether the user may see the outcome of this client's trainings (PK: own caseload only)."""
    if not can_read_follow_ups(user) or client.office_id != user.office_id:
        return False
    return not has_caseload(user) or client.officer_id == user.pk


def can_record_follow_up_of(user, client) -> bool:
    """Follow-ups are recorded by the client's own PK (get_enrolment_for_follow_up with ``write``)."""
    return user.is_authenticated and user.role in FOLLOW_UP_WRITE_ROLES and client.officer_id == user.pk


def enrollable_clients(user, session):
    """The clients the user may enrol in the session: the PK's caseload, the office for the writers."""
    return clients_visible_to(user).filter(office_id=session.office_id)


# --- training types ---------------------------------------------------------------------------
def training_types_visible_to(user):
    return TrainingType.objects.filter(office_id=_office_id(user))


# --- sessions ---------------------------------------------------------------------------------
def sessions_visible_to(user):
    return TrainingSession.objects.filter(office_id=_office_id(user))


def get_session_for_user(user, pk, write=False, *, action="manage"):
    """The session if the user may see it. ``write`` asks for ``action``: manage, enrol or attendance."""
    session = sessions_visible_to(user).select_related("office", "training_type", "partner", "agreement")
    session = session.filter(pk=pk).first()
    if session is None:
        raise Http404
    if write and user.role not in ACTION_ROLES[action]:
        raise PermissionDenied
    return session


# --- enrolments -------------------------------------------------------------------------------
def enrolments_visible_to(user):
    return Enrolment.objects.filter(session__office_id=_office_id(user))


def participants_visible_to(user):
    """Enrolments listed with the client's details (the participants export): a PK's own caseload."""
    qs = enrolments_visible_to(user)
    officer = caseload_officer(user)
    return qs if officer is None else qs.filter(client__officer=officer)


def can_write_enrolment(user, enrolment, action="withdraw") -> bool:
    """Withdraw: Kasubsi and Kasi for the office, a PK for own clients. Certificate: Kasubsi and Kasi."""
    if has_caseload(user):
        return action == "withdraw" and enrolment.client.officer_id == user.pk
    return user.is_authenticated and user.role in WRITE_ROLES


def get_enrolment_for_user(user, pk, write=False, *, action="withdraw"):
    """The enrolment of a session the user sees; ``write`` asks for ``action`` (withdraw, certificate)."""
    enrolment = (
        enrolments_visible_to(user)
        .select_related("session", "session__office", "session__training_type", "session__partner", "client")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    if write and not can_write_enrolment(user, enrolment, action):
        raise PermissionDenied
    return enrolment


# --- follow-ups -------------------------------------------------------------------------------
def follow_ups_visible_to(user):
    """PK: own caseload; Kasubsi, Kasi and Kabapas: the office; everyone else: nothing (404)."""
    office_id = _office_id(user)
    if user.role not in FOLLOW_UP_READ_ROLES:
        raise Http404
    qs = FollowUp.objects.filter(enrolment__session__office_id=office_id)
    if has_caseload(user):
        qs = qs.filter(enrolment__client__officer=user)
    return qs


def get_enrolment_for_follow_up(user, pk, write=False):
    """The enrolment whose follow-ups the user may read (and, with ``write``, record)."""
    office_id = _office_id(user)
    enrolment = (
        Enrolment.objects.filter(session__office_id=office_id)
        .select_related("session", "session__office", "session__training_type", "client")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    if user.role not in FOLLOW_UP_READ_ROLES:
        # Admin sees the session (trainings: read) but not outcomes.
        raise PermissionDenied
    if has_caseload(user) and enrolment.client.officer_id != user.pk:
        raise Http404
    if write and user.role not in FOLLOW_UP_WRITE_ROLES:
        raise PermissionDenied
    return enrolment


def get_follow_up_for_user(user, pk, write=False):
    follow_up = follow_ups_visible_to(user).select_related("enrolment__client").filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    if write and user.role not in FOLLOW_UP_WRITE_ROLES:
        raise PermissionDenied
    return follow_up


def require_session_write(user) -> None:
    """For pages that create sessions or types: 404 outside an office, 403 for read-only roles."""
    _office_id(user)
    if not can_write_sessions(user):
        raise PermissionDenied
