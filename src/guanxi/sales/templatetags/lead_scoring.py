"""`{{ lead|score_factors }}`: a lead's top scoring factors, labelled."""

from django import template

from guanxi.sales.scoring_labels import factor_rows

register = template.Library()


@register.filter
def score_factors(lead) -> list[dict]:
    detail = getattr(lead, "score_detail", None) if lead.score is not None else None
    return factor_rows(detail.factors) if detail else []
