"""The baseline: Odoo's predictive lead scoring (crm `_pls_*`), a naive Bayes over the
frequencies of each field's values among won and lost leads.

What it does, as Odoo does it: every (field, value) seen in the history gets a won and
a lost count, each plus 0.1 so that no frequency is zero; P(value | won) is the value's
won count over the sum of its field's won counts (likewise lost); a lead's won score is
the prior P(won) times P(value | won) of each of its fields, its lost score likewise,
and its probability is won / (won + lost), kept within 0.01 %–99.99 %. Unset values and
values never seen are left out of the product. Numbers are binned (Odoo's fields are all
categories). A factor's weight is its log likelihood ratio, log P(v|won) − log P(v|lost).
"""

from dataclasses import dataclass

import numpy as np

from guanxi.sales.scoring.table import UNSET, Spec, Table, as_categories

SMOOTHING = 0.1
CLIP = (0.0001, 0.9999)


@dataclass
class NaiveBayes:
    """Per-field, per-value won and lost counts (smoothed), and the prior counts."""

    spec: Spec
    won: dict[str, dict[str, float]]
    lost: dict[str, dict[str, float]]
    n_won: int
    n_lost: int
    skip_unset: bool = True

    def log_ratios(self, table: Table) -> np.ndarray:
        """Rows × fields: each value's log likelihood ratio (0 when unset or unseen)."""
        out = np.zeros((len(table), len(self.spec.fields)))
        for j, name in enumerate(self.spec.fields):
            won, lost = self.won[name], self.lost[name]
            won_total, lost_total = sum(won.values()), sum(lost.values())
            if not won_total or not lost_total:
                continue
            ratio = {v: np.log(won[v] / won_total) - np.log(lost[v] / lost_total) for v in won}
            values = as_categories(table, self.spec, name)
            uniq, inverse = np.unique(values, return_inverse=True)
            per_value = np.array([ratio.get(v, 0.0) for v in uniq])
            out[:, j] = per_value[inverse]
        return out

    def prior_log_odds(self) -> float:
        return float(np.log(self.n_won) - np.log(self.n_lost))

    def predict(self, table: Table) -> np.ndarray:
        log_odds = self.prior_log_odds() + self.log_ratios(table).sum(axis=1)
        return np.clip(1.0 / (1.0 + np.exp(-log_odds)), *CLIP)


def naive_bayes_fit(
    table: Table, won: np.ndarray, *, spec: Spec, skip_unset: bool = True
) -> NaiveBayes:
    """Count each field's values among won and lost leads, plus SMOOTHING each."""
    won = np.asarray(won, dtype=bool)
    if won.all() or not won.any():
        raise ValueError("naive Bayes needs both won and lost leads")
    won_counts: dict[str, dict[str, float]] = {}
    lost_counts: dict[str, dict[str, float]] = {}
    for name in spec.fields:
        values = as_categories(table, spec, name)
        keep = values != UNSET if skip_unset else np.ones(len(values), dtype=bool)
        uniq, inverse = np.unique(values[keep], return_inverse=True)
        n_won = np.bincount(inverse, weights=won[keep], minlength=len(uniq))
        n_all = np.bincount(inverse, minlength=len(uniq))
        won_counts[name] = {v: float(c) + SMOOTHING for v, c in zip(uniq, n_won, strict=True)}
        lost_counts[name] = {
            v: float(a - c) + SMOOTHING for v, c, a in zip(uniq, n_won, n_all, strict=True)
        }
    return NaiveBayes(
        spec=spec,
        won=won_counts,
        lost=lost_counts,
        n_won=int(won.sum()),
        n_lost=int((~won).sum()),
        skip_unset=skip_unset,
    )
