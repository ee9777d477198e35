"""Who may see and change which client. Every clients view starts here; nothing else decides access.

Access matrix (tests/security/matrix.py):
- PK: own caseload, read and write (record reports, warnings, status changes, edit).
- Kasubsi Bimker: office, basic data only (no notes, no identity details, no offence).
- Kasi BKD: office, read (notes included); reassigns the PK.
- Kepala Bapas: office, read (notes included).
- Admin: office; registers clients, edits identity, assigns the PK; sees no wajib lapor notes.
- Regional viewer: no client at all.
- Transfers (pelimpahan): the client's PK, the Kasi BKD and the Admin of the office that holds the client
  propose; the receiving office's Kasi BKD and Admin accept or reject; the sending office keeps a
  read-only page of a client it handed over (its leads and Admin, and the PK who had the client), up
  to the transfer date: every other view of that client is 404 for it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.models import Role
from clients.holding import accepted_transfer_out
from clients.models import Client, ExcusedAbsence, ReportingVisit, RevocationProposal, TPPSession, Transfer

# What ``write`` may ask for in get_client_for_user, and which roles may do it.
WRITE_ROLES = {
    "edit": (Role.PK, Role.ADMIN),  # identity and programme data
    "supervise": (Role.PK,),  # wajib lapor, warnings, status changes
    "reassign": (Role.KASI, Role.ADMIN),  # change the responsible PK
    "suspend": (Role.KABAPAS,),  # suspend the programme on a TPP's recommendation
    "transfer": (Role.PK, Role.KASI, Role.ADMIN),  # propose (or withdraw) a transfer to another office
}
# The receiving office's Kasi BKD and Admin accept or reject a transfer; they and the Kepala Bapas list them.
TRANSFER_DECIDE_ROLES = (Role.KASI, Role.ADMIN)
TRANSFER_LIST_ROLES = (Role.KASI, Role.KABAPAS, Role.ADMIN)
# The TPP: the Kasi BKD schedules sessions and records the minutes; the Kepala Bapas reads them.
TPP_READ_ROLES = (Role.KASI, Role.KABAPAS)
TPP_WRITE_ROLES = (Role.KASI,)
# Revocation proposals: the leads and the Admin read them; the Admin records the Kanwil's decision.
PROPOSAL_READ_ROLES = (Role.KASI, Role.KABAPAS, Role.ADMIN)
PROPOSAL_WRITE_ROLES = (Role.ADMIN,)
OFFICE_READ_ROLES = (Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN)
CREATE_ROLES = (Role.PK, Role.ADMIN)
COMPLIANCE_ROLES = (Role.KASI, Role.KABAPAS)
NOTES_ROLES = (Role.PK, Role.KASI, Role.KABAPAS)  # wajib lapor notes (a PK: own caseload only)


def has_caseload(user) -> bool:
    """A PK works on its own caseload: its lists, exports and suggestions are narrowed to it."""
    return user.is_authenticated and user.role == Role.PK


def caseload_officer(user):
    """The PK whose caseload narrows what ``user`` sees, or None for the office roles."""
    return user if has_caseload(user) else None


def clients_visible_to(user):
    """PK: own caseload; Kasubsi, Kasi, Kepala Bapas, Admin: their office; everyone else: none."""
    if not user.is_authenticated or not user.office_id:
        return Client.objects.none()
    if has_caseload(user):
        return Client.objects.filter(office_id=user.office_id, officer_id=user.pk)
    if user.role in OFFICE_READ_ROLES:
        return Client.objects.filter(office_id=user.office_id)
    return Client.objects.none()


def get_client_for_user(user, pk, write=False) -> Client:
    """The client if the user may see it (404 otherwise); 403 when ``write`` is asked of a reader.

    ``write`` is False (read), True (= "edit"), or one of "edit", "supervise", "reassign".
    """
    client = get_object_or_404(clients_visible_to(user).select_related("office", "officer"), pk=pk)
    if write:
        action = "edit" if write is True else write
        if user.role not in WRITE_ROLES[action]:
            raise PermissionDenied
    return client


def can_write(user, action: str = "edit") -> bool:
    """Whether the role may do ``action`` on the clients it can see (for showing buttons)."""
    return user.role in WRITE_ROLES[action]


def can_create_client(user) -> bool:
    return user.is_authenticated and bool(user.office_id) and user.role in CREATE_ROLES


def require_create_client(user) -> None:
    if not can_create_client(user):
        raise PermissionDenied


def can_see_notes(user, client: Client) -> bool:
    """Wajib lapor notes: the client's own PK, the Kasi and the Kepala Bapas of its office."""
    if not user.is_authenticated or user.office_id != client.office_id or user.role not in NOTES_ROLES:
        return False
    return not has_caseload(user) or client.officer_id == user.pk


def reporting_visits_visible_to(user):
    """The wajib lapor (with notes) of the clients the user sees; 403 for roles that read no notes."""
    if user.role not in NOTES_ROLES:
        raise PermissionDenied
    return ReportingVisit.objects.filter(client__in=clients_visible_to(user).values("pk"))


def can_see_full_record(user, client: Client | None) -> bool:
    """Identity details, offence and sensitive category: everyone who sees the client but the Kasubsi."""
    return user.role != Role.KASUBSI


def get_client_for_card(user, pk) -> Client:
    """The client of a guidance card (kartu bimbingan): 404 unless the user sees both halves of it.

    The card prints the full record (identity, offence) with the wajib lapor notes and the training
    outcomes, so it is for those who may see the full record and the notes: the client's own PK,
    the Kasi BKD and the Kepala Bapas. The Admin sees the identity but no notes, the Kasubsi neither.
    """
    client = get_client_for_user(user, pk)
    if not (can_see_full_record(user, client) and can_see_notes(user, client)):
        raise Http404
    return client


def can_see_nik(user) -> bool:
    """The NIK is an identity detail of the full record: shown to, and searched by, the same roles."""
    return user.is_authenticated and user.role in (*OFFICE_READ_ROLES, Role.PK) and can_see_full_record(user, None)


def can_see_history(user) -> bool:
    return user.role in (Role.KASI, Role.KABAPAS)


def shows_initials_only(user, client: Client) -> bool:
    """Children are shown by initials in lists to anyone but their own PK."""
    return client.is_child and client.officer_id != getattr(user, "pk", None)


def display_name(user, client: Client) -> str:
    """How a client's name is shown to ``user`` (None or anonymous: the public) on every page, roster,
    attendance sheet, PDF and export that lists clients: a child's initials to anyone but its own PK."""
    return client.initials if shows_initials_only(user, client) else client.name


def compliance_office_for_user(user):
    """The office whose compliance the user may read: Kasi and Kepala Bapas only (403 otherwise)."""
    if user.role not in COMPLIANCE_ROLES or not user.office_id:
        raise PermissionDenied
    return user.office


def get_excuse_for_user(user, pk) -> ExcusedAbsence:
    """An excused absence to withdraw: whoever may record one for the client (its PK). 404 outside the
    user's clients, 403 for the roles who only read them."""
    excuse = get_object_or_404(ExcusedAbsence.objects.filter(client__in=clients_visible_to(user)), pk=pk)
    excuse.client = get_client_for_user(user, excuse.client_id, write="supervise")
    return excuse


def get_excuse_evidence_for_user(user, pk) -> ExcusedAbsence:
    """An excused absence whose evidence the user may open: the client's own PK, the Kasi and the Kepala
    Bapas of its office (a doctor's letter is health data). 404 outside the user's clients, 403 for
    the other roles who see the client."""
    excuse = get_object_or_404(
        ExcusedAbsence.objects.select_related("client").filter(client__in=clients_visible_to(user)), pk=pk
    )
    if not can_see_notes(user, excuse.client):
        raise PermissionDenied
    return excuse


def tpp_office_for_user(user, *, write=False):
    """The office whose TPP sessions the user may see (Kasi, Kepala Bapas) or schedule (Kasi); 403 otherwise."""
    if not user.is_authenticated or not user.office_id:
        raise PermissionDenied
    if user.role not in (TPP_WRITE_ROLES if write else TPP_READ_ROLES):
        raise PermissionDenied
    return user.office


def get_tpp_session_for_user(user, pk, *, write=False) -> TPPSession:
    """A TPP session of the user's office (404 otherwise); 403 for roles that may not read (or write) it."""
    office_id = user.office_id if user.is_authenticated else None
    session = get_object_or_404(TPPSession.objects.select_related("office"), pk=pk, office_id=office_id or -1)
    if user.role not in (TPP_WRITE_ROLES if write else TPP_READ_ROLES):
        raise PermissionDenied
    return session


def get_proposal_for_user(user, pk, *, write=False) -> RevocationProposal:
    """A revocation proposal of the user's office (404 otherwise); read: Kasi, Kepala Bapas, Admin; write: Admin."""
    office_id = user.office_id if user.is_authenticated else None
    proposal = get_object_or_404(
        RevocationProposal.objects.select_related("client__office", "client__officer", "tpp_case__session"),
        pk=pk,
        client__office_id=office_id or -1,
    )
    if user.role not in (PROPOSAL_WRITE_ROLES if write else PROPOSAL_READ_ROLES):
        raise PermissionDenied
    return proposal


def get_client_page_for_user(user, pk) -> tuple[Client, Transfer | None]:
    """The client page: the office's own client (``get_client_for_user``), or, for the office that
    handed it over, the client with that accepted transfer (a read-only page up to the transfer date).
    The sending office's leads and Admin see it, and the PK who had the client; everyone else 404."""
    try:
        return get_client_for_user(user, pk), None
    except Http404:
        if not user.is_authenticated or not user.office_id or user.role not in (*OFFICE_READ_ROLES, Role.PK):
            raise
    transfer = accepted_transfer_out(pk, user.office_id, user.pk if has_caseload(user) else None)
    if transfer is None:
        raise Http404
    client = Client.objects.select_related("office", "officer").get(pk=pk)
    return client, transfer


def transfers_visible_to(user):
    """The transfers into and out of the user's office: Kasi BKD, Kepala Bapas and Admin (403 otherwise)."""
    if not user.is_authenticated or not user.office_id or user.role not in TRANSFER_LIST_ROLES:
        raise PermissionDenied
    return Transfer.objects.filter(Q(to_office_id=user.office_id) | Q(from_office_id=user.office_id))


def get_transfer_for_user(user, pk, *, incoming: bool) -> Transfer:
    """An open or closed transfer into (``incoming``: to decide) or out of the user's office (to withdraw).

    Incoming: the receiving office's Kasi BKD and Admin; outgoing: the roles that propose, a PK only for
    its own client. 404 for a transfer of another office, 403 for a role that may not act on it.
    """
    office_id = user.office_id if user.is_authenticated else None
    side = {"to_office_id": office_id or -1} if incoming else {"from_office_id": office_id or -1}
    transfer = get_object_or_404(
        Transfer.objects.select_related("client__office", "client__officer", "from_office", "to_office"), pk=pk, **side
    )
    if user.role not in (TRANSFER_DECIDE_ROLES if incoming else WRITE_ROLES["transfer"]):
        raise PermissionDenied
    if not incoming and has_caseload(user) and transfer.client.officer_id != user.pk:
        raise Http404
    return transfer
