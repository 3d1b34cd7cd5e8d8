"""Web forms of the network. They only shape input; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.network.choices import ComplianceProfile, DistributorStatus
from guanxi.network.models import ATTESTATIONS


class _Eligibility(forms.Form):
    certificate_no = forms.CharField(
        label=_("Direct-seller certificate"), max_length=40, required=False
    )
    service_region = forms.CharField(
        label=_("Service region"), max_length=20, required=False, help_text=_("Province, e.g. 上海")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ATTESTATIONS:
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def attestations(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in ATTESTATIONS}

    def main_fields(self):
        return [f for f in self if not f.name.startswith("attests_")]

    def attestation_fields(self):
        return [f for f in self if f.name.startswith("attests_")]


class EnrolForm(_Eligibility):
    member_id = forms.CharField(label=_("Member number"), max_length=40)
    sponsor = forms.CharField(
        label=_("Sponsor (member number)"), max_length=40, required=False,
        help_text=_("Empty for the top of a network."),
    )  # fmt: skip
    join_date = forms.DateField(
        label=_("Join date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    field_order = ["member_id", "sponsor", "join_date", "certificate_no", "service_region"]


class DistributorForm(_Eligibility):
    status = forms.ChoiceField(label=_("Status"), choices=DistributorStatus.choices)
    field_order = ["status", "certificate_no", "service_region"]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    profile = forms.ChoiceField(
        label=_("Compliance profile"), choices=ComplianceProfile.choices, required=False
    )
    source = forms.CharField(
        label=_("Plan (TOML)"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
        max_length=20_000,
    )


class RunForm(forms.Form):
    plan_version = forms.ModelChoiceField(label=_("Plan"), queryset=None, empty_label=None)
    period = forms.RegexField(
        label=_("Period"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
        help_text=_("YYYY-MM"), error_messages={"invalid": _("Use YYYY-MM, e.g. 2026-10.")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from guanxi.network.models import PlanVersion

        super().__init__(*args, **kwargs)
        self.fields["plan_version"].queryset = PlanVersion.objects.select_related("plan").order_by(
            "plan__name", "-number"
        )
