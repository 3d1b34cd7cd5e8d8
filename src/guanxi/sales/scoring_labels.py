"""A lead's scoring factors in words, in the user's language (the stored factors keep
machine names and raw values, so a factor reads right in any language)."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from guanxi.sales.choices import LeadSource

FIELD_LABELS = {
    "source": gettext_lazy("Source"),
    "province": gettext_lazy("Province"),
    "campaign": gettext_lazy("Campaign"),
    "interest": gettext_lazy("Interested in"),
    "known": pgettext_lazy("lead scoring", "Customer"),
    "arrival": gettext_lazy("Arrived"),
    "response_hours": gettext_lazy("First contact"),
    "follow_ups": pgettext_lazy("lead scoring", "Logged"),
    "age_days": gettext_lazy("Open for"),
}
KNOWN = {
    "new": gettext_lazy("new to us"),
    "known": gettext_lazy("in the database already"),
    "owned": gettext_lazy("someone's customer already"),
}
ARRIVAL = {
    "workday": gettext_lazy("in working hours"),
    "evening": gettext_lazy("in the evening"),
    "weekend": gettext_lazy("at the weekend"),
}


def _hours(value: float | None) -> str:
    if value is None:
        return _("not contacted yet")
    if value < 1:
        return _("within the hour")
    if value < 48:
        n = round(value)
        return ngettext("after %(n)d hour", "after %(n)d hours", n) % {"n": n}
    n = round(value / 24)
    return ngettext("after %(n)d day", "after %(n)d days", n) % {"n": n}


def value_label(name: str, value) -> str:
    if name == "source":
        return str(LeadSource(value).label) if value in LeadSource.values else str(value)
    if name == "known":
        return str(KNOWN.get(value, value))
    if name == "arrival":
        return str(ARRIVAL.get(value, value))
    if name == "response_hours":
        return _hours(value)
    if name == "follow_ups":
        n = int(value or 0)
        return ngettext("%(n)d activity", "%(n)d activities", n) % {"n": n}
    if name == "age_days":
        n = math.floor(value or 0)
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    return str(value) if value else _("not given")


def factor_label(factor: dict) -> str:
    """ "Source: Call-in", in the active language."""
    name = factor["field"]
    value = value_label(name, factor["value"])
    return _("%(field)s: %(value)s") % {"field": FIELD_LABELS.get(name, name), "value": value}


def factor_rows(factors: list[dict]) -> list[dict]:
    """Each factor with its label, whether it raises the score, and by what it
    multiplies the odds of winning (e^weight)."""
    return [
        {
            "label": factor_label(f),
            "up": f["weight"] > 0,
            "odds": f"×{math.exp(f['weight']):.2f}",
            "weight": f["weight"],
        }
        for f in factors
    ]
