"""The sponsor tree as arrays: a top-down order that makes every pass one loop.

`parent[i]` is the index of member i's sponsor, or -1 for a root. `top_down_order`
lists every member after its sponsor (breadth first from the roots); walking it
backwards visits children before parents. Loops are compiled by numba: a Python loop
per member, or a numpy call per depth level, is too slow for a 100,000-deep chain.
"""

import numba
import numpy as np

from guanxi.network.engine.errors import InputError, gettext_noop


@numba.njit(cache=True, nogil=True)
def _order(parent: np.ndarray) -> tuple[np.ndarray, int]:
    n = parent.shape[0]
    counts = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        counts[parent[i] + 1] += 1  # slot 0 counts the roots
    starts = np.zeros(n + 2, dtype=np.int64)
    for k in range(n + 1):
        starts[k + 1] = starts[k] + counts[k]
    fill = starts[:-1].copy()
    grouped = np.empty(n, dtype=np.int64)  # members grouped by sponsor, roots first
    for i in range(n):
        slot = parent[i] + 1
        grouped[fill[slot]] = i
        fill[slot] += 1
    order = np.empty(n, dtype=np.int64)
    size = 0
    for k in range(starts[0], starts[1]):
        order[size] = grouped[k]
        size += 1
    head = 0
    while head < size:
        node = order[head]
        head += 1
        for k in range(starts[node + 1], starts[node + 2]):
            order[size] = grouped[k]
            size += 1
    return order, size


def top_down_order(parent: np.ndarray, member_ids=None) -> np.ndarray:
    """Every member after its sponsor; InputError names a member of a sponsor cycle."""
    parent = np.ascontiguousarray(parent, dtype=np.int64)
    order, size = _order(parent)
    if size < parent.shape[0]:
        reached = np.zeros(parent.shape[0], dtype=bool)
        reached[order[:size]] = True
        member = _on_cycle(parent, int(np.flatnonzero(~reached)[0]))
        name = member_ids[member] if member_ids is not None else member
        raise InputError(
            gettext_noop("The sponsor chain of %(member)s loops back on itself."), member=name
        )
    return order


def _on_cycle(parent: np.ndarray, start: int) -> int:
    """A member on the cycle that `start` (unreachable from any root) leads into."""
    seen = set()
    node = start
    while node not in seen:
        seen.add(node)
        node = int(parent[node])
    return node


def depths(parent: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Depth of each member (roots are 0)."""
    return _depths(np.ascontiguousarray(parent, dtype=np.int64), order)


@numba.njit(cache=True, nogil=True)
def _depths(parent, order):
    depth = np.zeros(parent.shape[0], dtype=np.int64)
    for node in order:
        if parent[node] >= 0:
            depth[node] = depth[parent[node]] + 1
    return depth


def subtree_sums(parent: np.ndarray, order: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each member's value plus all of its downline's (a team total)."""
    return _subtree_sums(
        np.ascontiguousarray(parent, dtype=np.int64),
        order,
        np.ascontiguousarray(values, dtype=np.int64),
    )


@numba.njit(cache=True, nogil=True)
def _subtree_sums(parent, order, values):
    total = values.copy()
    for k in range(order.shape[0] - 1, -1, -1):
        i = order[k]
        if parent[i] >= 0:
            total[parent[i]] += total[i]
    return total
