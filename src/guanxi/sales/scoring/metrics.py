"""How well scores rank won leads above lost ones."""

import numpy as np


def ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their mean rank."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    # first position of each run of equal values, and the run's mean rank
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    mean_rank = (starts + 1 + ends) / 2.0
    out = np.empty(len(values))
    out[order] = np.repeat(mean_rank, ends - starts)
    return out


def auc(y: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve: the chance that a random won lead scores above a random
    lost one, ties counting half (Mann–Whitney U / n_won·n_lost). NaN without both."""
    y = np.asarray(y, dtype=bool)
    won, lost = int(y.sum()), int((~y).sum())
    if not won or not lost:
        return float("nan")
    rank_sum = ranks(scores)[y].sum()
    return float((rank_sum - won * (won + 1) / 2.0) / (won * lost))
