"""Forms validate input and lay it out; the rules live in trainings/services.py."""

import hashlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bapas.concurrency import CONFLICT_MESSAGE, EditConflictMixin
from bapas.forms import ModelMultipleChoiceField
from clients.access import display_name
from clients.models import Client
from pokmaslipas.models import Agreement, Partner, covering_q
from trainings.models import (
    Attendance,
    Enrolment,
    FollowUp,
    PartnerTrainingType,
    TrainingSession,
    TrainingType,
    session_dates_errors,
)
from trainings.services import SESSION_FIELDS

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(submit_label, *layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


class TrainingTypeForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = TrainingType
        fields = ["name", "category"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.helper = _helper(_("Save"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        qs = TrainingType.objects.filter(office=self.office, name__iexact=name).exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("This training type already exists."))
        return name


class PartnerTrainingTypesForm(forms.Form):
    """The training types a partner can deliver, as ticked on the partner page by the Admin.

    Two Admins ticking at the same time never lose a change silently: the form carries a fingerprint
    of the partner's types as shown, and is refused (keeping the ticks) when they changed meanwhile.
    """

    training_types = ModelMultipleChoiceField(
        label=_("Training types it can deliver"),
        queryset=TrainingType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    edit_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.current = sorted(
            PartnerTrainingType.objects.filter(partner=partner).values_list("training_type_id", flat=True)
        )
        self.fields["training_types"].queryset = TrainingType.objects.filter(office_id=partner.office_id).order_by(
            "name"
        )
        self.fields["training_types"].initial = self.current
        self.fields["edit_fingerprint"].initial = self._fingerprint()
        self.helper = FormHelper()
        self.helper.layout = Layout("training_types", "edit_fingerprint", Submit("save", _("Save training types")))

    def _fingerprint(self) -> str:
        return hashlib.sha256(",".join(map(str, self.current)).encode()).hexdigest()[:32]

    def clean(self):
        cleaned = super().clean()
        shown = self.data.get(self.add_prefix("edit_fingerprint")) or ""
        if shown and shown != self._fingerprint():
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_fingerprint")] = self._fingerprint()
            raise forms.ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned


class SessionForm(EditConflictMixin, forms.ModelForm):
    code = forms.CharField(
        label=_("code"),
        max_length=40,
        required=False,
        validators=[RegexValidator(r"^[A-Za-z0-9._-]+$", _("Use letters, digits, dots and dashes only."))],
        help_text=_("Leave empty to number it automatically (PLT-0001)."),
    )

    class Meta:
        model = TrainingSession
        fields = list(SESSION_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "facilitators": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_type"].queryset = TrainingType.objects.filter(office=office)
        # the office's own partners and agreements, and those of its region and the nation
        self.fields["partner"].queryset = Partner.objects.filter(covering_q(office), is_active=True)
        self.fields["agreement"].queryset = Agreement.objects.filter(covering_q(office)).select_related("partner")
        self.fields["agreement"].help_text = _(
            "Required unless you are the Kasi BKD. A warning is shown when it is not valid on the training dates."
        )
        self.fields["certificate_min_attendance"].widget.attrs.update({"min": 0, "max": 100})
        self.helper = _helper(
            _("Save"),
            Row(Column("code", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(Column("training_type", css_class="col-md-6"), Column("method", css_class="col-md-6")),
            Row(Column("partner", css_class="col-md-6"), Column("agreement", css_class="col-md-6")),
            Row(Column("location_kind", css_class="col-md-4"), Column("location", css_class="col-md-8")),
            Row(
                Column("start_date", css_class="col-6 col-md-3"),
                Column("end_date", css_class="col-6 col-md-3"),
                Column("hours_per_day", css_class="col-6 col-md-3"),
                Column("capacity", css_class="col-6 col-md-3"),
            ),
            Row(
                Column("budget", css_class="col-md-4"),
                Column("transport_per_day", css_class="col-md-4"),
                Column("souvenir", css_class="col-md-4"),
            ),
            Row(
                Column("issues_certificate", css_class="col-md-6"),
                Column("certificate_min_attendance", css_class="col-md-6"),
            ),
            "facilitators",
            "notes",
        )

    def clean_certificate_min_attendance(self):
        value = self.cleaned_data["certificate_min_attendance"]
        if value is not None and value > 100:
            raise forms.ValidationError(_("Enter a percentage from 0 to 100."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        for field, error in session_dates_errors(start, end).items():  # the model's rule, shown before saving
            self.add_error(field, error)
        partner, agreement = data.get("partner"), data.get("agreement")
        if partner and agreement and agreement.partner_id != partner.pk:
            self.add_error("agreement", _("This agreement (PKS) belongs to another partner."))
        return data

    def _post_clean(self):
        # The service validates the whole model (with its office) and reports errors itself.
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Cancellation reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cancel the training"))
        self.helper.inputs[0].field_classes = "btn btn-danger"


class EnrolForm(forms.Form):
    clients = ModelMultipleChoiceField(
        label=_("Clients"), queryset=Client.objects.none(), widget=forms.SelectMultiple(attrs={"size": 10})
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(Enrolment.Status.REGISTERED, _("Registered")), (Enrolment.Status.INVITED, _("Invited"))],
        initial=Enrolment.Status.REGISTERED,
    )
    motivation = forms.TypedChoiceField(
        label=_("motivation and interest"),
        choices=[("", "—"), *Enrolment.Motivation.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Your rating before the training; it cannot be changed once the training starts."),
    )

    def __init__(self, *args, clients, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients
        self.fields["clients"].label_from_instance = lambda c: f"{display_name(user, c)} ({c.register_number})"
        self.fields["clients"].error_messages["invalid_choice"] = _(
            "%(value)s is not one of the clients you may enrol (an active client of the office; for a PK, "
            "of your caseload)."
        )
        self.helper = _helper(_("Enrol"))


class WithdrawForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(Enrolment.Status.WITHDRAWN, _("Withdrawn")), (Enrolment.Status.CANCELLED, _("Cancelled"))],
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Withdraw"))
        self.helper.inputs[0].field_classes = "btn btn-outline-danger"


class AttendanceForm(forms.Form):
    """One row per enrolment: status (present by default) and transport money paid."""

    counts_as_report = forms.BooleanField(
        label=_("This day counts as the wajib lapor of the clients present (mode: during an activity)"),
        required=False,
    )

    def __init__(self, *args, enrolments, existing, default_transport, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for enrolment in enrolments:
            saved = existing.get(enrolment.pk)
            status_name, transport_name = f"status_{enrolment.pk}", f"transport_{enrolment.pk}"
            self.fields[status_name] = forms.ChoiceField(
                label=enrolment.client.name,
                choices=Attendance.Status.choices,
                initial=saved.status if saved else Attendance.Status.PRESENT,
                widget=forms.RadioSelect,
            )
            self.fields[transport_name] = forms.IntegerField(
                label=_("Transport (Rp)"),
                min_value=0,
                required=False,
                initial=saved.transport_paid if saved else None,
                widget=forms.NumberInput(attrs={"placeholder": default_transport, "class": "form-control-sm"}),
            )
            self.rows.append(
                {
                    "enrolment": enrolment,
                    "saved": saved,
                    "status": self[status_name],
                    "transport": self[transport_name],
                }
            )

    def row_data(self) -> list[dict]:
        return [
            {
                "enrolment": row["enrolment"].pk,
                "status": self.cleaned_data[f"status_{row['enrolment'].pk}"],
                "transport_paid": self.cleaned_data[f"transport_{row['enrolment'].pk}"],
            }
            for row in self.rows
        ]


class FollowUpForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "status", "income", "reason", "notes", "photo"]
        widgets = {
            "date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["reason"].help_text = _("Required when the skill is not applied yet.")
        self.fields["photo"].help_text = _("Optional evidence: JPEG, PNG or WebP, at most 5 MB. Kept private.")
        self.helper = _helper(
            _("Save follow-up"),
            Row(Column("date", css_class="col-md-4"), Column("status", css_class="col-md-8")),
            Row(Column("income", css_class="col-md-6"), Column("reason", css_class="col-md-6")),
            "notes",
            "photo",
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB. Choose a smaller picture."))
        content_type = getattr(getattr(photo, "image", None), "get_format_mimetype", lambda: None)()
        if content_type not in PHOTO_TYPES:
            raise forms.ValidationError(_("The photo must be a JPEG, PNG or WebP picture."))
        return photo

    def _post_clean(self):
        # The service builds and validates the follow-up (it needs the enrolment).
        pass


# --- list filters (GET): the session list page and the XLSX exports read the same forms ------------
YEAR_BOUNDS = {"min_value": 1, "max_value": 9999}


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_BOUNDS)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *TrainingSession.Status.choices]
    )


class EnrolmentFilterForm(forms.Form):
    """Participants: the session list's ``q`` and ``year`` (of the session) plus the session's code."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_BOUNDS)
    session = forms.CharField(label=_("code"), required=False, max_length=40)


class FollowUpFilterForm(forms.Form):
    """Follow-ups: the session's code, the outcome, the year of the follow-up, a name or title."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_BOUNDS)
    session = forms.CharField(label=_("code"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "-"), *FollowUp.Status.choices])


class CertificateCheckForm(forms.Form):
    """The public check of a certificate: its number and the holder's name as printed."""

    number = forms.CharField(label=_("Certificate number"), max_length=60)
    name = forms.CharField(label=_("Holder's name as printed on the certificate"), max_length=150)
