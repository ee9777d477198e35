from django import template

from clients.access import display_name

register = template.Library()


@register.filter
def client_name(client, user):
    """The client's name, or its initials for a child seen by anyone but its own PK."""
    return display_name(user, client)


@register.filter
def percent(value):
    """0.8333 -> "83%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%"
