"""Forms validate input and lay it out; the rules live in clients/services.py."""

import uuid
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bapas.formatting import period_code_label
from bapas.models import Role, User
from clients.access import has_caseload
from clients.models import Client, ReportingVisit, ReportingWarning, StatusChange, WorkStatus
from clients.services import EDITABLE_FIELDS

# Programme dates outside these are typing errors (a year 1 start made every period since then due).
PROGRAMME_EARLIEST = date(1970, 1, 1)
PROGRAMME_LATEST = date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def office_pks(office):
    return User.objects.filter(office=office, role=Role.PK, is_active=True).order_by("first_name", "username")


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _row(*names, size=None):
    return Row(*[Column(name, css_class=f"col-md-{size or 12 // len(names)}") for name in names])


class ClientForm(forms.ModelForm):
    """Register or edit a client. ``version`` carries the edit's starting point (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    officer = OfficerChoiceField(label=_("Responsible PK"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Client
        fields = EDITABLE_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "programme_start": DateInput(),
            "programme_end": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "skills": forms.Textarea(attrs={"rows": 2}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
        }

    def __init__(self, *args, office, with_officer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.instance.office = office
        if with_officer:
            self.fields["officer"].queryset = office_pks(office)
        else:
            del self.fields["officer"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["interests"].help_text = _("Comma-separated, e.g. kuliner, kecantikan.")
        self.fields["work_status_start"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        identity = [
            _row("register_number", "name"),
            _row("nik", "sex"),
            _row("birth_place", "birth_date"),
            "address",
            _row("phone", "religion"),
            _row("education", "marital_status", "dependants"),
            _row("previous_occupation", "domicile", "is_employed"),
            "work_status_start",
        ]
        programme = [
            _row("programme", "reporting_frequency"),
            _row("programme_start", "programme_end"),
            _row("origin_institution_type", "origin_institution"),
            _row("offence", "sentence"),
            "sensitive_category",
        ]
        if with_officer:
            programme.append("officer")
        self.helper.layout = Layout(
            "version",
            Fieldset(_("Identity"), *identity),
            Fieldset(_("Programme"), *programme),
            Fieldset(_("Guarantor"), _row("guarantor_name", "guarantor_relation", "guarantor_phone")),
            Fieldset(_("Interests and skills"), "interests", "skills"),
        )

    def clean_work_status_start(self):
        return self.cleaned_data.get("work_status_start") or WorkStatus.UNKNOWN

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").strip().replace(" ", "")
        return nik or None

    def clean(self):
        data = super().clean()
        start, end = data.get("programme_start"), data.get("programme_end")
        for name, value in (("programme_start", start), ("programme_end", end)):
            if value and not (PROGRAMME_EARLIEST <= value <= PROGRAMME_LATEST):
                self.add_error(
                    name,
                    _("Enter a date between %(earliest)s and %(latest)s.")
                    % {"earliest": date_format(PROGRAMME_EARLIEST), "latest": date_format(PROGRAMME_LATEST)},
                )
        if start and end and end < start:
            self.add_error("programme_end", _("The programme end date cannot be before its start date."))
        return data


class VisitForm(forms.ModelForm):
    """Record a wajib lapor: everything but the note is pre-filled, so Save is one click away."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    received_by = OfficerChoiceField(label=_("Received by"), queryset=User.objects.none(), required=False)

    class Meta:
        model = ReportingVisit
        fields = [
            "reported_at",
            "mode",
            "received_by",
            "topics",
            "notes",
            "condition",
            "condition_notes",
            "work_status",
            "income_band",
            "next_due_date",
        ]
        widgets = {
            "reported_at": DateTimeInput(),
            "next_due_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3, "autofocus": True}),
        }

    def __init__(self, *args, client, user, **kwargs):
        super().__init__(*args, **kwargs)
        from clients.services import last_known_work_status, propose_next_due

        self.client = client
        self.fields["reported_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["received_by"].queryset = User.objects.filter(office_id=client.office_id, is_active=True).exclude(
            role=Role.REGIONAL
        )
        if not self.is_bound:
            now = timezone.localtime(timezone.now(), client.office.tzinfo).replace(second=0, microsecond=0)
            self.initial.setdefault("reported_at", now)
            self.initial.setdefault("received_by", user.pk)
            self.initial.setdefault("next_due_date", propose_next_due(client, now.date()))
            self.initial.setdefault("work_status", last_known_work_status(client))
            self.initial.setdefault("token", uuid.uuid4().hex)
        self.fields["next_due_date"].help_text = _("Proposed from the reporting frequency; change it if needed.")
        self.fields["work_status"].required = False
        self.fields["work_status"].help_text = _(
            "What the client does for a living now; the last one known is filled in."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "token",
            Field("notes"),
            _row("reported_at", "mode"),
            _row("work_status", "income_band"),
            _row("received_by", "next_due_date"),
            "topics",
            _row("condition", "condition_notes"),
            Submit("save", _("Save"), css_class="btn-primary btn-lg"),
        )

    def clean_work_status(self):
        return self.cleaned_data.get("work_status") or WorkStatus.UNKNOWN

    def clean_reported_at(self):
        value = self.cleaned_data["reported_at"]
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, self.client.office.tzinfo)
        elif value is not None:
            # The browser's wall clock is the office's: read it in the office's zone.
            value = timezone.make_aware(value.replace(tzinfo=None), self.client.office.tzinfo)
        return value


class StatusChangeForm(forms.ModelForm):
    class Meta:
        model = StatusChange
        fields = ["status", "date", "reason", "transferred_to"]
        widgets = {"date": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Client.Status.choices if c[0] != client.status]
        self.fields["transferred_to"].help_text = _("Only for a transfer (pelimpahan).")
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate(timezone=client.office.tzinfo))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("status", "date"),
            "reason",
            "transferred_to",
            Submit("save", _("Save status"), css_class="btn-primary"),
        )


class ReassignForm(forms.Form):
    officer = OfficerChoiceField(label=_("New PK"), queryset=User.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        pks = office_pks(client.office)
        if client.officer_id:
            pks = pks.exclude(pk=client.officer_id)
        self.fields["officer"].queryset = pks
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate(timezone=client.office.tzinfo))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("officer", "start_date"), Submit("save", _("Assign PK"), css_class="btn-primary")
        )


class WarningForm(forms.ModelForm):
    missed = forms.MultipleChoiceField(
        label=_("Missed periods it answers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportingWarning
        fields = ["level", "issued_on", "number", "reason"]
        widgets = {"issued_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, client, missed_periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missed"].choices = [(p.label, period_code_label(p.label)) for p in missed_periods]
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate(timezone=client.office.tzinfo))
            issued = set(client.warnings.values_list("level", flat=True))
            for level in ReportingWarning.Level.values:
                if level not in issued:
                    self.initial.setdefault("level", level)
                    break
        if not missed_periods:
            self.fields["missed"].help_text = _("No missed periods so far.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("level", "issued_on"),
            "number",
            "reason",
            "missed",
            Submit("save", _("Issue warning"), css_class="btn-warning"),
        )


class ClientFilterForm(forms.Form):
    """Search and filters of the client list (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    officer = forms.ModelChoiceField(label=_("PK"), required=False, queryset=User.objects.none())
    ending = forms.BooleanField(label=_("Ending within 30 days"), required=False)
    archived = forms.BooleanField(label=_("Archived"), required=False)
    # The list opens on the active clients. That status is a default, not a choice: while it is
    # untouched (this marker), a name typed into the search looks at every client. The page and
    # its export read it through this form, so both give the same rows.
    status_default = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, register number or NIK")
        self.fields["programme"].choices = [("", _("All programmes")), *Client.Programme.choices]
        self.fields["status"].choices = [("", _("All statuses")), *Client.Status.choices]
        if has_caseload(user):
            del self.fields["officer"]
        else:
            self.fields["officer"].queryset = office_pks(user.office_id)
            self.fields["officer"].empty_label = _("All PKs")
            self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.pop("status_default", False) and data.get("q") and data.get("status") == Client.Status.ACTIVE:
            data["status"] = ""
        return data


class ReportingVisitFilterForm(forms.Form):
    """Filters of the wajib lapor export (GET): ``from``, ``to``, ``mode``, ``client`` (id) and ``q``."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    mode = forms.ChoiceField(label=_("mode"), required=False, choices=[("", "-"), *ReportingVisit.Mode.choices])
    client = forms.IntegerField(label=_("client"), required=False, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are the parameters' names (Python keywords, so not class attributes)
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        data["date_from"], data["date_to"] = data.pop("from", None), data.pop("to", None)
        return data
