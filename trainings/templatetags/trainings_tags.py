"""The trainings' blocks on pages of the apps below (the client page, the partner page).

Those apps know nothing of trainings: their templates load this library and call a tag, and the
tag fetches what it shows.
"""

from django import template
from django.utils import timezone

from pokmaslipas.access import office_ids_of
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
def partner_trainings_section(partner, user):
    """The sessions a partner delivered with their figures and totals (a fixed number of queries): of
    the user's office, or of the offices under an Admin Kanwil or Ditjenpas (``office_ids_of``)."""
    office_ids = office_ids_of(user) if not partner.is_office_level else None
    sessions, totals = selectors.partner_trainings(partner, office_ids=office_ids)
    return {
        "sessions": sessions,
        "totals": totals,
        "show_office": not partner.is_office_level,
        "user_office_id": user.office_id,  # another office's session is named, not linked (it is a 404)
    }


@register.inclusion_tag("trainings/_agreement_trainings.html")
def agreement_trainings_section(agreement, user):
    """The sessions run under an agreement (one query): of the user's office, or of the offices under an
    Admin Kanwil or Ditjenpas (``office_ids_of``)."""
    office_ids = office_ids_of(user) if not agreement.is_office_level else None
    return {
        "sessions": selectors.agreement_sessions(agreement, office_ids=office_ids),
        "show_office": not agreement.is_office_level,
        "user_office_id": user.office_id,
    }


@register.inclusion_tag("pokmaslipas/_alerts.html")
def agreement_alerts(office):
    """Agreements ending soon and planned trainings without a valid agreement, for an office (three queries)."""
    return {"alerts": selectors.expiry_alerts(office, timezone.localdate())}
