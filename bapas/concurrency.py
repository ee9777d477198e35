"""Optimistic locking for edit forms: two people editing the same record never lose a change silently.

The form carries a fingerprint of the fields it edits, as they were when the form was shown. On
submit the record is read again (views load it per request); when one of those fields changed in the
meantime, the form is refused with a conflict message and the user's input stays in the form, so
nothing typed is lost and nothing is overwritten. Changes to fields this form does not edit are not
conflicts (the save writes the freshly read record).

Clients keep their own ``version`` column (clients.forms) because several screens change them.
"""

import hashlib

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

FINGERPRINT_FIELD = "edit_fingerprint"
CONFLICT_MESSAGE = _(
    "Someone else changed this record while you were editing it. Your entries are still in the form: "
    "open the record again in a new tab to see the current values, then save again here if yours "
    "should replace them."
)


def fingerprint(instance, field_names) -> str:
    parts = []
    for name in sorted(field_names):
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: not stored, nothing to compare
            continue
        if getattr(field, "many_to_many", False):
            value = sorted((instance.pk and field.value_from_object(instance)) or [], key=lambda o: getattr(o, "pk", o))
            value = [getattr(o, "pk", o) for o in value]
        else:
            value = field.value_from_object(instance)
            if hasattr(value, "name") and hasattr(value, "storage"):  # file fields
                value = value.name
        parts.append(f"{name}={value!r}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class EditConflictMixin:
    """Mix into a ModelForm (before ``forms.ModelForm``) to refuse stale edits of an existing record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[FINGERPRINT_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.fields[FINGERPRINT_FIELD].initial = self._fingerprint()

    # Forms with a crispy layout render only the fields it names: have them render this hidden one too,
    # whenever the form (in its own __init__) sets its helper.
    @property
    def helper(self):
        return self.__dict__.get("_crispy_helper")

    @helper.setter
    def helper(self, value):
        if value is not None:
            value.render_hidden_fields = True
        self.__dict__["_crispy_helper"] = value

    def _edited_fields(self):
        """The fields the form class edits (Meta.fields: the same on every request, whatever
        ``__init__`` removes for a given user)."""
        declared = self._meta.fields
        if not declared or declared == "__all__":
            declared = [f.name for f in self.instance._meta.concrete_fields if f.editable]
        excluded = set(self._meta.exclude or ())
        return [name for name in declared if name not in excluded]

    def _fingerprint(self) -> str:
        return fingerprint(self.instance, self._edited_fields())

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            shown = self.data.get(self.add_prefix(FINGERPRINT_FIELD)) or ""
            # The instance still holds the record as read for this request (construct_instance runs
            # after clean), i.e. the current database values.
            current = self._fingerprint()
            if shown and shown != current:
                # The next submit compares against what is there now: saving again is a deliberate choice.
                self.data = self.data.copy()
                self.data[self.add_prefix(FINGERPRINT_FIELD)] = current
                raise forms.ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned
