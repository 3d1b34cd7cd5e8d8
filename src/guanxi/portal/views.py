"""The member portal (会员中心): sign-in by mobile, registration with a texted code, the
shop, the cart and checkout. Consumers and IBOs only; every read is their own data."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.commerce.choices import PaymentMethod, SalesChannel
from guanxi.commerce.models import Category, Product
from guanxi.commerce.selectors import portal_customers
from guanxi.commerce.services.access import own_distributor
from guanxi.commerce.services.orders import LineRequest, ShipTo, order_place, payment_record
from guanxi.commerce.services.pricing import price_list_for, prices_for
from guanxi.core.choices import PORTAL_KINDS, UserKind
from guanxi.core.converters import number_or_none
from guanxi.core.forms import add_service_errors
from guanxi.customers.choices import ContactKind, Source
from guanxi.customers.models import ContactPoint
from guanxi.customers.services.self_service import mobile_e164, party_for_mobile
from guanxi.portal import cart, selectors
from guanxi.portal.forms import CheckoutForm, ForCustomerForm, MobileLoginForm, RegisterForm
from guanxi.portal.services import code_send, portal_register


def portal_login_required(view):
    """Consumers and IBOs only; staff are sent to their own pages."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{_url('portal:login')}?next={request.path}")
        if user.kind not in PORTAL_KINDS or not user.party_id:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@require_http_methods(["GET", "POST"])
def portal_login(request):
    form = MobileLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            username = mobile_e164(form.cleaned_data["mobile"])
        except ValidationError:
            username = form.cleaned_data["mobile"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None and user.kind in PORTAL_KINDS:
            login(request, user)
            nxt = request.GET.get("next", "")
            return redirect(nxt if nxt.startswith("/portal/") else "portal:home")
        form.add_error(None, _("The mobile number or password is not right."))
    return render(request, "portal/login.html", {"form": form})


@require_POST
def portal_logout(request):
    logout(request)
    return redirect("portal:login")


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    code_sent = request.POST.get("step") == "register" or "portal_code" in request.session
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("step") == "code":
                code = code_send(session=request.session, mobile=data["mobile"])
                code_sent = True
                if settings.DEBUG:  # no SMS gateway in a demo: show what was texted
                    messages.info(request, _("Demo: the code texted is %(code)s.") % {"code": code})
            else:
                user = portal_register(
                    session=request.session,
                    name=data["name"],
                    mobile=data["mobile"],
                    code=data["code"],
                    password=data["password"],
                    consents=data["consents"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome, %(name)s.") % {"name": user.display_name})
                return redirect("portal:home")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "portal/register.html", {"form": form, "code_sent": code_sent})


@require_GET
def home(request):
    """The shop front: products on the visitor's price list, by category."""
    user = request.user
    if user.is_authenticated and user.kind == UserKind.STAFF:
        return redirect("core:home")
    category = request.GET.get("category", "")
    category_id = number_or_none(category, digits=9)
    return render(
        request,
        "portal/home.html",
        {
            "products": selectors.shop_products(user, category=category_id),
            "categories": Category.objects.all(),
            "category": category_id,
        },
    )


@require_GET
def product_detail(request, product_id: int):
    product = get_object_or_404(
        Product.objects.select_related("category"), pk=product_id, is_active=True
    )
    user = request.user
    kind = price_list_for(user.party) if getattr(user, "party_id", None) else "retail"
    product.price = prices_for([product], kind).get(product.pk)
    if product.price is None and not product.redemption_points:
        raise Http404
    from guanxi.portal.forms import SubscribeForm

    return render(
        request,
        "portal/product.html",
        {
            "product": product,
            "subscribe_form": SubscribeForm(),
            "is_ibo": getattr(user, "kind", "") == UserKind.DISTRIBUTOR,
        },
    )


@portal_login_required
@require_POST
def cart_put(request, product_id: int):
    product = get_object_or_404(Product, pk=product_id, is_active=True)
    quantity = request.POST.get("quantity", "1")
    quantity = number_or_none(quantity, digits=3) or 1
    if request.POST.get("set"):
        cart.put(request.session, product.pk, quantity)
    else:
        cart.put(
            request.session, product.pk, cart.items(request.session).get(product.pk, 0) + quantity
        )
        messages.success(request, _("%(name)s is in your cart.") % {"name": product.name})
    return redirect(request.POST.get("back") == "cart" and "portal:cart" or "portal:home")


def _ship_to_initial(user) -> dict:
    points = ContactPoint.objects.filter(party_id=user.party_id).order_by("-is_primary", "id")
    address = points.filter(kind=ContactKind.ADDRESS).first()
    return {
        "ship_to_name": user.party.name,
        "ship_to_phone": user.mobile,
        "ship_to_province": address.province if address else "",
        "ship_to_address": f"{address.city}{address.district}{address.value}" if address else "",
    }


@portal_login_required
@require_http_methods(["GET", "POST"])
def cart_page(request):
    user = request.user
    held = cart.items(request.session)
    products = {p.pk: p for p in Product.objects.filter(pk__in=held, is_active=True)}
    prices = prices_for(list(products.values()), price_list_for(user.party))
    rows = [(products[i], q, prices.get(i)) for i, q in held.items() if i in products]
    total = sum((price * q for _p, q, price in rows if price is not None), 0)
    form = CheckoutForm(request.POST or None, initial=_ship_to_initial(user))
    on_behalf = ForCustomerForm(request.POST or None)
    is_ibo = user.kind == UserKind.DISTRIBUTOR
    if request.method == "POST" and form.is_valid() and on_behalf.is_valid():
        order = _checkout(request, form, on_behalf if is_ibo else None, rows)
        if order is not None:
            cart.clear(request.session)
            messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
            return redirect("portal:order", order_id=order.pk)
    return render(
        request,
        "portal/cart.html",
        {
            "rows": rows,
            "total": total,
            "form": form,
            "on_behalf": on_behalf,
            "is_ibo": is_ibo,
            "sandbox": settings.PAYMENT_SANDBOX,
        },
    )


def _checkout(request, form, on_behalf, rows):
    user, data = request.user, form.cleaned_data
    customer, channel = user.party, SalesChannel.PORTAL
    try:
        if on_behalf is not None and on_behalf.cleaned_data["customer_mobile"]:
            customer, _created = party_for_mobile(
                actor=user,
                name=on_behalf.cleaned_data["customer_name"],
                mobile=on_behalf.cleaned_data["customer_mobile"],
                source=Source.IBO_REFERRAL,
            )
            if not portal_customers(user=user).filter(pk=customer.pk).exists():
                raise ValidationError(
                    {
                        "customer_mobile": _(
                            "This number is already a customer of the company; the service "
                            "centre can take their order."
                        )
                    }
                )
            channel = SalesChannel.IBO
        order = order_place(
            actor=user,
            customer=customer,
            channel=channel,
            lines=[LineRequest(p.pk, q) for p, q, _price in rows],
            fulfilment=data["fulfilment"],
            ship_to=ShipTo(
                data["ship_to_name"],
                data["ship_to_phone"],
                data["ship_to_province"],
                data["ship_to_address"],
            ),
            note=data["note"],
        )
        if settings.PAYMENT_SANDBOX and request.POST.get("pay") == "now":
            payment_record(
                actor=user,
                order=order,
                amount=order.total,
                method=PaymentMethod.WECHAT_PAY,
                reference="SANDBOX",
            )
        return order
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        for field, problems in errors.items():
            target = {"mobile": "customer_mobile", "name": "customer_name"}.get(field, field)
            holder = on_behalf if on_behalf is not None and target in on_behalf.fields else form
            for problem in problems:
                holder.add_error(target if target in holder.fields else None, problem)
        return None


def is_own_distributor(user) -> bool:
    return own_distributor(user) is not None
