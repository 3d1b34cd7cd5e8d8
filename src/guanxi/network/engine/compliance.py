"""Mainland China's rules on a plan (the CN profile), without a database.

直销管理条例 (Direct Selling Regulations) Art. 24: a direct seller's pay is computed only
on their own sales to consumers, and at most 30% of that income. 禁止传销条例 (Regulations
on Prohibiting Pyramid Selling) Art. 7: paying on recruits or on others' sales, and
entry fees, are pyramid selling.
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal

from guanxi.network.engine.errors import gettext_noop
from guanxi.network.engine.plan import RATE_SCALE, Plan

CAP = Decimal("0.30")
ART_24 = gettext_noop("Direct Selling Regulations Art. 24")
ART_7 = gettext_noop("Regulations on Prohibiting Pyramid Selling Art. 7")
ART_15 = gettext_noop("Direct Selling Regulations Art. 15")
ART_18 = gettext_noop("Direct Selling Regulations Art. 18")
# Keys a plan might use for what Art. 7 forbids; the plan format has no such component,
# so they can only appear in a plan written for another system.
FORBIDDEN_KEYS = {
    "entry_fee": gettext_noop("an entry fee (入门费) is charged"),
    "joining_fee": gettext_noop("an entry fee (入门费) is charged"),
    "recruiting_bonus": gettext_noop("pay for recruiting (拉人头) is offered"),
    "fast_start": gettext_noop("pay for recruiting (拉人头) is offered"),
    "sponsor_bonus": gettext_noop("pay for recruiting (拉人头) is offered"),
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: what, where (a plan key or a member), and the article."""

    article: str
    message: str
    where: str
    params: dict


def check_plan(plan: Plan) -> list[Violation]:
    found = []
    others = gettext_noop("%(component)s pays on other members' volume, not only on own sales")
    for component in ("stairstep", "unilevel"):
        if getattr(plan, component) is not None:
            for article in (ART_24, ART_7):
                found.append(Violation(article, others, f"[{component}]", {"component": component}))
    sales = plan.personal_sales
    if sales is not None and Decimal(sales.cap_ratio) / RATE_SCALE > CAP:
        found.append(
            Violation(
                ART_24,
                gettext_noop("the cap of %(cap)s exceeds 30%% of own sales"),
                "personal_sales.cap_ratio",
                {"cap": str(Decimal(sales.cap_ratio) / RATE_SCALE)},
            )
        )
    return found


def check_source(source: str) -> list[Violation]:
    """Forbidden keys anywhere in the plan text (checked before the plan is parsed)."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return []  # parse_plan reports it
    found = []

    def walk(table: dict, prefix: str) -> None:
        for key, value in table.items():
            if key in FORBIDDEN_KEYS:
                found.append(Violation(ART_7, FORBIDDEN_KEYS[key], prefix + key, {}))
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")

    walk(data, "")
    return found


def without_forbidden_keys(source: str) -> str:
    """The plan text with forbidden tables and keys dropped, so the rest can be parsed."""
    kept, skipping = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = stripped.strip("[] ") in FORBIDDEN_KEYS
        key = stripped.split("=", 1)[0].strip()
        if skipping or ("=" in stripped and key in FORBIDDEN_KEYS):
            continue
        kept.append(line)
    return "\n".join(kept)
