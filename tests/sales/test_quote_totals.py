"""The quote arithmetic: a worked example with known answers, and invariants for any
lines and discounts (hypothesis)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guanxi.sales.engine.quote_totals import LineIn, quote_totals

D = Decimal


def test_worked_example():
    # 净水器 2980 × 2 at 5 % off, 滤芯 198.50 × 3, 3 % off the whole, VAT 13 % included.
    t = quote_totals(
        [LineIn(D("2980"), 2, D(5)), LineIn(D("198.50"), 3)], discount_pct=D(3), tax_rate=D(13)
    )
    assert [ln.list_amount for ln in t.lines] == [D("5960.00"), D("595.50")]
    assert [ln.line_total for ln in t.lines] == [D("5662.00"), D("595.50")]
    assert t.list_total == D("6555.50") and t.subtotal == D("6257.50")
    assert t.overall_discount == D("187.73")  # 187.725 rounded half-up
    assert t.total == D("6069.77")
    assert t.tax == D("698.29")  # 6069.77 × 13 / 113 = 698.2921…
    assert t.net == D("5371.48")
    assert t.discount_pct == D("7.41")  # 485.73 / 6555.50
    # 18773 cents shared 16986.45 : 1786.54, the spare cent to the larger remainder
    assert [ln.amount for ln in t.lines] == [D("5492.14"), D("577.63")]


def test_half_a_cent_rounds_up():
    t = quote_totals([LineIn(D("0.05"), 1, D(50))], tax_rate=D(0))
    assert t.total == D("0.03") and t.discount_pct == D("40.00")


def test_no_lines_is_all_zero():
    t = quote_totals([], discount_pct=D(10))
    assert (t.total, t.tax, t.net, t.discount_pct) == (D(0), D(0), D(0), D(0))


# Whole cents and hundredths of a percent, drawn as integers (cheaper than st.decimals).
prices = st.integers(min_value=0, max_value=9_999_999).map(lambda c: D(c) / 100)
percents = st.integers(min_value=0, max_value=10_000).map(lambda c: D(c) / 100)
lines = st.lists(
    st.builds(LineIn, prices, st.integers(min_value=1, max_value=10_000), percents), max_size=12
)


@given(lines, percents, percents)
def test_the_totals_always_add_up(rows, overall, rate):
    t = quote_totals(rows, discount_pct=overall, tax_rate=rate)
    assert sum((ln.amount for ln in t.lines), D(0)) == t.total
    assert sum((ln.line_total for ln in t.lines), D(0)) == t.subtotal
    assert t.subtotal - t.overall_discount == t.total
    assert t.net + t.tax == t.total
    assert D(0) <= t.tax <= t.total <= t.subtotal <= t.list_total
    assert all(D(0) <= ln.amount <= ln.line_total <= ln.list_amount for ln in t.lines)
    assert D(0) <= t.discount_pct <= D(100)
    for value in (t.total, t.tax, t.net, *(ln.amount for ln in t.lines)):
        assert value == value.quantize(D("0.01"))


def test_the_discount_counts_from_the_customers_own_prices():
    # A retail customer (own price 2980) quoted from the distributor list (2380).
    t = quote_totals([LineIn(D("2380"), 1, reference_price=D("2980"))], tax_rate=D(13))
    assert t.list_total == D("2380.00") and t.discount_pct == D("20.13")  # 600 / 2980
    # A distributor quoted at retail with 10 % off still pays more than their own price.
    t = quote_totals([LineIn(D("2980"), 1, D(10), reference_price=D("2380"))])
    assert t.discount_pct == D("0.00")


@given(lines, percents, st.lists(prices, min_size=0, max_size=12))
def test_the_effective_discount_is_a_percentage(rows, overall, references):
    rows = [
        LineIn(r.unit_price, r.quantity, r.discount_pct, reference_price=ref)
        for r, ref in zip(rows, references, strict=False)
    ]  # lines beyond the references are dropped: every line has one
    t = quote_totals(rows, discount_pct=overall)
    assert D(0) <= t.discount_pct <= D(100)
    reference = sum((r.reference_price * r.quantity for r in rows), D(0))
    if reference > t.total:
        assert abs(t.discount_pct - (reference - t.total) * 100 / reference) <= D("0.005")
