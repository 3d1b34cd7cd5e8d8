"""The member's own pages: orders and their tracking, returns, points and redemption,
auto-reorders, profile and news choices, and (IBOs) training courses."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.commerce.choices import PaymentMethod
from guanxi.commerce.forms import return_quantities
from guanxi.commerce.models import Product, ProductNewsSubscription, Subscription
from guanxi.commerce.services import orders as order_services
from guanxi.commerce.services import returns as return_services
from guanxi.commerce.services.orders import ShipTo
from guanxi.commerce.services.redemption import points_redeem
from guanxi.commerce.services.subscriptions import subscription_change, subscription_create
from guanxi.core.choices import UserKind
from guanxi.core.forms import add_service_errors
from guanxi.customers.choices import ContactKind
from guanxi.customers.models import ContactPoint
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.self_service import contact_self_set, party_self_update
from guanxi.portal import selectors
from guanxi.portal.forms import CheckoutForm, ProfileForm, SubscribeForm
from guanxi.portal.models import Course, Enrolment, Lesson
from guanxi.portal.services import NEWS_CHANNELS, course_enrol, lesson_complete, news_set
from guanxi.portal.views import _ship_to_initial, portal_login_required


def _say(request, exc: Exception) -> None:
    for error in getattr(exc, "messages", [str(exc)]):
        messages.error(request, error)


@portal_login_required
@require_GET
def order_list(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.my_orders(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "portal/orders.html", {"orders": page, "page": page})


def _my_order(request, order_id: int):
    return get_object_or_404(selectors.my_orders(request.user), pk=order_id)


@portal_login_required
@require_GET
def order_detail(request, order_id: int):
    order = _my_order(request, order_id)
    return render(
        request,
        "portal/order.html",
        {
            "order": order,
            "lines": order.lines.select_related("product"),
            "returns": order.returns.prefetch_related("lines__order_line__product"),
            "window_ends": return_services.return_window_ends(order),
            "sandbox": settings.PAYMENT_SANDBOX,
        },
    )


@portal_login_required
@require_POST
def order_action(request, order_id: int):
    order = _my_order(request, order_id)
    action = request.POST.get("action")
    try:
        if action == "pay" and settings.PAYMENT_SANDBOX:
            order_services.payment_record(
                actor=request.user,
                order=order,
                amount=order.balance_due,
                method=PaymentMethod.WECHAT_PAY,
                reference="SANDBOX",
            )
        elif action == "cancel":
            order_services.order_cancel(actor=request.user, order=order)
        elif action == "return":
            quantities = return_quantities(request.POST)
            return_services.return_request(
                actor=request.user,
                order=order,
                quantities=quantities,
                unopened=request.POST.get("unopened") == "on",
                reason=request.POST.get("reason", "")[:300],
            )
            messages.success(request, _("Return requested: the refund is due within 7 days."))
        else:
            raise PermissionDenied
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("portal:order", order_id=order.pk)


@portal_login_required
@require_GET
def points_page(request):
    balance, entries = selectors.my_points(request.user)
    catalogue = Product.objects.filter(is_active=True, redemption_points__isnull=False)
    return render(
        request,
        "portal/points.html",
        {
            "balance": balance,
            "entries": entries[:100],
            "catalogue": catalogue.order_by("redemption_points"),
            "form": CheckoutForm(initial=_ship_to_initial(request.user)),
        },
    )


@portal_login_required
@require_POST
def redeem(request, product_id: int):
    product = get_object_or_404(Product, pk=product_id, is_active=True)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the delivery details."))
        return redirect("portal:points")
    data = form.cleaned_data
    try:
        order = points_redeem(
            actor=request.user,
            customer=request.user.party,
            product=product,
            fulfilment=data["fulfilment"],
            ship_to=ShipTo(
                data["ship_to_name"],
                data["ship_to_phone"],
                data["ship_to_province"],
                data["ship_to_address"],
            ),
        )
    except ValidationError as exc:
        _say(request, exc)
        return redirect("portal:points")
    messages.success(request, _("Redeemed: order %(number)s.") % {"number": order.number})
    return redirect("portal:order", order_id=order.pk)


@portal_login_required
@require_POST
def subscribe(request, product_id: int):
    product = get_object_or_404(Product, pk=product_id, is_active=True)
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            subscription_create(
                actor=request.user,
                customer=request.user.party,
                product=product,
                **form.cleaned_data,
            )
            messages.success(request, _("Auto-reorder set up."))
            return redirect("portal:me")
        except ValidationError as exc:
            _say(request, exc)
    else:
        messages.error(request, _("Choose every 1 to 52 weeks and a quantity from 1 to 99."))
    return redirect("portal:product", product_id=product.pk)


@portal_login_required
@require_POST
def subscription_action(request, subscription_id: int):
    sub = get_object_or_404(Subscription, pk=subscription_id, customer_id=request.user.party_id)
    try:
        subscription_change(
            actor=request.user, subscription=sub, action=request.POST.get("action", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("portal:me")


def _profile_initial(user) -> dict:
    party = user.party
    points = ContactPoint.objects.filter(party=party).order_by("-is_primary", "id")
    email = points.filter(kind=ContactKind.EMAIL).first()
    address = points.filter(kind=ContactKind.ADDRESS).first()
    return {
        "name": party.name,
        "gender": party.gender,
        "birthday": party.birthday,
        "email": email.value if email else "",
        "province": address.province if address else "",
        "city": address.city if address else "",
        "district": address.district if address else "",
        "street": address.value if address else "",
    }


@portal_login_required
@require_http_methods(["GET", "POST"])
def me(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial=_profile_initial(user))
    if request.method == "POST" and request.POST.get("form") == "profile" and form.is_valid():
        data = form.cleaned_data
        try:
            party_self_update(
                actor=user,
                party=user.party,
                name=data["name"],
                gender=data["gender"],
                birthday=data["birthday"],
            )
            contact_self_set(
                actor=user, party=user.party, spec=ContactSpec(ContactKind.EMAIL, data["email"])
            )
            contact_self_set(
                actor=user,
                party=user.party,
                spec=ContactSpec(
                    ContactKind.ADDRESS,
                    data["street"],
                    province=data["province"],
                    city=data["city"],
                    district=data["district"],
                ),
            )
            messages.success(request, _("Your details are saved."))
            return redirect("portal:me")
        except ValidationError as exc:
            add_service_errors(form, exc)
    news = dict(
        ProductNewsSubscription.objects.filter(party_id=user.party_id).values_list(
            "channel", "subscribed"
        )
    )
    from guanxi.customers.choices import Channel

    return render(
        request,
        "portal/me.html",
        {
            "form": form,
            "news": [(c, Channel(c).label, news.get(c, False)) for c in NEWS_CHANNELS],
            "subscriptions": selectors.my_subscriptions(user),
        },
    )


@portal_login_required
@require_POST
def news(request):
    try:
        news_set(
            actor=request.user,
            channel=request.POST.get("channel", ""),
            subscribed=request.POST.get("subscribed") == "1",
        )
    except ValidationError as exc:
        _say(request, exc)
    return redirect("portal:me")


def _ibo(request) -> None:
    if request.user.kind != UserKind.DISTRIBUTOR:
        raise PermissionDenied


@portal_login_required
@require_GET
def course_list(request):
    _ibo(request)
    courses = Course.objects.filter(is_published=True).annotate(lesson_count=Count("lessons"))
    enrolments = {
        e.course_id: e
        for e in Enrolment.objects.filter(user=request.user).annotate(done_count=Count("done"))
    }
    rows = [(c, enrolments.get(c.pk)) for c in courses]
    return render(request, "portal/courses.html", {"rows": rows})


@portal_login_required
@require_http_methods(["GET", "POST"])
def course_detail(request, course_id: int):
    _ibo(request)
    course = get_object_or_404(
        Course.objects.prefetch_related(Prefetch("lessons", queryset=Lesson.objects.all())),
        pk=course_id,
        is_published=True,
    )
    if request.method == "POST":
        course_enrol(actor=request.user, course=course)
        messages.success(request, _("You are enrolled."))
        return redirect("portal:course", course_id=course.pk)
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    done = set(enrolment.done.values_list("lesson_id", flat=True)) if enrolment else set()
    return render(
        request, "portal/course.html", {"course": course, "enrolment": enrolment, "done": done}
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def lesson_detail(request, lesson_id: int):
    _ibo(request)
    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), pk=lesson_id, course__is_published=True
    )
    if request.method == "POST":
        enrolment = lesson_complete(actor=request.user, lesson=lesson)
        if enrolment.completed_at:
            messages.success(request, _("Course completed. Well done!"))
        following = lesson.course.lessons.filter(position__gt=lesson.position).first()
        if following:
            return redirect("portal:lesson", lesson_id=following.pk)
        return redirect("portal:course", course_id=lesson.course_id)
    return render(request, "portal/lesson.html", {"lesson": lesson})


@portal_login_required
@require_http_methods(["GET", "POST"])
def help_page(request):
    """The question bank, searchable, and the member's own questions to the service centre."""
    from guanxi.service.choices import RequestChannel
    from guanxi.service.models import ServiceRequest
    from guanxi.service.services import question_search, service_request_create

    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        try:
            service_request_create(
                actor=user,
                party=user.party,
                channel=RequestChannel.PORTAL,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
            )
            messages.success(request, _("Your question is with our service centre."))
            return redirect("portal:help")
        except (ValidationError, PermissionDenied) as exc:
            _say(request, exc)
    return render(
        request,
        "portal/help.html",
        {
            "q": q,
            "questions": question_search(q=q, limit=30),
            "mine": ServiceRequest.objects.filter(party_id=user.party_id).order_by("-created_at")[
                :20
            ],
            "subject": request.POST.get("subject", ""),
            "body": request.POST.get("body", ""),
        },
    )
