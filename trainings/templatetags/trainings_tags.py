"""The trainings' blocks on pages of the apps below (the client page, the partner page).

Those apps know nothing of trainings: their templates load this library and call a tag, and the
tag fetches what it shows.
"""

from django import template
from django.utils import timezone

from trainings import selectors
from trainings.models import TrainingType
from trainings.worklist import client_trainings

register = template.Library()


@register.inclusion_tag("trainings/_client_trainings.html", takes_context=True)
def client_trainings_table(context, client):
    """The client's trainings with days attended and the latest outcome (two queries)."""
    return {"client_trainings": client_trainings(client), "user": context.get("user")}


@register.inclusion_tag("trainings/_partner_training_types.html")
def partner_training_types(partner, can_write=False):
    """The training types a partner can deliver, with the Admin's link to change them (one query)."""
    return {
        "partner": partner,
        "training_types": list(TrainingType.objects.filter(partners=partner).order_by("name")),
        "can_write": can_write,
    }


@register.inclusion_tag("trainings/_partner_trainings.html")
def partner_trainings_section(partner):
    """The sessions a partner delivered with their figures and totals (a fixed number of queries)."""
    sessions, totals = selectors.partner_trainings(partner)
    return {"sessions": sessions, "totals": totals}


@register.inclusion_tag("trainings/_agreement_trainings.html")
def agreement_trainings_section(agreement):
    """The sessions run under an agreement (one query)."""
    return {"sessions": selectors.agreement_sessions(agreement)}


@register.inclusion_tag("pokmaslipas/_alerts.html")
def agreement_alerts(office):
    """Agreements ending soon and planned trainings without a valid agreement, for an office (three queries)."""
    return {"alerts": selectors.expiry_alerts(office, timezone.localdate())}
