"""Forms of contracts, receivables plans, collections and targets. Parsing only: the
services decide what is allowed and their errors are shown on these fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.sales.choices import CollectionMethod
from guanxi.sales.services.contracts import InstalmentSpec

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class ContractForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (CNY)"), **MONEY)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    terms = forms.CharField(
        label=_("Terms"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InstalmentForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (CNY)"), **MONEY)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


PlanFormSet = forms.formset_factory(InstalmentForm, extra=0, max_num=120, validate_max=True)


def plan_formset(data=None, *, rows=None, blank: int = 3):
    """The plan's rows (existing ones, then `blank` empty rows for more)."""
    initial = [{"due_on": r.due_on, "amount": r.amount, "note": r.note} for r in rows or []]
    formset_class = forms.formset_factory(
        InstalmentForm, extra=blank, max_num=120, validate_max=True
    )
    return formset_class(data, initial=initial, prefix="plan")


def plan_specs(formset) -> list[InstalmentSpec]:
    """The filled rows of a valid plan formset (blank extra rows are skipped)."""
    return [
        InstalmentSpec(f.cleaned_data["due_on"], f.cleaned_data["amount"], f.cleaned_data["note"])
        for f in formset.forms
        if f.has_changed() and f.cleaned_data
    ]


class CollectionForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (CNY)"), **MONEY)
    collected_on = forms.DateField(label=_("Received on"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=CollectionMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("Bank slip, transaction or receipt number."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate()


class TargetForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    who = forms.ChoiceField(label=_("Rep or department"))
    revenue = forms.DecimalField(label=_("Revenue (CNY)"), **MONEY)
    collections = forms.DecimalField(label=_("Collections (CNY)"), **MONEY)
    new_customers = forms.IntegerField(label=_("New customers"), min_value=0, max_value=1_000_000)

    def __init__(self, *args, people=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [
            (_("Departments"), [(f"unit:{u.pk}", u.name) for u in units]),
            (_("Reps"), [(f"user:{p.pk}", str(p)) for p in people]),
        ]
