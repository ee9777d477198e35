"""What the PK's worklist and the client page need from trainings."""

import datetime as dt

from django.db.models import Prefetch

from bapas.arithmetic import add_months
from clients.models import Client
from trainings import selectors
from trainings.models import FOLLOW_UP_MONTHS, Enrolment, FollowUp

# Clients no longer reachable through the caseload: no follow-up is asked for them.
NOT_FOLLOWED = (Client.Status.DECEASED, Client.Status.TRANSFERRED)


def follow_ups_due(*, officer, today: dt.date) -> list[dict]:
    """Participants of the PK's caseload with a follow-up milestone (1, 3, 6 or 12 months) due.

    A milestone is session end + N months. It is due once it has arrived and there is no follow-up
    on or after its date; only the latest milestone that has arrived is listed. One query.
    """
    rows = (
        selectors.participants(Enrolment.objects.filter(client__officer=officer))
        .exclude(client__status__in=NOT_FOLLOWED)
        .filter(session__end_date__lt=today)
        .select_related("client", "session", "session__training_type")
        .annotate(last_follow_up=selectors.latest_follow_up_date())
        .order_by("session__end_date", "client__name", "pk")
    )
    due = []
    for enrolment in rows:
        end = enrolment.session.end_date
        arrived = [(m, add_months(end, m)) for m in FOLLOW_UP_MONTHS if add_months(end, m) <= today]
        if not arrived:
            continue
        months, due_date = arrived[-1]
        if enrolment.last_follow_up and enrolment.last_follow_up >= due_date:
            continue
        due.append(
            {
                "enrolment": enrolment,
                "client": enrolment.client,
                "session": enrolment.session,
                "milestone_months": months,
                "due_date": due_date,
            }
        )
    due.sort(key=lambda row: (row["due_date"], row["client"].name))
    return due


def client_trainings(client) -> list:
    """The client's enrolments, newest first, each with ``days_attended`` and ``latest_follow_up``.

    Two queries whatever the number of trainings.
    """
    enrolments = (
        selectors.roster(Enrolment.objects.filter(client=client))
        .select_related("session", "session__training_type", "session__partner")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("-date", "-id")))
        .order_by("-session__start_date", "-pk")
    )
    result = []
    for enrolment in enrolments:
        follow_ups = list(enrolment.follow_ups.all())
        enrolment.latest_follow_up = follow_ups[0] if follow_ups and enrolment.is_participant else None
        enrolment.follow_up_count = len(follow_ups)
        result.append(enrolment)
    return result
