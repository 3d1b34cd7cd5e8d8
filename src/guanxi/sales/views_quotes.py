"""Staff pages of quotes: the list, the editor (lines added and removed by posting the
form, so it works without JavaScript; htmx swaps just the lines when it is there), the
detail with its actions, and the PDF. Thin: parse, call a service or selector, render."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.commerce.models import PriceList, Product
from guanxi.commerce.services.pricing import price_list_for, prices_for
from guanxi.core.converters import number_or_none
from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, can, require_staff
from guanxi.customers.models import Party
from guanxi.sales import selectors_quotes
from guanxi.sales.choices import QUOTE_EDITABLE, QUOTE_REVISABLE, QuoteState
from guanxi.sales.forms_quotes import QuoteForm, QuoteLineForm, blank_row, posted_rows
from guanxi.sales.models import Quote
from guanxi.sales.services import quote_flow
from guanxi.sales.services.quotes import (
    default_valid_until,
    quote_create,
    quote_figures,
    quote_opportunity_options,
    quote_update,
)


def _visible(request, quote_id: int) -> Quote:
    require_staff(request.user)
    return get_object_or_404(
        Quote.objects.visible_to(request.user).select_related(
            "party", "owner", "price_list", "opportunity"
        ),
        pk=quote_id,
    )


@login_required
@require_GET
def quote_list(request):
    require_staff(request.user)
    state = request.GET.get("state", "")
    state = state if state in QuoteState.values else ""
    rows = selectors_quotes.quote_list(user=request.user, state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/quote_list.html",
        {"page": page, "state": state, "states": QuoteState.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_new(request, party_id: int):
    """A new quote for a customer, from one of their deals when `?opportunity=` names it."""
    require_staff(request.user)
    party = get_object_or_404(Party.objects.visible_to(request.user, Action.CHANGE), pk=party_id)
    deals = quote_opportunity_options(party=party, user=request.user)
    if request.method == "GET":
        chosen = number_or_none(request.GET.get("opportunity", ""))
        initial = {
            "price_list": PriceList.objects.filter(kind=price_list_for(party)).first(),
            "opportunity": next((d for d in deals if d.pk == chosen), None),
            "valid_until": default_valid_until(timezone.now()),
        }
        form = QuoteForm(initial=initial, deals=deals)
        return _editor(request, party=party, quote=None, form=form, rows=[blank_row()])
    form = QuoteForm(request.POST, deals=deals)
    return _posted(request, party=party, quote=None, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def quote_edit(request, quote_id: int):
    quote = _visible(request, quote_id)
    if not can(request.user, Action.CHANGE, quote.party):
        raise PermissionDenied
    if quote.state not in QUOTE_EDITABLE:
        messages.error(request, _("Only a draft can be edited; revise a sent quote."))
        return redirect("sales:quote", quote_id=quote.pk)
    if request.method == "GET":
        form = QuoteForm(
            initial={
                "price_list": quote.price_list,
                "discount_pct": quote.discount_pct,
                "tax_rate": quote.tax_rate,
                "valid_until": quote.valid_until,
                "note": quote.note,
            }
        )
        rows = [
            {"product": ln.product_id, "quantity": ln.quantity, "discount_pct": ln.discount_pct}
            for ln in quote.lines.order_by("position")
        ]
        return _editor(request, party=quote.party, quote=quote, form=form, rows=rows)
    return _posted(request, party=quote.party, quote=quote, form=QuoteForm(request.POST))


def _posted(request, *, party, quote, form):
    """Add or remove a row and show the form again, or save."""
    rows = posted_rows(request.POST)
    if "add_line" in request.POST:
        return _editor(request, party=party, quote=quote, form=form, rows=[*rows, blank_row()])
    removed = number_or_none(request.POST.get("remove_line", ""))
    if removed is not None:
        rows = [r for i, r in enumerate(rows) if i != removed]
        return _editor(request, party=party, quote=quote, form=form, rows=rows or [blank_row()])
    line_forms = [QuoteLineForm(row) for row in rows]
    if form.is_valid() and all(f.is_valid() for f in line_forms) and "preview" not in request.POST:
        data = form.cleaned_data
        lines = [f.request() for f in line_forms]
        try:
            if quote is None:
                quote = quote_create(actor=request.user, party=party, lines=lines, **data)
            else:
                quote = quote_update(actor=request.user, quote=quote, lines=lines, **data)
            messages.success(request, _("Quote %(number)s saved.") % {"number": quote.reference})
            return redirect("sales:quote", quote_id=quote.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _editor(request, party=party, quote=quote, form=form, rows=rows, line_forms=line_forms)


def _editor(request, *, party, quote, form, rows, line_forms=None):
    price_list = _chosen_list(form, quote)
    products = list(Product.objects.filter(is_active=True).order_by("category__position", "name"))
    prices = prices_for(products, price_list.kind) if price_list else {}
    line_forms = line_forms or [None] * len(rows)
    return render(
        request,
        "sales/quote_edit.html",
        {
            "party": party,
            "quote": quote,
            "form": form,
            "rows": list(zip(rows, line_forms, strict=True)),
            "products": [(p, prices.get(p.pk)) for p in products],
            "preview": _preview(form, rows, prices, party=party, price_list=price_list),
        },
        # htmx swaps only 2xx answers: it gets the form with its messages as 200.
        status=422 if not request.htmx and (form.errors or _row_errors(line_forms)) else 200,
    )


def _row_errors(line_forms) -> bool:
    return any(f is not None and f.errors for f in line_forms)


def _chosen_list(form, quote):
    raw = form.data.get("price_list") if form.is_bound else form.initial.get("price_list")
    if isinstance(raw, PriceList):
        return raw
    found = PriceList.objects.filter(pk=number_or_none(str(raw or ""))).first()
    return found or (quote.price_list if quote else PriceList.objects.first())


def _preview(form, rows, prices, *, party, price_list):
    """The totals of what is on the form, for the rep to see before saving (the service
    computes them again the same way when saving)."""
    lines = []
    for row in rows:
        form_row = QuoteLineForm(row)
        if form_row.is_valid() and form_row.cleaned_data["product"].pk in prices:
            lines.append(form_row.request())
    if not lines or price_list is None:
        return None
    header = QuoteForm(form.data) if form.is_bound else None
    if header is not None and header.is_valid():
        figures = header.cleaned_data
    elif header is None:
        figures = {k: form[k].value() for k in ("discount_pct", "tax_rate")}
    else:
        figures = {}
    rate = figures.get("tax_rate")
    return quote_figures(
        party=party,
        price_list=price_list,
        lines=lines,
        prices=prices,
        discount_pct=Decimal(figures.get("discount_pct") or 0),
        tax_rate=Decimal(settings.QUOTE_TAX_RATE if rate is None else rate),
    )


@login_required
@require_GET
def quote_detail(request, quote_id: int):
    quote = _visible(request, quote_id)
    may_change = can(request.user, Action.CHANGE, quote.party)
    return render(
        request,
        "sales/quote_detail.html",
        {
            "quote": quote,
            "lines": list(quote.lines.order_by("position")),
            "events": list(quote.events.select_related("actor")[:30]),
            "approvals": selectors_quotes.quote_approvals(quote),
            "versions": selectors_quotes.quote_versions(quote),
            "may_change": may_change,
            "editable": may_change and quote.state in QUOTE_EDITABLE,
            "revisable": may_change
            and quote.state in QUOTE_REVISABLE
            and not Quote.objects.filter(previous=quote).exists(),
        },
    )


ACTIONS = {
    "submit": lambda request, quote: quote_flow.quote_submit(actor=request.user, quote=quote),
    "send": lambda request, quote: quote_flow.quote_send(actor=request.user, quote=quote),
    "accept": lambda request, quote: quote_flow.quote_accept(
        actor=request.user,
        quote=quote,
        set_opportunity_amount=request.POST.get("set_amount") == "on",
    ),
    "decline": lambda request, quote: quote_flow.quote_decline(
        actor=request.user, quote=quote, reason=request.POST.get("reason", "")
    ),
    "revise": lambda request, quote: quote_flow.quote_revise(actor=request.user, quote=quote),
}


@login_required
@require_POST
def quote_action(request, quote_id: int, action: str):
    quote = _visible(request, quote_id)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    try:
        outcome = ACTIONS[action](request, quote)
        messages.success(
            request,
            _("%(number)s: %(state)s.")
            % {"number": outcome.reference, "state": outcome.get_state_display()},
        )
        return redirect("sales:quote", quote_id=outcome.pk)
    except (ValidationError, PermissionDenied) as exc:
        for problem in getattr(exc, "messages", [str(exc)]):
            messages.error(request, problem)
    return redirect("sales:quote", quote_id=quote.pk)


@login_required
@require_GET
def quote_pdf(request, quote_id: int):
    """The PDF in Chinese (?lang=en for English)."""
    from guanxi.sales.quote_pdf import quote_pdf as render_pdf

    quote = _visible(request, quote_id)
    language = "en" if request.GET.get("lang") == "en" else None
    response = HttpResponse(render_pdf(quote, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote.reference}.pdf"'
    return response
