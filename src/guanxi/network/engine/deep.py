"""Compiled loops (numba) for networks deeper than tree.DEEP levels.

One pass over the members, children before sponsors, whatever the depth; numba compiles
them once into its cache. Loading them costs about half a second, which is why a network
of ordinary depth is computed level by level in numpy instead. Both paths are tested
against the member-by-member oracle.
"""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def stairstep(parent, order, pv, bv, thresholds, rates, top, leadership_rate):
    n = parent.shape[0]
    group_pv = pv.copy()
    group_bv = bv.copy()
    below = np.zeros(n, dtype=np.int64)  # Σ rate(c)·group_bv(c) over the group's children
    away_bv = np.zeros(n, dtype=np.int64)  # Σ group_bv(c) over broken-away children
    rate = np.zeros(n, dtype=np.int64)
    broken = np.zeros(n, dtype=np.bool_)
    performance = np.zeros(n, dtype=np.int64)
    leadership = np.zeros(n, dtype=np.int64)
    for k in range(n - 1, -1, -1):  # children before their sponsor
        i = order[k]
        r = 0
        for s in range(thresholds.shape[0]):
            if thresholds[s] > group_pv[i]:
                break
            r = rates[s]
        rate[i] = r
        performance[i] = r * group_bv[i] - below[i]
        if r == top:
            broken[i] = True
            leadership[i] = leadership_rate * away_bv[i]
        up = parent[i]
        if up >= 0:
            if r == top:
                away_bv[up] += group_bv[i]
            else:
                group_pv[up] += group_pv[i]
                group_bv[up] += group_bv[i]
                below[up] += r * group_bv[i]
    return group_pv, group_bv, rate, broken, performance, leadership


@numba.njit(cache=True, nogil=True)
def subtree_sums(parent, order, values):
    total = values.copy()
    for k in range(order.shape[0] - 1, -1, -1):
        i = order[k]
        if parent[i] >= 0:
            total[parent[i]] += total[i]
    return total
