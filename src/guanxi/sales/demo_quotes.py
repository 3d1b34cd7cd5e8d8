"""Quote demo data in Chinese: the Shanghai reps' quotes in every state — a draft, one
whose big discount the manager approved, one rejected back to draft with the manager's
comment, one sent, one accepted (the deal's amount follows) and one expired. None is left
waiting in the manager's inbox, which the browser tests expect to empty."""

import datetime
from decimal import Decimal

from guanxi.commerce.models import Product
from guanxi.sales.choices import OpportunityState
from guanxi.sales.models import ApprovalRequest, Opportunity
from guanxi.sales.services.approvals import approval_decide
from guanxi.sales.services.quote_flow import (
    quote_accept,
    quote_send,
    quote_submit,
    quotes_expire,
)
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create

NOTE = "含送货上门及安装调试；付款方式：签约后 7 日内全额付款。"


def load_quotes_demo(*, users: dict, now: datetime.datetime) -> int:
    products = list(Product.objects.filter(is_active=True, prices__isnull=False).distinct()[:6])
    deals = list(
        Opportunity.objects.filter(
            owner__in=[users["rep"], users["rep2"]], state=OpportunityState.OPEN
        )
        .select_related("party", "owner")
        .order_by("pk")[:6]
    )
    if len(products) < 3 or len(deals) < 6:
        return 0
    plans = [
        ("draft", Decimal(0), Decimal(0)),
        ("approved", Decimal(15), Decimal(5)),
        ("rejected", Decimal(25), Decimal(10)),
        ("sent", Decimal(5), Decimal(0)),
        ("accepted", Decimal(0), Decimal(3)),
        ("expired", Decimal(0), Decimal(0)),
    ]
    for i, (deal, (fate, line_discount, overall)) in enumerate(zip(deals, plans, strict=True)):
        made = now - datetime.timedelta(days=40 if fate == "expired" else 6 - i)
        quote = quote_create(
            actor=deal.owner,
            party=deal.party,
            opportunity=deal,
            lines=[
                QuoteLineRequest(products[i % len(products)].pk, 2 + i, line_discount),
                QuoteLineRequest(products[(i + 1) % len(products)].pk, 1),
            ],
            discount_pct=overall,
            note=NOTE,
            now=made,
        )
        _advance(quote, fate, users, made)
    quotes_expire(now=now)
    return len(plans)


def _advance(quote, fate: str, users: dict, made: datetime.datetime) -> None:
    if fate == "draft":
        return
    rep = quote.owner
    quote = quote_submit(actor=rep, quote=quote, now=made)
    if fate in ("approved", "rejected"):
        request = ApprovalRequest.objects.get(subject_type="sales.quote", subject_id=quote.pk)
        approval_decide(
            actor=users["manager"],
            request=request,
            approve=fate == "approved",
            comment="同意，本月冲量客户。"
            if fate == "approved"
            else "折扣太大，整单最多给到九折，请调整后再提交。",
            now=made + datetime.timedelta(hours=3),
        )
        return
    quote = quote_send(actor=rep, quote=quote, now=made + datetime.timedelta(hours=1))
    if fate == "accepted":
        quote_accept(actor=rep, quote=quote, now=made + datetime.timedelta(days=1))
