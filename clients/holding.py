"""Which office held a client on a day: the one rule behind the split of a transferred client's figures.

The office that held a client on a day is the sending office of the first accepted transfer dated
after that day, or the client's office when there is none: a reporting period counts for the office
that held the client on its last day, so the periods that end before the transfer date stay the
sending office's (``clients.compliance``, the monthly return).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import Exact

from clients.models import Transfer

ACCEPTED = Transfer.State.ACCEPTED
PROPOSED = Transfer.State.PROPOSED


@dataclass(frozen=True)
class Holder:
    office_id: int
    region_id: int | None
    officer_id: int | None


def holder_on(day: date, steps: list[tuple[date, Holder]], current: Holder) -> Holder:
    """The office (and its PK) that held the client on ``day``: ``steps`` are the accepted transfers
    as (transfer date, sending office's holder), oldest first; ``current`` is who holds it now."""
    for transfer_date, sender in steps:
        if day < transfer_date:
            return sender
    return current


def held_on_q(office, day) -> Q:
    """Clients ``office`` held on ``day`` (a date, or the name of a date field of Client)."""
    bound = OuterRef(day) if isinstance(day, str) else day
    later = Transfer.objects.filter(client=OuterRef("pk"), state=ACCEPTED, transfer_date__gt=bound)
    first_sender = later.order_by("transfer_date", "id").values("from_office_id")[:1]
    office_id = getattr(office, "pk", office)
    return (Q(office_id=office_id) & ~Exists(later)) | Q(Exact(Subquery(first_sender), office_id))


def has_accepted_transfer(client_ref: str = "pk") -> Exists:
    """Whether the client (``client_ref`` names its id in the outer query) ever moved between offices."""
    return Exists(Transfer.objects.filter(client_id=OuterRef(client_ref), state=ACCEPTED))


def accepted_transfer_out(client_id, office_id, officer_id=None) -> Transfer | None:
    """The latest accepted transfer of the client out of ``office`` (of that PK's caseload when given)."""
    qs = Transfer.objects.filter(client_id=client_id, from_office_id=office_id, state=ACCEPTED)
    if officer_id is not None:
        qs = qs.filter(from_officer_id=officer_id)
    return qs.select_related("to_office", "from_office").order_by("-transfer_date", "-id").first()


def open_transfer(client) -> Transfer | None:
    return client.transfers.filter(state=PROPOSED).select_related("to_office").first()
