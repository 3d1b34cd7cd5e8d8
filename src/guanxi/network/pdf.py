"""A statement as a PDF (reportlab) with Chinese text; the font, styles and document
set-up are shared with the other PDFs (core/pdf.py)."""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from guanxi.core import pdf
from guanxi.network.statements import Statement
from guanxi.network.templatetags.network_tags import percent

SECTION_TITLES = {
    "performance_bonus": gettext_noop("Performance bonus"),
    "leadership_bonus": gettext_noop("Leadership bonus"),
    "unilevel_bonus": gettext_noop("Unilevel bonus"),
    "personal_sales_bonus": gettext_noop("Personal sales bonus"),
}


def _line_text(line) -> str:
    """The line's text as Paragraph markup: names are escaped (reportlab reads markup)."""
    who = escape(f"{line.member.member_id} {line.member.party.name}") if line.member else ""
    texts = {
        "own_group": _("Own group BV × own rate"),
        "child_group": _("less %(who)s: group BV × their rate") % {"who": who},
        "broken_away_group": _("%(who)s: broken-away group BV") % {"who": who},
        "downline_volume": _("%(who)s: personal BV") % {"who": who},
        "own_sales": _("Own net sales × rate"),
        "own_sales_capped": _("Own net sales × cap"),
    }
    return texts[line.text]


def statement_pdf(s: Statement) -> bytes:
    look = pdf.styles()
    title, heading, body = look["title"], look["heading"], look["body"]
    grid = pdf.grid()
    r = s.result
    story = [
        Paragraph(
            _("Statement for %(period)s") % {"period": s.run.period.period}
            + f"　{s.distributor.member_id} {s.distributor.party.name}",
            title,
        ),
        Paragraph(
            _("Plan %(plan)s, run #%(number)s (%(status)s).")
            % {
                "plan": s.run.plan_version,
                "number": s.run.number,
                "status": s.run.get_status_display(),
            },
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    summary = [
        [_("Personal PV"), r.personal_pv, _("Group PV"), r.group_pv],
        [_("Personal BV"), r.personal_bv, _("Group BV"), r.group_bv],
        [_("Own net sales"), r.amount, _("Rate"), percent(r.rate)],
    ]
    story.append(Table([[str(c) for c in row] for row in summary], style=grid, hAlign="LEFT"))
    story.append(Paragraph(escape(_("Own orders in the period")), heading))
    rows = [[_("Date"), _("Source"), "PV", "BV", _("Amount")]]
    rows += [[str(o.date), o.source_ref, str(o.pv), str(o.bv), str(o.amount)] for o in s.orders]
    rows.append([_("Sum"), "", str(r.personal_pv), str(r.personal_bv), str(r.amount)])
    story.append(Table(rows, style=grid, hAlign="LEFT", repeatRows=1))
    for section in s.sections:
        story.append(Paragraph(escape(_(SECTION_TITLES[section.key])), heading))
        rows = [[_("Line"), _("Level"), _("Base"), _("Rate"), _("Amount")]]
        for line in section.lines:
            rows.append(
                [
                    Paragraph(_line_text(line), body),
                    "" if line.level is None else str(line.level),
                    str(line.base),
                    percent(line.rate),
                    f"{line.amount.normalize():f}",
                ]
            )
        rows.append([_("Paid (not below 0, rounded half-up)"), "", "", "", str(section.paid)])
        story.append(
            Table(
                rows,
                style=grid,
                hAlign="LEFT",
                repeatRows=1,
                colWidths=[80 * mm, 14 * mm, 28 * mm, 18 * mm, 30 * mm],
            )
        )
    for a in s.adjustments:
        story.append(
            Paragraph(
                _("Adjustment for %(period)s: %(amount)s")
                % {"period": a.for_period, "amount": a.amount},
                body,
            )
        )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(_("Total %(total)s") % {"total": r.total}), heading))
    return pdf.build(story, title=f"{s.distributor.member_id} {s.run.period.period}")
