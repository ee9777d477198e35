"""The report filters: office where allowed, a period (year, quarter, month or two dates), partner, type."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from bapas.access import offices_visible_to, regions_visible_to
from bapas.formatting import quarter_label
from bapas.models import Role
from pokmaslipas.models import Level, Partner
from reports.access import sees_all_offices
from reports.periods import Period, month_period, quarter_period, validate_period, year_period
from trainings.models import TrainingType

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


# The period kinds each field belongs to: static/js/reports.js shows only those of the chosen kind.
PERIOD_FIELDS = {
    "year": ("year", "quarter", "month"),
    "quarter": ("quarter",),
    "month": ("month",),
    "date_from": ("range",),
    "date_to": ("range",),
}


def _period_class(name: str) -> str:
    kinds = PERIOD_FIELDS.get(name)
    return " ".join(["js-period-field", *(f"period-{kind}" for kind in kinds)]) if kinds else ""


class ReportFilterForm(forms.Form):
    PERIOD_KINDS = [("year", _("Year")), ("quarter", _("Quarter")), ("month", _("Month")), ("range", _("Dates"))]

    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, lazy(quarter_label, str)(q)) for q in range(1, 5)], coerce=int, required=False
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    training_type = forms.ModelChoiceField(
        label=_("Training type"), queryset=TrainingType.objects.none(), required=False
    )
    signer = forms.ChoiceField(
        label=_("Signed by (PDF)"),
        choices=[("head", _("Kepala Bapas")), ("kasi", _("Kasi BKD"))],
        required=False,
        initial="head",
    )

    def __init__(self, *args, user, filters=("partner", "training_type"), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["month"].initial = today.month
        offices = offices_visible_to(user)
        if sees_all_offices(user):
            self.fields["office"].choices = [("", _("All offices")), *[(o.code, o.name) for o in offices]]
        else:
            del self.fields["office"]
        if user.role == Role.NATIONAL:
            regions = regions_visible_to(user)
            self.fields["region"].choices = [("", _("All regions")), *[(r.code, r.name) for r in regions]]
        else:
            del self.fields["region"]
        office_ids = visible_ids = offices.values("pk")
        if sees_all_offices(user):
            # A partner or training type of an office is that office's own: a viewer picks the office
            # first (thousands of them nationwide), and meanwhile sees the regional and national partners.
            chosen = self.data.get("office") if self.is_bound else None
            office_ids = offices.filter(code=chosen).values("pk") if chosen else offices.none().values("pk")
        if "partner" in filters:
            # the offices' own partners and the regional and national ones over them
            above = Q(level=Level.NATION) | Q(level=Level.REGION, region__offices__in=visible_ids)
            self.fields["partner"].queryset = (
                Partner.objects.filter(Q(office__in=office_ids) | above).distinct().order_by("name")
            )
            if sees_all_offices(user):
                self.fields["partner"].help_text = _("Choose an office first to list its own partners.")
        else:
            del self.fields["partner"]
        if "training_type" in filters:
            self.fields["training_type"].queryset = TrainingType.objects.filter(office__in=office_ids).order_by("name")
            if sees_all_offices(user):
                self.fields["training_type"].help_text = _("Choose an office first to list its training types.")
        else:
            del self.fields["training_type"]
        if sees_all_offices(user):
            del self.fields["signer"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "report-filters"
        self.helper.layout = Layout(
            Row(*[Column(name, css_class=f"col-6 col-md-3 col-lg-2 {_period_class(name)}") for name in self.fields]),
            Submit("", _("Show"), css_class="btn btn-primary"),
        )

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "year"
        year = data.get("year") or timezone.localdate().year
        try:
            if kind == "year":
                period = year_period(year)
            elif kind == "quarter":
                period = quarter_period(year, data.get("quarter") or 1)
            elif kind == "month":
                period = month_period(year, data.get("month") or 1)
            else:
                if not data.get("date_from") or not data.get("date_to"):
                    raise forms.ValidationError(_("Enter both the start and the end of the period."))
                period = Period(data["date_from"], data["date_to"])
            data["period_obj"] = validate_period(period.date_from, period.date_to)
        except forms.ValidationError:
            raise
        return data

    @property
    def office_code(self) -> str | None:
        if "office" not in self.fields:
            return None
        value = self.data.get("office") if self.is_bound else None
        return value or None


class EvidenceForm(ReportFilterForm):
    """The Temuan page: office (regional viewer), period and the horizon of the outcome."""

    horizon = forms.TypedChoiceField(
        label=_("Outcome after"),
        choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))],
        coerce=int,
        initial=6,
        required=False,
        empty_value=6,  # an address without the horizon gets the contract's default
    )

    pool = forms.ChoiceField(
        label=_("Pooled over"),
        choices=[("region", _("The offices of my region")), ("national", _("All offices (national)"))],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, filters=(), **kwargs)
        if user.role != Role.REGIONAL:  # the regional viewer may also read the national answer
            del self.fields["pool"]
        self.helper.layout = Layout(
            Row(*[Column(name, css_class=f"col-6 col-md-3 col-lg-2 {_period_class(name)}") for name in self.fields]),
            Submit("", _("Show"), css_class="btn btn-primary"),
        )
