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
from bapas.forms import ModelMultipleChoiceField
from bapas.models import Office, Role, User
from clients.access import has_caseload
from clients.models import (
    Client,
    ExcusedAbsence,
    ReportingVisit,
    ReportingWarning,
    RevocationProposal,
    StatusChange,
    TPPCase,
    WorkStatus,
)
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
        # Suspension has its own path (the Kepala Bapas, on a TPP's recommendation).
        self.fields["status"].choices = [
            c for c in Client.Status.choices if c[0] not in (client.status, Client.Status.SUSPENDED)
        ]
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
    """Issue a surat peringatan. Opened from the worklist (``?level=SP2``) it comes filled with the
    level due and the run of missed periods."""

    missed = forms.MultipleChoiceField(
        label=_("Missed periods it answers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportingWarning
        fields = ["level", "issued_on", "number", "reason", "order_reason"]
        widgets = {
            "issued_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "order_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, client, missed_periods, proposed_level=None, proposed_missed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missed"].choices = [(p.label, period_code_label(p.label)) for p in missed_periods]
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate(timezone=client.office.tzinfo))
            if proposed_level in ReportingWarning.Level.values:
                self.initial.setdefault("level", proposed_level)
            issued = set(client.warnings.values_list("level", flat=True))
            for level in ReportingWarning.Level.values:
                if level not in issued:
                    self.initial.setdefault("level", level)
                    break
            known = {p.label for p in missed_periods}
            chosen = [code for code in proposed_missed if code in known]
            if chosen:
                self.initial.setdefault("missed", chosen)
        if not missed_periods:
            self.fields["missed"].help_text = _("No missed periods so far.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("level", "issued_on"),
            "number",
            "reason",
            "missed",
            "order_reason",
            Submit("save", _("Issue and print the letter"), css_class="btn-warning"),
        )


EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def evidence_extension(upload) -> str | None:
    """``pdf``, ``jpg``, ``png`` or ``webp`` judged by the content (never the name); None for anything else."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    from PIL import Image

    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except Exception:  # Pillow raises many kinds of errors on a file that is not a picture
        return None
    finally:
        upload.seek(0)
    return EVIDENCE_TYPES.get(kind)


class ExcuseWithdrawForm(forms.Form):
    """Withdraw an excused absence recorded by mistake: the reason is required."""

    reason = forms.CharField(
        label=_("Why is it withdrawn?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("reason", Submit("save", _("Withdraw the excused absence"), css_class="btn-danger"))


class ExcuseForm(forms.ModelForm):
    """Record an excused absence (izin) with its evidence."""

    class Meta:
        model = ExcusedAbsence
        fields = ["date_from", "date_to", "kind", "reason", "evidence"]
        widgets = {
            "date_from": DateInput(),
            "date_to": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "A doctor's or employer's letter: PDF, JPEG, PNG or WebP, at most 5 MB. Kept private."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("date_from", "date_to", "kind"),
            "reason",
            "evidence",
            Submit("save", _("Record excused absence"), css_class="btn-primary"),
        )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload or not hasattr(upload, "content_type"):
            return upload
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The evidence is larger than 5 MB. Choose a smaller file."))
        extension = evidence_extension(upload)
        if extension is None:
            raise forms.ValidationError(_("The evidence must be a PDF or a JPEG, PNG or WebP picture."))
        upload.name = f"izin-{uuid.uuid4().hex[:12]}.{extension}"
        return upload

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not (PROGRAMME_EARLIEST <= value <= PROGRAMME_LATEST):
                self.add_error(
                    name,
                    _("Enter a date between %(earliest)s and %(latest)s.")
                    % {"earliest": date_format(PROGRAMME_EARLIEST), "latest": date_format(PROGRAMME_LATEST)},
                )
        if start and end and end < start:
            self.add_error("date_to", _("The end of an excused absence cannot be before its start."))
        return data


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


# --- TPP, suspension, decision ---------------------------------------------------------------


class StaffChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class ClientChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.register_number})"


class TPPSessionForm(forms.Form):
    """The Kasi schedules a TPP session: date, place, members from the office's staff, the cases."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    members = StaffChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    clients = ClientChoiceField(
        label=_("Cases (clients)"), queryset=Client.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, office, member_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            office=office, role__in=member_roles, is_active=True
        ).order_by("role", "first_name", "username")
        self.fields["clients"].queryset = Client.objects.filter(
            office=office, status=Client.Status.ACTIVE, is_archived=False
        ).order_by("name", "id")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("date", "place"), "members", "clients", Submit("save", _("Schedule session"), css_class="btn-primary")
        )


class TPPMinutesForm(forms.Form):
    """The minutes of a TPP session: who attended, and per case the findings and the recommendation."""

    attendees = StaffChoiceField(
        label=_("Present"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes of the session"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = session.members.order_by("role", "first_name", "username")
        self.cases = list(session.cases.select_related("client"))
        layout = ["attendees"]
        for case in self.cases:
            self.fields[f"findings_{case.pk}"] = forms.CharField(
                label=_("Findings: %(name)s") % {"name": case.client.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=case.findings,
            )
            self.fields[f"recommendation_{case.pk}"] = forms.ChoiceField(
                label=_("Recommendation"),
                choices=[("", "---------"), *TPPCase.Recommendation.choices],
                required=False,
                initial=case.recommendation,
            )
            self.fields[f"note_{case.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=2000, initial=case.note
            )
            layout += [f"findings_{case.pk}", _row(f"recommendation_{case.pk}", f"note_{case.pk}")]
        if not self.is_bound:
            self.initial.setdefault("attendees", list(session.attendees.all()) or list(session.members.all()))
            self.initial.setdefault("notes", session.notes)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, "notes", Submit("save", _("Save the minutes"), css_class="btn-primary"))

    def case_data(self) -> dict:
        return {
            case.pk: {
                "findings": self.cleaned_data.get(f"findings_{case.pk}", ""),
                "recommendation": self.cleaned_data.get(f"recommendation_{case.pk}", ""),
                "note": self.cleaned_data.get(f"note_{case.pk}", ""),
            }
            for case in self.cases
        }


class SuspendForm(forms.Form):
    date = forms.DateField(label=_("Suspended from"), widget=DateInput())
    grounds = forms.CharField(
        label=_("Further grounds"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate(timezone=client.office.tzinfo))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "date", "grounds", Submit("save", _("Suspend and propose revocation"), css_class="btn-danger")
        )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = RevocationProposal
        fields = ["decision", "decree_number", "decree_date", "decision_note"]
        widgets = {"decree_date": DateInput(), "decision_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            c for c in RevocationProposal.Decision.choices if c[0] != RevocationProposal.Decision.PENDING
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "decision",
            _row("decree_number", "decree_date"),
            "decision_note",
            Submit("save", _("Record the decision"), css_class="btn-primary"),
        )


# --- transfers (pelimpahan) --------------------------------------------------------------------


class TransferForm(forms.Form):
    """The sending office proposes a transfer; the rules (dates, status, one open proposal) are the service's."""

    to_office = forms.ModelChoiceField(label=_("Receiving Bapas"), queryset=Office.objects.none())
    transfer_date = forms.DateField(label=_("Transfer date"), widget=DateInput())
    letter_number = forms.CharField(label=_("Letter number"), max_length=100)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = Office.objects.exclude(pk=client.office_id).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("transfer_date", timezone.localdate(timezone=client.office.tzinfo))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("to_office", "transfer_date"),
            "letter_number",
            "reason",
            Submit("save", _("Propose the transfer"), css_class="btn-primary"),
        )


class TransferAcceptForm(forms.Form):
    """The receiving office takes the client over: its PK and its own register number."""

    officer = OfficerChoiceField(label=_("PK in your office"), queryset=User.objects.none())
    register_number = forms.CharField(label=_("Register number in your office"), max_length=50)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_pks(office)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _row("officer", "register_number"), Submit("accept", _("Accept the transfer"), css_class="btn-primary")
        )


class TransferRejectForm(forms.Form):
    decision_reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "decision_reason", Submit("reject", _("Reject the transfer"), css_class="btn-danger")
        )
