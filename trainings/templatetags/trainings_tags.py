"""The trainings' blocks on pages of the apps below (the client page, the partner page).

Those apps know nothing of trainings: their templates load this library and call a tag, and the
tag fetches what it shows.
"""

from django import template

from trainings.worklist import client_trainings

register = template.Library()


@register.inclusion_tag("trainings/_client_trainings.html", takes_context=True)
def client_trainings_table(context, client):
    """The client's trainings with days attended and the latest outcome (two queries)."""
    return {"client_trainings": client_trainings(client), "user": context.get("user")}
