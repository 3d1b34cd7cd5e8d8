"""Forms of the staff pages. They only parse input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import Fulfilment, PaymentMethod, PriceListKind, SalesChannel
from guanxi.commerce.models import Product
from guanxi.core.converters import number_or_none

STAFF_CHANNELS = [
    (c.value, c.label)
    for c in SalesChannel
    if c not in (SalesChannel.SUBSCRIPTION, SalesChannel.REDEMPTION, SalesChannel.PORTAL)
]


class OrderForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    price_list = forms.ChoiceField(
        label=_("Price list"),
        choices=[("", _("The customer's own"))] + list(PriceListKind.choices),
        required=False,
    )
    seller = forms.CharField(
        label=_("Selling distributor (member number)"), max_length=40, required=False
    )
    response_code = forms.CharField(
        label=_("Campaign / response code"), max_length=40, required=False
    )
    fulfilment = forms.ChoiceField(label=_("Fulfilment"), choices=Fulfilment.choices)
    ship_to_name = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    ship_to_phone = forms.CharField(label=_("Recipient phone"), max_length=32, required=False)
    ship_to_province = forms.CharField(label=_("Province"), max_length=20, required=False)
    ship_to_address = forms.CharField(label=_("Delivery address"), max_length=300, required=False)
    shipping_fee = forms.DecimalField(
        label=_("Shipping (CNY)"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(is_active=True), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=999, required=False)


LineFormSet = forms.formset_factory(LineForm, extra=5, max_num=50, validate_max=True)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=12, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False)


class ShipForm(forms.Form):
    courier = forms.CharField(label=_("Courier"), max_length=50, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60, required=False)


class RefundForm(forms.Form):
    method = forms.ChoiceField(label=_("Refund by"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False)


class AnnouncementForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


def return_quantities(data) -> dict[int, int]:
    """{order line id: units} from `qty_<line id>` fields; anything not a small whole
    number is left out (the service then says what is missing)."""
    quantities = {}
    for key, value in data.items():
        line_id = number_or_none(key[4:]) if key.startswith("qty_") else None
        units = number_or_none(value, digits=3)
        if line_id and units:
            quantities[line_id] = units
    return quantities
