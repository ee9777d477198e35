from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bapas.concurrency import EditConflictMixin
from pokmaslipas.models import Agreement, Partner, Scope, split_codes
from pokmaslipas.selectors import PartnerStatus
from pokmaslipas.validators import validate_pdf


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScopeField(forms.MultipleChoiceField):
    """The comma-separated scope codes as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Scope.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return split_codes(value) if isinstance(value, str) else value


def owner_fields(owner) -> dict:
    """``level``, ``office`` and ``region`` of an owner: a dict (``access.owner_of``) or a record."""
    if isinstance(owner, dict):
        return {"level": owner["level"], "office": owner["office"], "region": owner["region"]}
    return {"level": owner.level, "office": owner.office, "region": owner.region}


def join_codes(codes) -> str:
    order = [value for value, _label in Scope.choices]
    return ",".join(sorted(set(codes), key=order.index))


class PartnerForm(EditConflictMixin, forms.ModelForm):
    offers = ScopeField(label=_("Guidance offered"))

    class Meta:
        model = Partner
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "contact_person",
            "phone",
            "email",
            "offers",
            "notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"code": _("Short code, unique in this office (used by the workbook import).")}

    def __init__(self, *args, owner, **kwargs):
        """``owner``: where the partner belongs (``access.owner_of(user)``, or the partner itself)."""
        super().__init__(*args, **kwargs)
        self.owner = owner_fields(owner)
        for name, value in self.owner.items():
            setattr(self.instance, name, value)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-md-3"),
                Column("name", css_class="col-md-6"),
                Column("kind", css_class="col-md-3"),
            ),
            Fieldset(
                _("Contact"),
                "address",
                Row(
                    Column("contact_person", css_class="col-md-4"),
                    Column("phone", css_class="col-md-4"),
                    Column("email", css_class="col-md-4"),
                ),
            ),
            "offers",
            "notes",
            "is_active",
            Submit("save", _("Save partner")),
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Partner.objects.filter(**self.owner, code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This partner code is already used in this office."))
        return code

    def clean_offers(self):
        return join_codes(self.cleaned_data["offers"])


class AgreementForm(EditConflictMixin, forms.ModelForm):
    scope = ScopeField(label=_("Scope"))

    class Meta:
        model = Agreement
        fields = [
            "partner",
            "kind",
            "number",
            "partner_number",
            "title",
            "signed_on",
            "start_date",
            "end_date",
            "scope",
            "bapas_signatory",
            "bapas_signatory_title",
            "partner_signatory",
            "partner_signatory_title",
            "document",
            "notes",
        ]
        widgets = {
            "signed_on": DateInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "document": forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, owner, partner=None, submit_label=None, **kwargs):
        """``owner``: where the agreement belongs (``access.owner_of(user)``, or a record of that owner)."""
        super().__init__(*args, **kwargs)
        self.owner = owner_fields(owner)
        for name, value in self.owner.items():
            setattr(self.instance, name, value)
        self.fixed_partner = partner
        if partner is not None:
            del self.fields["partner"]
            self.instance.partner = partner
        else:
            self.fields["partner"].queryset = Partner.objects.filter(**self.owner).order_by("name")
        document = self.fields["document"]
        document.validators.append(validate_pdf)
        document.help_text = _("PDF only, at most 10 MB. A new file keeps the previous one in the history.")
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            *(["partner"] if partner is None else []),
            Row(
                Column("kind", css_class="col-md-4"),
                Column("number", css_class="col-md-4"),
                Column("partner_number", css_class="col-md-4"),
            ),
            "title",
            Row(
                Column("signed_on", css_class="col-md-4"),
                Column("start_date", css_class="col-md-4"),
                Column("end_date", css_class="col-md-4"),
            ),
            "scope",
            Fieldset(
                _("Signatories"),
                Row(
                    Column("bapas_signatory", css_class="col-md-6"),
                    Column("bapas_signatory_title", css_class="col-md-6"),
                ),
                Row(
                    Column("partner_signatory", css_class="col-md-6"),
                    Column("partner_signatory_title", css_class="col-md-6"),
                ),
            ),
            "document",
            "notes",
            Submit("save", submit_label or _("Save agreement")),
        )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if Agreement.objects.filter(**self.owner, number__iexact=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An agreement with this number already exists."))
        return number

    def clean_scope(self):
        return join_codes(self.cleaned_data["scope"])

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            # A fresh, unguessable name: a replaced scan is never overwritten and the
            # history row keeps pointing at the previous file.
            number = self.cleaned_data.get("number") or self.instance.number or "pks"
            document.name = f"pks-{slugify(number)[:60] or 'dokumen'}-{get_random_string(10).lower()}.pdf"
        return document

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class RenewalForm(AgreementForm):
    """A renewal or addendum: a new agreement prefilled from the one it renews."""

    KIND_CHOICES = [
        (Agreement.Kind.PKS, _("Renewal (new PKS)")),
        (Agreement.Kind.MOU, _("Renewal (new MoU)")),
        (Agreement.Kind.ADDENDUM, _("Addendum")),
    ]

    def __init__(self, *args, original: Agreement, **kwargs):
        kwargs.setdefault("submit_label", _("Save renewal"))
        super().__init__(*args, owner=original, partner=original.partner, **kwargs)
        self.original = original
        self.fields["kind"].choices = self.KIND_CHOICES
        if not self.is_bound:
            start = original.end_date + timedelta(days=1)
            length = original.end_date - original.start_date
            for name, value in {
                "kind": Agreement.Kind.PKS if original.kind == Agreement.Kind.ADDENDUM else original.kind,
                "title": original.title,
                "signed_on": None,
                "start_date": start,
                "end_date": start + length,
                "scope": original.scope,
                "bapas_signatory": original.bapas_signatory,
                "bapas_signatory_title": original.bapas_signatory_title,
                "partner_signatory": original.partner_signatory,
                "partner_signatory_title": original.partner_signatory_title,
            }.items():
                self.initial[name] = value

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start and start < self.original.start_date:
            self.add_error("start_date", _("A renewal cannot start before the agreement it renews."))
        return cleaned


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["terminated_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Partner.Kind.choices])
    offer = forms.ChoiceField(label=_("Offers"), required=False, choices=[("", _("All offers")), *Scope.choices])
    status = forms.ChoiceField(
        label=_("Agreement"), required=False, choices=[("", _("Any agreement status")), *PartnerStatus.choices]
    )


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Agreement.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Agreement.Kind.choices])
