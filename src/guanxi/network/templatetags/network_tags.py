"""Charts drawn on the server as SVG: no script, no CDN, readable when printed."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

WIDTH, HEIGHT, PAD = 640, 180, 24


@register.simple_tag
def bar_chart(rows, label_key: str, *value_keys: str):
    """Grouped bars, one group per row; `rows` are dicts or objects."""
    rows = list(rows)
    if not rows:
        return ""

    def value(row, key):
        return row[key] if isinstance(row, dict) else getattr(row, key)

    top = max((value(r, k) for r in rows for k in value_keys), default=0) or 1
    group = (WIDTH - PAD) / len(rows)
    bar = max(group / (len(value_keys) + 1), 1)
    bars, labels = [], []
    for i, row in enumerate(rows):
        for j, key in enumerate(value_keys):
            v = value(row, key)
            h = (HEIGHT - PAD) * v / top
            x, y = PAD + i * group + j * bar, HEIGHT - PAD - h
            bars.append(
                (
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{bar * 0.9:.1f}",
                    f"{h:.1f}",
                    j,
                    f"{value(row, label_key)}: {v}",
                )
            )
        labels.append((f"{PAD + i * group + group / 2:.1f}", HEIGHT - 6, value(row, label_key)))
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img">{}{}</svg>',
        WIDTH,
        HEIGHT,
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="s{}"><title>{}</title></rect>',
            bars,
        ),
        format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )


@register.filter
def percent(rate) -> str:
    """A rate as people say it: 0.2100 → 21%, 0.0350 → 3.5%."""
    if rate is None or rate == "":
        return ""
    value = (Decimal(str(rate)) * 100).normalize()
    return f"{value:f}%"


@register.filter
def exact(value) -> str:
    """A Decimal without trailing zeros (1781.514000 → 1781.514); whole numbers as 0.00."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = f"{number.normalize():f}"
    return text if "." in text else f"{number:.2f}"
