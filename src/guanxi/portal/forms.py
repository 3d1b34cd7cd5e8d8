from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import Fulfilment
from guanxi.customers.choices import Channel, Gender

CONSENT_CHANNELS = [
    (Channel.SMS.value, Channel.SMS.label),
    (Channel.EMAIL.value, Channel.EMAIL.label),
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.WECHAT.value, Channel.WECHAT.label),
]


class MobileLoginForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile"), max_length=32)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class RegisterForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile"), max_length=32)
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, max_length=128, required=False
    )
    consents = forms.MultipleChoiceField(
        label=_("You may contact me with offers by"),
        choices=CONSENT_CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CheckoutForm(forms.Form):
    fulfilment = forms.ChoiceField(label=_("Fulfilment"), choices=Fulfilment.choices)
    ship_to_name = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    ship_to_phone = forms.CharField(label=_("Recipient phone"), max_length=32, required=False)
    ship_to_province = forms.CharField(label=_("Province"), max_length=20, required=False)
    ship_to_address = forms.CharField(label=_("Delivery address"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ForCustomerForm(forms.Form):
    """An IBO ordering on a customer's behalf names them by mobile."""

    customer_name = forms.CharField(label=_("Customer name"), max_length=200, required=False)
    customer_mobile = forms.CharField(label=_("Customer mobile"), max_length=32, required=False)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    birthday = forms.DateField(
        label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.CharField(label=_("Email"), max_length=200, required=False)
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    street = forms.CharField(label=_("Street address"), max_length=300, required=False)


class SubscribeForm(forms.Form):
    every_weeks = forms.IntegerField(label=_("Every (weeks)"), min_value=1, max_value=52, initial=4)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
