"""The PK's own panel on the worklist: compliance of the caseload and the participants' outcomes."""

from datetime import date

from django.db.models import Count

from bapas.arithmetic import rate
from reports.dashboards import compliance_trend, officer_compliance_from_summary, trend_from_data
from reports.datasets import wilson_interval
from trainings.models import Enrolment, FollowUp
from trainings.selectors import held_q, is_implemented, participants


def pk_panel(user, today: date) -> dict:
    """Context for templates/reports/_pk_panel.html (include it ``with pk_panel=...``).

    The PK's current caseload: compliance over 12 months (clients.compliance) and the latest outcome
    of each participant of a held session (trainings.selectors). A fixed number of queries (two when the office's
    summary row is current).
    """
    from reports.summaries import current_office_summary

    # The office's summary row keeps every PK's months: read it when it is current (one query),
    # otherwise count this PK's caseload directly (never the whole office on a PK's page).
    summary = current_office_summary(user.office, today)
    if summary is not None and "by_officer_month" in summary["compliance"]:
        compliance = trend_from_data(officer_compliance_from_summary(summary, user.username), today)
    else:
        compliance = compliance_trend(user.office, today=today, officer=user)
    labels = dict(FollowUp.Status.choices)
    rows = (
        participants(
            Enrolment.objects.filter(held_q(today, "session__"), client__officer=user, client__office_id=user.office_id)
        )
        .order_by()
        .values("latest_status")
        .annotate(n=Count("pk"))
    )
    counts = {row["latest_status"]: row["n"] for row in rows}
    total = sum(counts.values())
    followed = sum(n for status, n in counts.items() if status)
    implemented = sum(n for status, n in counts.items() if is_implemented(status))
    low, high = wilson_interval(implemented, followed)
    outcomes = [
        {
            "status": code,
            "label": labels[code],
            "participants": counts.get(code, 0),
            "implemented": is_implemented(code),
        }
        for code in labels
        if counts.get(code)
    ]
    return {
        "compliance": compliance,
        "participants": total,
        "followed_up": followed,
        "not_followed_up": counts.get(None, 0),
        "implemented": implemented,
        "rate": rate(implemented, followed),
        "rate_low": low,
        "rate_high": high,
        "outcomes": outcomes,
    }
