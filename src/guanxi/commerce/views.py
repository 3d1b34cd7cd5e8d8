"""Staff pages of commerce: orders (list, entry, detail and its actions), the
fulfilment board, the returns queue, the catalogue. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.commerce import selectors
from guanxi.commerce.choices import NEXT_STATUS, OrderStatus, SalesChannel
from guanxi.commerce.forms import (
    AnnouncementForm,
    LineFormSet,
    OrderForm,
    PaymentForm,
    RefundForm,
    ShipForm,
    return_quantities,
)
from guanxi.commerce.models import Order, Product, ProductAnnouncement, ReturnRequest
from guanxi.commerce.services import orders as order_services
from guanxi.commerce.services import returns as return_services
from guanxi.commerce.services.points import points_balance
from guanxi.core.choices import UserKind
from guanxi.core.converters import number_or_none
from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, can, role_allows
from guanxi.customers.models import Party
from guanxi.customers.selectors import PartyFilters, party_queryset
from guanxi.network.models import Distributor


def _staff(request) -> None:
    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied


def _order(request, order_id: int) -> Order:
    _staff(request)
    return get_object_or_404(
        Order.objects.visible_to(request.user).select_related("customer", "seller__party"),
        pk=order_id,
    )


def _errors(request, exc: ValidationError) -> None:
    """A refused action's reasons as messages on the page it returns to."""
    for error in exc.messages:
        messages.error(request, error)


@login_required
@require_GET
def order_list(request):
    _staff(request)
    filters = selectors.OrderFilters.from_query(request.GET)
    page = Paginator(selectors.order_list(user=request.user, filters=filters), 50)
    return render(
        request,
        "commerce/order_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "filters": filters,
            "statuses": OrderStatus.choices,
            "channels": SalesChannel.choices,
            "may_order": role_allows(request.user, Action.ORDER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request):
    """Order entry for call-centre agents: find the customer by phone, then the order."""
    _staff(request)
    if not role_allows(request.user, Action.ORDER):
        raise PermissionDenied
    party = None
    party_id = number_or_none(request.GET.get("party", ""))
    if party_id:
        party = (
            Party.objects.visible_to(request.user, Action.ORDER)
            .filter(pk=party_id, merged_into__isnull=True)
            .first()
        )
    if party is None:
        return _customer_lookup(request)
    form = OrderForm(request.POST or None, initial={"ship_to_name": party.name})
    lines = LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        order = _place(request, party, form, lines)
        if order is not None:
            messages.success(request, _("Order %(number)s recorded.") % {"number": order.number})
            return redirect("commerce:order", order_id=order.pk)
    return render(
        request,
        "commerce/order_new.html",
        {"party": party, "form": form, "lines": lines, "points": points_balance(party.pk)},
    )


def _customer_lookup(request):
    q = request.GET.get("q", "").strip()[:100]
    found = []
    if q:
        found = list(
            party_queryset(
                user=request.user, filters=PartyFilters(q=q), action=Action.ORDER
            ).prefetch_related("contact_points")[:20]
        )
    template = "commerce/_customer_rows.html" if request.htmx else "commerce/order_lookup.html"
    return render(request, template, {"q": q, "found": found})


def _place(request, party, form, lines):
    data = form.cleaned_data
    seller = None
    if data["seller"]:
        seller = Distributor.objects.filter(member_id=data["seller"].strip()).first()
        if seller is None:
            form.add_error("seller", _("No distributor has this member number."))
            return None
    requests = [
        order_services.LineRequest(row["product"].pk, row["quantity"] or 1)
        for row in lines.cleaned_data
        if row.get("product")
    ]
    try:
        return order_services.order_place(
            actor=request.user,
            customer=party,
            channel=data["channel"],
            lines=requests,
            fulfilment=data["fulfilment"],
            ship_to=order_services.ShipTo(
                data["ship_to_name"],
                data["ship_to_phone"],
                data["ship_to_province"],
                data["ship_to_address"],
            ),
            seller=seller,
            price_list=data["price_list"] or None,
            response_code=data["response_code"],
            shipping_fee=data["shipping_fee"],
            note=data["note"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
@require_GET
def order_detail(request, order_id: int):
    order = _order(request, order_id)
    user = request.user
    returns = order.returns.prefetch_related("lines__order_line__product")
    return render(
        request,
        "commerce/order_detail.html",
        {
            "order": order,
            "lines": order.lines.select_related("product"),
            "payments": order.payments.select_related("recorded_by"),
            "events": order.events.select_related("actor"),
            "returns": returns,
            "next_status": _next_status(order),
            "may_order": can(user, Action.ORDER, order.customer),
            "may_fulfil": role_allows(user, Action.FULFIL),
            "payment_form": PaymentForm(initial={"amount": order.balance_due}),
            "ship_form": ShipForm(),
            "refund_form": RefundForm(),
            "returnable": return_services.returnable_quantities(order),
            "window_ends": return_services.return_window_ends(order),
        },
    )


def _next_status(order: Order):
    if order.fulfilment == "pickup" and order.status == OrderStatus.PACKED:
        return OrderStatus.DELIVERED
    return NEXT_STATUS.get(order.status)


def _act(request, order: Order, call) -> None:
    try:
        call()
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You do not have permission to do this."))


@login_required
@require_POST
def order_pay(request, order_id: int):
    order = _order(request, order_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        _act(
            request,
            order,
            lambda: order_services.payment_record(
                actor=request.user, order=order, **form.cleaned_data
            ),
        )
    return redirect("commerce:order", order_id=order.pk)


@login_required
@require_POST
def order_advance(request, order_id: int):
    order = _order(request, order_id)
    form = ShipForm(request.POST)
    form.is_valid()
    _act(
        request,
        order,
        lambda: order_services.order_advance(
            actor=request.user,
            order=order,
            to_status=request.POST.get("to", ""),
            courier=form.cleaned_data.get("courier", ""),
            tracking_number=form.cleaned_data.get("tracking_number", ""),
        ),
    )
    if request.POST.get("board"):
        return redirect("commerce:fulfilment")
    return redirect("commerce:order", order_id=order.pk)


@login_required
@require_POST
def order_cancel(request, order_id: int):
    order = _order(request, order_id)
    _act(
        request,
        order,
        lambda: order_services.order_cancel(
            actor=request.user, order=order, reason=request.POST.get("reason", "")[:300]
        ),
    )
    return redirect("commerce:order", order_id=order.pk)


@login_required
@require_POST
def return_new(request, order_id: int):
    order = _order(request, order_id)
    quantities = return_quantities(request.POST)
    _act(
        request,
        order,
        lambda: return_services.return_request(
            actor=request.user,
            order=order,
            quantities=quantities,
            unopened=request.POST.get("unopened") == "on",
            reason=request.POST.get("reason", ""),
        ),
    )
    return redirect("commerce:order", order_id=order.pk)


@login_required
@require_GET
def fulfilment_board(request):
    _staff(request)
    if not role_allows(request.user, Action.FULFIL):
        raise PermissionDenied
    columns = selectors.fulfilment_columns(user=request.user)
    template = "commerce/_board.html" if request.htmx else "commerce/fulfilment.html"
    return render(request, template, {"columns": columns, "ship_form": ShipForm()})


@login_required
@require_GET
def return_queue(request):
    _staff(request)
    if not role_allows(request.user, Action.FULFIL):
        raise PermissionDenied
    rows = selectors.open_returns(user=request.user)
    return render(
        request,
        "commerce/returns.html",
        {
            "rows": rows,
            "overdue": selectors.overdue_refunds(user=request.user).count(),
            "refund_form": RefundForm(),
        },
    )


@login_required
@require_POST
def return_decide(request, return_id: int):
    _staff(request)
    ret = get_object_or_404(ReturnRequest.objects.visible_to(request.user), pk=return_id)
    decision = request.POST.get("decision")
    try:
        if decision == "receive":
            return_services.return_receive(actor=request.user, ret=ret)
        elif decision == "reject":
            return_services.return_reject(
                actor=request.user, ret=ret, note=request.POST.get("note", "")
            )
        elif decision == "refund":
            form = RefundForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"method": _("Choose how the money goes back.")})
            return_services.return_refund(actor=request.user, ret=ret, **form.cleaned_data)
            messages.success(request, _("Refund recorded."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You do not have permission to do this."))
    back = request.POST.get("back", "")
    return (
        redirect("commerce:order", order_id=ret.order_id)
        if back == "order"
        else redirect("commerce:returns")
    )


@login_required
@require_GET
def product_list(request):
    _staff(request)
    products = Product.objects.select_related("category").prefetch_related(
        Prefetch("prices", to_attr="price_rows")
    )
    return render(
        request,
        "commerce/products.html",
        {"products": products, "may_announce": role_allows(request.user, Action.CATALOGUE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcements(request):
    """New-product announcements: write one, and the worker sends it to the subscribers
    who consented on their channel."""
    _staff(request)
    if not role_allows(request.user, Action.CATALOGUE):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from guanxi.commerce.services.notices import announcement_create
        from guanxi.commerce.tasks import announcement_send_task

        announcement = announcement_create(actor=request.user, **form.cleaned_data)
        transaction.on_commit(
            lambda: announcement_send_task.enqueue(announcement_id=announcement.pk)
        )
        messages.success(request, _("The announcement is being sent."))
        return redirect("commerce:announcements")
    return render(
        request,
        "commerce/announcements.html",
        {
            "form": form,
            "rows": ProductAnnouncement.objects.select_related("product", "created_by")[:50],
        },
    )


@login_required
@require_POST
def points_adjust(request, party_id: int):
    """A manager's correction of a customer's points, with its reason (360 page)."""
    from guanxi.commerce.services.points import points_adjust as adjust

    _staff(request)
    party = get_object_or_404(Party.objects.visible_to(request.user), pk=party_id)
    raw = request.POST.get("points", "").strip()
    try:
        points = number_or_none(raw, digits=9, signed=True) or 0
        adjust(actor=request.user, party=party, points=points, note=request.POST.get("note", ""))
        messages.success(request, _("Points adjusted."))
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("You do not have permission to do this."))
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_POST
def subscription_change(request, subscription_id: int):
    """Pause, resume, skip or cancel a customer's auto-reorder (from the 360 page)."""
    from guanxi.commerce.models import Subscription
    from guanxi.commerce.services.subscriptions import subscription_change as change

    _staff(request)
    sub = get_object_or_404(Subscription.objects.visible_to(request.user), pk=subscription_id)
    try:
        change(actor=request.user, subscription=sub, action=request.POST.get("action", ""))
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("You do not have permission to do this."))
    return redirect("customers:detail", party_id=sub.customer_id)
