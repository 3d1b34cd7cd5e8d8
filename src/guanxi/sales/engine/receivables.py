"""Reconciling a contract's collections against its receivables plan (no Django).

The money collected on a contract is pooled and poured into the instalments oldest due
first (ties by position): each instalment takes up to its amount, the rest flows on.
Because only the total matters, the final state does not depend on the order in which
collections were recorded or reversed; overpayment is refused before it gets here.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A CNY amount rounded half-up to the fen."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Due:
    position: int
    due_on: datetime.date
    amount: Decimal


def allocate(plan: list[Due], collected: Decimal) -> dict[int, Decimal]:
    """What each instalment (by position) has been paid out of `collected`; raises
    ValueError when more was collected than the plan asks for."""
    left = money(collected)
    if left < 0:
        raise ValueError("collected cannot be negative")
    paid: dict[int, Decimal] = {}
    for due in sorted(plan, key=lambda d: (d.due_on, d.position)):
        take = min(left, due.amount)
        paid[due.position] = take
        left -= take
    if left > 0:
        raise ValueError("collected exceeds the plan")
    return paid


def plan_problems(amounts: list[Decimal], total: Decimal) -> list[str]:
    """Why a plan cannot stand (codes for the service to word): none when it is fine."""
    problems = []
    if not amounts:
        problems.append("empty")
    if any(a <= 0 for a in amounts):
        problems.append("not_positive")
    if any(a != money(a) for a in amounts):
        problems.append("fen")
    if sum(amounts, Decimal(0)) != total:
        problems.append("sum")
    return problems
