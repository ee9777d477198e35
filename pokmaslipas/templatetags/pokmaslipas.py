from django import template
from django.utils.formats import number_format

from pokmaslipas.models import Agreement, Scope, split_codes
from pokmaslipas.selectors import PartnerStatus

register = template.Library()

STATUS_CLASSES = {
    Agreement.Status.ACTIVE: "text-bg-success",
    Agreement.Status.EXPIRING: "text-bg-warning",
    Agreement.Status.EXPIRED: "text-bg-secondary",
    Agreement.Status.TERMINATED: "text-bg-danger",
    PartnerStatus.NO_VALID: "text-bg-secondary",
    PartnerStatus.NONE: "text-bg-light border",
}
SCOPE_LABELS = dict(Scope.choices)


@register.inclusion_tag("pokmaslipas/_status_badge.html")
def agreement_badge(status):
    """A coloured badge for an agreement status code."""
    label = Agreement.Status(status).label if status in Agreement.Status.values else status
    return {"label": label, "css": STATUS_CLASSES.get(status, "text-bg-light")}


@register.inclusion_tag("pokmaslipas/_status_badge.html")
def partner_badge(status):
    """A coloured badge for a partner's agreement situation."""
    return {"label": PartnerStatus.labels.get(status, status), "css": STATUS_CLASSES.get(status, "text-bg-light")}


@register.inclusion_tag("pokmaslipas/_status_badge.html")
def level_badge(record):
    """ "Nasional" or "Kanwil Banten" beside a regional or national partner or agreement; nothing for an office's."""
    if record.is_office_level:
        return {"label": ""}
    return {"label": record.owner_name, "css": "text-bg-info pks-level"}


@register.filter
def scope_labels(codes) -> list:
    """Labels of a comma list of scope codes (unknown codes shown as they are)."""
    return [SCOPE_LABELS.get(code, code) for code in split_codes(codes)]


@register.filter
def percent(value) -> str:
    """A 0..1 rate as a percentage with one decimal ("62,5%"), or an em dash without a denominator."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, decimal_pos=1)}%"
