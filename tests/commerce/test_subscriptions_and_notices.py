"""Auto-reorders placed by the worker exactly once per due date; payment reminders and
new-product news through the outbox, to consenting subscribers only."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from guanxi.commerce.models import Order, ProductNewsSubscription
from guanxi.commerce.services.notices import (
    announcement_create,
    announcement_send,
    payment_reminders_send,
)
from guanxi.commerce.services.subscriptions import (
    subscription_change,
    subscription_create,
    subscriptions_run,
)
from guanxi.core.models import OutboundMessage
from guanxi.customers.models import Consent
from tests.commerce.conftest import place
from tests.factories import ContactPointFactory, PartyFactory

TODAY = datetime.date(2026, 11, 23)


def test_an_auto_reorder_orders_once_per_due_date(company, shop):
    sub = subscription_create(
        actor=shop.consumer_user,
        customer=shop.consumer,
        product=shop.tea,
        quantity=2,
        every_weeks=4,
        first_on=timezone.localdate(),
    )
    ContactPointFactory(
        party=shop.consumer, kind="address", value="世纪大道1号", normalized="x", province="上海市"
    )
    assert subscriptions_run(today=sub.next_run_on) == 1
    assert subscriptions_run(today=sub.next_run_on) == 0
    order = Order.objects.get()
    assert (order.channel, order.subscription, order.total) == ("subscription", sub, Decimal(180))
    assert order.ship_to_province == "上海市" and order.lines.get().quantity == 2
    sub.refresh_from_db()
    assert sub.next_run_on == timezone.localdate() + datetime.timedelta(weeks=4)


def test_pause_skip_resume_and_cancel(company, shop):
    first = timezone.localdate() + datetime.timedelta(days=3)
    sub = subscription_create(
        actor=company.rep,
        customer=shop.consumer,
        product=shop.tea,
        quantity=1,
        every_weeks=2,
        first_on=first,
    )
    sub = subscription_change(actor=company.rep, subscription=sub, action="skip")
    assert sub.next_run_on == first + datetime.timedelta(weeks=2)
    sub = subscription_change(actor=shop.consumer_user, subscription=sub, action="pause")
    assert subscriptions_run(today=sub.next_run_on) == 0
    with pytest.raises(ValidationError):
        subscription_change(actor=company.rep, subscription=sub, action="skip")
    sub = subscription_change(actor=company.rep, subscription=sub, action="resume")
    sub = subscription_change(actor=company.rep, subscription=sub, action="cancel")
    assert sub.status == "cancelled"
    with pytest.raises(ValidationError):
        subscription_change(actor=company.rep, subscription=sub, action="resume")
    with pytest.raises(PermissionDenied):
        subscription_change(actor=company.far_rep, subscription=sub, action="pause")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a job and its after-commit deliveries, as the worker would."""

    def run(job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run


def test_overdue_orders_get_a_limited_number_of_reminders(company, shop, settings, committed):
    settings.PAYMENT_REMINDERS_MAX = 2
    placed = timezone.now() - datetime.timedelta(days=30)
    order = place(company.rep, shop.consumer, (shop.tea, 1), now=placed)
    fresh = place(company.rep, shop.consumer, (shop.tea, 1))
    assert committed(payment_reminders_send) == 1
    assert committed(payment_reminders_send) == 0  # not again within 3 days
    later = timezone.now() + datetime.timedelta(days=4)
    assert committed(payment_reminders_send, now=later) == 1
    fresh.refresh_from_db()
    assert fresh.reminders_sent == 0  # not due before its payment term ends
    committed(payment_reminders_send, now=later + datetime.timedelta(days=4))
    order.refresh_from_db()
    assert order.reminders_sent == 2  # at most two
    sms = OutboundMessage.objects.filter(purpose="payment_reminder", body__contains=order.number)
    assert sms.count() == 2 and {m.channel for m in sms} == {"sms"}
    assert all(order.number in m.body and m.recipient == "+8613800000001" for m in sms)
    assert all(m.sent_at for m in sms)


def test_news_goes_to_subscribers_who_consented_on_that_channel(company, shop, committed):
    yes = PartyFactory(owner=company.rep)
    ContactPointFactory(party=yes, kind="email", value="yes@example.cn")
    withdrawn = PartyFactory(owner=company.rep)
    ContactPointFactory(party=withdrawn, kind="email", value="no@example.cn")
    for party, statuses in ((yes, ["granted"]), (withdrawn, ["granted", "withdrawn"])):
        ProductNewsSubscription.objects.create(party=party, channel="email")
        for status in statuses:
            Consent.objects.create(
                party=party,
                channel="email",
                status=status,
                method="web_form",
                recorded_at=timezone.now(),
            )
    news = announcement_create(
        actor=company.marketer, product=shop.pot, title="新品：养生壶", body="限时八折"
    )
    assert committed(announcement_send, announcement_id=news.pk) == 1
    assert committed(announcement_send, announcement_id=news.pk) == 0  # rerun sends nothing twice
    assert [m.to for m in mail.outbox] == [["yes@example.cn"]]
    with pytest.raises(PermissionDenied):
        announcement_create(actor=company.rep, product=shop.pot, title="x", body="y")


def test_the_periodic_command_runs_every_job(company, shop, capsys):
    call_command("periodic", "--list")
    assert "payment_reminders" in capsys.readouterr().out
    call_command("periodic")
    out = capsys.readouterr().out
    assert "auto_reorders: 0" in out and "points_expiry: 0" in out
