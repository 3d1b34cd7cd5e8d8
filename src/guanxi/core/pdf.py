"""What Guanxi's PDFs share (reportlab): the Chinese CID font, the paragraph and table
styles, escaping of text for reportlab's markup, and building an A4 document.

Chinese is set in STSong-Light, one of the CID fonts every PDF reader carries for
Chinese (Adobe's Asian font packs; poppler and WPS map it to a system Song/Noto font),
so no font file ships with Guanxi and the PDF stays small.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

FONT = "STSong-Light"
_registered = False


def font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    name = font()
    return {
        "title": ParagraphStyle("title", fontName=name, fontSize=15, leading=20),
        "heading": ParagraphStyle(
            "heading", fontName=name, fontSize=11.5, leading=16, spaceBefore=8
        ),
        "body": ParagraphStyle("body", fontName=name, fontSize=9, leading=12),
    }


def grid(*extra) -> TableStyle:
    """A ruled table with a shaded header row, numbers right-aligned from column 1."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font()),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f2f5")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *extra,
        ]
    )


def text(value, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: reportlab reads markup, so names are escaped."""
    return Paragraph(escape(str(value)), style)


def build(story: list, *, title: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    ).build(story)
    return buffer.getvalue()
