"""Read the audit trail of a record for people: who changed what, when (office time) and from where.

Record pages of every app show it to the Kasi BKD and the Kepala Bapas::

    from bapas.audit import history_for

    context["history"] = history_for(request.user, client)      # None for other roles

    {% include "includes/_history.html" %}                          # renders nothing when None

The trail is read-only: nothing here or in the partial edits history.
"""

import datetime as dt

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _action_label(action: str) -> str:
    return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[action]


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _format(field, value, related_names) -> str:
    """A value as people read it: choice labels, names of related records, Indonesian dates and numbers."""
    if value is None or value == "":
        return "—"
    if field is not None and field.is_relation and field.many_to_one:
        name = related_names.get((field.related_model, value))
        return name if name is not None else _("#%(id)s (deleted)") % {"id": value}
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list):  # many-to-many: rows of the through table
        return _("%(count)s items") % {"count": len(value)}
    return str(value)


def _related_names(model, pairs) -> dict:
    """Names of related records in one query per related model."""
    wanted: dict = {}
    for field_name, value in pairs:
        field = _field(model, field_name)
        if field is not None and field.is_relation and field.many_to_one and value not in (None, ""):
            wanted.setdefault(field.related_model, set()).add(value)
    names = {}
    for related_model, pks in wanted.items():
        for obj in related_model._base_manager.filter(pk__in=pks):
            names[(related_model, obj.pk)] = str(obj)
    return names


def _tracked_field_names(record) -> list[str]:
    return [f.name for f in record.tracked_fields if f.editable]


def _initial_pairs(record) -> list[tuple[str, object]]:
    pairs = []
    for name in _tracked_field_names(record):
        field = _field(type(record).instance_type, name)
        attname = field.attname if field is not None else name
        value = getattr(record, attname, None)
        if value not in (None, "", False):
            pairs.append((name, value))
    return pairs


def history_rows(obj, limit: int = 50) -> list[dict]:
    """The newest ``limit`` history entries of ``obj``, newest first, each a dict with:

    ``when`` (aware datetime in the active time zone: the office's), ``who`` (name or "—" for the
    system), ``username``, ``ip_address``, ``action`` (``created`` / ``changed`` / ``deleted``),
    ``action_label`` (translated), ``reason`` and ``changes``: a list of ``{"field", "old", "new"}``
    with verbose names, choice labels and names of related records (for ``created``, the values
    entered, with ``old`` = None).
    """
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    raw = []
    for index, record in enumerate(records[:limit]):
        action = ACTIONS.get(record.history_type, "changed")
        previous = records[index + 1] if index + 1 < len(records) else None
        if action == "created":
            pairs = [(name, None, value) for name, value in _initial_pairs(record)]
        elif action == "changed" and previous is not None:
            delta = record.diff_against(previous)
            pairs = [(change.field, change.old, change.new) for change in delta.changes]
        else:
            pairs = []
        if action == "changed" and not pairs and not record.history_change_reason and previous is not None:
            continue  # a save that changed no tracked field (e.g. the time of the last sign-in)
        raw.append((record, action, pairs))

    lookups = [(name, value) for _r, _a, pairs in raw for name, old, new in pairs for value in (old, new)]
    names = _related_names(model, lookups)

    rows = []
    for record, action, pairs in raw:
        changes = []
        for name, old, new in sorted(pairs, key=lambda p: _field_order(model, p[0])):
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            changes.append(
                {
                    "field": label[:1].upper() + label[1:],
                    "old": None if action == "created" else _format(field, old, names),
                    "new": _format(field, new, names),
                }
            )
        user = record.history_user
        rows.append(
            {
                "when": timezone.localtime(record.history_date),
                "who": (user.get_full_name() or user.get_username()) if user is not None else "—",
                "username": user.get_username() if user is not None else "",
                "ip_address": record.ip_address or "",
                "action": action,
                "action_label": _action_label(action),
                "reason": _(record.history_change_reason) if record.history_change_reason else "",
                "changes": changes,
            }
        )
    return rows


def _field_order(model, name) -> int:
    names = [f.name for f in model._meta.get_fields() if isinstance(f, models.Field)]
    return names.index(name) if name in names else len(names)


def history_for(user, obj, limit: int = 50) -> list[dict] | None:
    """History rows for the Kasi BKD and the Kepala Bapas; None (the partial shows nothing) for others."""
    if not getattr(user, "is_office_lead", False):
        return None
    return history_rows(obj, limit=limit)
