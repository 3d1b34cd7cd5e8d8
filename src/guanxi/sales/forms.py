from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.sales.choices import LeadSource


class LeadForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mobile = forms.CharField(label=_("Mobile"), max_length=32, required=False)
    email = forms.CharField(label=_("Email"), max_length=200, required=False)
    wechat = forms.CharField(label=_("WeChat ID"), max_length=50, required=False)
    province = forms.CharField(label=_("Province"), max_length=20, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    response_code = forms.CharField(
        label=_("Campaign / response code"), max_length=40, required=False
    )
    interest = forms.CharField(label=_("Interested in"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
