"""Forms of the quote editor: the header, and one small form per line (the lines are
posted as parallel lists, so a row can be added or removed without JavaScript)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.models import PriceList, Product
from guanxi.sales.models import Opportunity
from guanxi.sales.services.quotes import QuoteLineRequest


class QuoteForm(forms.Form):
    price_list = forms.ModelChoiceField(
        label=_("Price list"), queryset=PriceList.objects.all(), empty_label=None
    )
    opportunity = forms.ModelChoiceField(
        label=_("Deal"), queryset=Opportunity.objects.none(), required=False
    )
    discount_pct = forms.DecimalField(
        label=_("Overall discount (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=0,
    )
    tax_rate = forms.DecimalField(
        label=_("VAT rate (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=lambda: Decimal(settings.QUOTE_TAX_RATE),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        # ISO, whatever the language: a date input shows nothing for a localised value
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Terms and notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, deals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deals is None:
            del self.fields["opportunity"]  # a saved quote keeps its deal
        else:
            self.fields["opportunity"].queryset = Opportunity.objects.filter(
                pk__in=[d.pk for d in deals]
            )


class QuoteLineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(is_active=True)
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    discount_pct = forms.DecimalField(
        label=_("Discount (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )

    def request(self) -> QuoteLineRequest:
        data = self.cleaned_data
        return QuoteLineRequest(
            product_id=data["product"].pk,
            quantity=data["quantity"],
            discount_pct=data["discount_pct"] or Decimal(0),
        )


def posted_rows(post) -> list[dict]:
    """The posted line rows as dicts; rows left wholly empty are dropped."""
    products = post.getlist("product")
    quantities = post.getlist("quantity")
    discounts = post.getlist("line_discount")
    rows = []
    for i, product in enumerate(products):
        row = {
            "product": product,
            "quantity": quantities[i] if i < len(quantities) else "",
            "discount_pct": discounts[i] if i < len(discounts) else "",
        }
        if any(str(v).strip() for v in row.values()):
            rows.append(row)
    return rows[:200]


def blank_row() -> dict:
    return {"product": "", "quantity": "1", "discount_pct": ""}
