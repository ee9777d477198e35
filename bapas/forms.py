"""Forms of the core app: staff accounts, two-factor codes, the access-log filter."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bapas.concurrency import EditConflictMixin
from bapas.models import User
from bapas.staff_access import ASSIGNABLE_ROLES

STAFF_FIELDS = ("username", "first_name", "last_name", "email", "role", "nip", "rank", "position_title", "phone")


def _role_choices():
    return [(value, label) for value, label in User._meta.get_field("role").choices if value in ASSIGNABLE_ROLES]


def _staff_layout(*extra):
    return Layout(
        Div(Div("username", css_class="col-md-6"), Div("role", css_class="col-md-6"), css_class="row"),
        Div(Div("first_name", css_class="col-md-6"), Div("last_name", css_class="col-md-6"), css_class="row"),
        Div(Div("nip", css_class="col-md-6"), Div("rank", css_class="col-md-6"), css_class="row"),
        Div(Div("position_title", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
        "email",
        *extra,
    )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing integer keys beyond what the database column holds.

    ``pk__in`` with such a number raises OverflowError on SQLite (a server error) instead of
    finding nothing; Django guards single-value lookups but not ``__in`` (found by the fuzz tests).
    """

    def _check_values(self, value):
        from django.db import connections, router

        key_field = self.queryset.model._meta.pk if self.to_field_name in (None, "pk") else None
        if key_field is None:
            key_field = self.queryset.model._meta.get_field(self.to_field_name)
        bounds = None
        if key_field.get_internal_type().endswith(("IntegerField", "AutoField")):
            connection = connections[router.db_for_read(self.queryset.model)]
            bounds = connection.ops.integer_field_range(key_field.get_internal_type())
        if bounds and isinstance(value, list | tuple):
            low, high = bounds
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django refuses it as "not a valid value"
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class StaffFormMixin:
    """Shared rules of the create and edit forms: office roles only, usernames unique ignoring case."""

    def _setup_staff_fields(self):
        self.fields["role"].choices = _role_choices()
        self.fields["first_name"].required = True
        self.fields["nip"].help_text = _("18 digits, without spaces.")
        # Django's own Indonesian text ("150 karakter atau sedikit") reads wrongly: ours instead.
        self.fields["username"].help_text = _("Required. At most 150 characters: letters, digits and @ . + - _ only.")

    def clean_nip(self):
        nip = (self.cleaned_data.get("nip") or "").replace(" ", "")
        if nip and (not nip.isdigit() or len(nip) != 18):
            raise ValidationError(_("The NIP must be 18 digits."))
        return nip

    def clean_role(self):
        role = self.cleaned_data.get("role")
        if role not in ASSIGNABLE_ROLES:
            raise ValidationError(_("Choose a role of this office."))
        return role


class StaffCreateForm(StaffFormMixin, UserCreationForm):
    """A new staff member of the admin's office with a temporary password (validators apply)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = STAFF_FIELDS
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_staff_fields()
        self.fields["password1"].label = _("Temporary password")
        self.fields["password2"].label = _("Temporary password (again)")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has {% csrf_token %}
        self.helper.layout = _staff_layout(
            Div(Div("password1", css_class="col-md-6"), Div("password2", css_class="col-md-6"), css_class="row")
        )

    def save(self, commit=True):
        # The admin chose this password: the staff member replaces it at the first sign-in.
        self.instance.must_change_password = True
        return super().save(commit=commit)


class StaffEditForm(EditConflictMixin, StaffFormMixin, forms.ModelForm):
    """Profile and role of a staff member; an admin cannot change their own role here."""

    class Meta:
        model = User
        fields = (*STAFF_FIELDS, "is_active")
        field_classes = {"username": UsernameField}
        labels = {"is_active": _("Active (may sign in)")}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self._setup_staff_fields()
        if actor is not None and actor.pk == self.instance.pk:
            # Keeps the office from locking out its last admin by accident.
            self.fields["role"].disabled = True
            self.fields["is_active"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has {% csrf_token %}
        self.helper.layout = _staff_layout(Field("is_active"))

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This username is already taken."))
        return username


class StaffPasswordResetForm(SetPasswordMixin, forms.Form):
    """The admin sets a new temporary password; the staff member changes it after signing in."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("New temporary password"), label2=_("New temporary password (again)")
    )
    remove_two_factor = forms.BooleanField(
        label=_("Also remove the two-factor authenticator (for a lost phone)"), required=False
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has {% csrf_token %}

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}", "autofocus": True}
        ),
        error_messages={
            "min_length": _("Enter the six digits shown in the authenticator app."),
            "max_length": _("Enter the six digits shown in the authenticator app."),
        },
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has {% csrf_token %}
        if submit_label:
            self.helper.add_input(Submit("submit", submit_label))

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("Enter the six digits shown in the authenticator app."))
        return token


class AccessLogFilterForm(forms.Form):
    """Filters of the access log: who, and from which day to which day (office time)."""

    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["user"].queryset = staff
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.layout = Layout(
            Div("user", css_class="col-sm-4"),
            Div("date_from", css_class="col-sm-3"),
            Div("date_to", css_class="col-sm-3"),
            Div(Submit("filter", _("Filter"), css_class="btn-outline-primary"), css_class="col-sm-2 mb-3"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("The end date may not be before the start date."))
        return cleaned
