"""A quote as a PDF in Chinese (or the language asked for): the company, the customer,
the lines, discounts, VAT and totals, the validity and the rep."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from guanxi.core import pdf
from guanxi.core.models import OrgUnit
from guanxi.sales.choices import QuoteState
from guanxi.sales.models import Quote


def company_name() -> str:
    if settings.COMPANY_NAME:
        return settings.COMPANY_NAME
    top = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    return top.name if top else ""


def _yuan(value) -> str:
    return f"¥{value:,.2f}"


def _pct(value) -> str:
    return f"{value.normalize():f}%" if value else "—"


def quote_pdf(quote: Quote, *, language: str | None = None) -> bytes:
    """Chinese by default, whatever the user's own language (it goes to the customer)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return pdf.build(_story(quote), title=quote.reference)


def _story(quote: Quote) -> list:
    look = pdf.styles()
    body, heading = look["body"], look["heading"]
    rep = quote.owner
    story = [
        pdf.text(company_name(), heading),
        pdf.text(_("Quotation %(number)s") % {"number": quote.reference}, look["title"]),
        Spacer(1, 3 * mm),
    ]
    facts = [
        [
            pgettext("buyer", "Customer"),
            pdf.text(quote.party.name, body),
            _("Date"),
            _date(quote.created_at),
        ],
        [_("Price list"), quote.price_list.name, _("Valid until"), quote.valid_until.isoformat()],
        [
            _("Sales rep"),
            pdf.text(" ".join(x for x in [str(rep), rep.mobile, rep.email] if x), body),
            _("Version"),
            str(quote.version),
        ],
    ]
    if quote.state in (QuoteState.DRAFT, QuoteState.PENDING):
        # a draft printed for a colleague must not pass for an offer
        story.append(pdf.text(_("Draft: not an offer until it is finished."), body))
    plain = pdf.grid(
        ("BACKGROUND", (0, 0), (-1, 0), colors.white), ("ALIGN", (1, 1), (-1, -1), "LEFT")
    )
    story.append(
        Table(facts, style=plain, hAlign="LEFT", colWidths=[22 * mm, 68 * mm, 22 * mm, 68 * mm])
    )
    story.append(Spacer(1, 4 * mm))
    rows = [[_("No."), _("Product"), _("Unit price"), _("Qty"), _("Discount"), _("Amount")]]
    for i, line in enumerate(quote.lines.order_by("position"), start=1):
        rows.append(
            [
                str(i),
                pdf.text(f"{line.name}（{line.sku}）", body),
                _yuan(line.unit_price),
                str(line.quantity),
                _pct(line.discount_pct),
                _yuan(line.line_total),
            ]
        )
    story.append(
        Table(
            rows,
            style=pdf.grid(),
            hAlign="LEFT",
            repeatRows=1,
            colWidths=[10 * mm, 78 * mm, 26 * mm, 14 * mm, 18 * mm, 34 * mm],
        )
    )
    story.append(Spacer(1, 3 * mm))
    sums = [
        [_("At list prices"), _yuan(quote.list_total)],
        [_("After line discounts"), _yuan(quote.subtotal)],
    ]
    if quote.overall_discount:
        sums.append(
            [
                _("Overall discount %(pct)s") % {"pct": _pct(quote.discount_pct)},
                "-" + _yuan(quote.overall_discount),
            ]
        )
    sums += [
        [_("Total, VAT included"), _yuan(quote.total)],
        [_("of which VAT %(rate)s") % {"rate": _pct(quote.tax_rate)}, _yuan(quote.tax)],
        [_("Net of VAT"), _yuan(quote.net)],
    ]
    story.append(
        Table(
            sums,
            style=pdf.grid(
                ("BACKGROUND", (0, 0), (-1, 0), colors.white), ("ALIGN", (1, 0), (-1, -1), "RIGHT")
            ),
            hAlign="RIGHT",
            colWidths=[50 * mm, 34 * mm],
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        pdf.text(
            _("Prices include VAT. This quotation is valid until %(date)s.")
            % {"date": quote.valid_until.isoformat()},
            body,
        )
    )
    if quote.note:
        story.append(pdf.text(_("Terms and notes"), heading))
        for paragraph in quote.note.splitlines():
            story.append(pdf.text(paragraph, body))
    return story


def _date(value) -> str:
    return timezone.localtime(value).date().isoformat()
