"""``{% submit_once_token %}``: the one-time token of a create form (see bapas.idempotency)."""

from django import template
from django.utils.html import format_html

from bapas.idempotency import FIELD_NAME, issue_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submit_once_token(context):
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, issue_token(user))
