"""The sponsor tree as arrays, walked level by level.

`parent[i]` is the index of member i's sponsor, or -1 for a root. Depths come from
pointer jumping (each pass doubles how far every pointer reaches, so a chain of 100,000
takes 17 vectorised passes), and members sorted by depth give a top-down order in which
a level's sponsors all come before it. Bottom-up sums then take one numpy pass per level:
a few dozen in real networks. A network deeper than DEEP levels goes to compiled loops
(`deep.py`, numba), which cost half a second to load but are linear whatever the depth.
"""

from dataclasses import dataclass

import numpy as np

from guanxi.network.engine.errors import InputError, gettext_noop

DEEP = 512  # deeper networks use the compiled loops


@dataclass(frozen=True)
class Levels:
    """Members grouped by depth: `order[bounds[d]:bounds[d + 1]]` are those at depth d."""

    parent: np.ndarray
    depth: np.ndarray
    order: np.ndarray
    bounds: np.ndarray

    @property
    def max_depth(self) -> int:
        return len(self.bounds) - 2

    @property
    def deep(self) -> bool:
        return self.max_depth > DEEP

    def at(self, depth: int) -> np.ndarray:
        return self.order[self.bounds[depth] : self.bounds[depth + 1]]


def levels(parent: np.ndarray, member_ids=None) -> Levels:
    """The tree's levels; InputError names a member of a sponsor cycle."""
    parent = np.ascontiguousarray(parent, dtype=np.int64)
    n = parent.shape[0]
    jump = parent.copy()
    depth = (parent >= 0).astype(np.int64)
    for _ in range(max(n, 2).bit_length() + 1):
        moving = np.flatnonzero(jump >= 0)
        if moving.size == 0:
            break
        target = jump[moving]
        depth[moving] += depth[target]
        jump[moving] = jump[target]
    if (jump >= 0).any():  # still pointing somewhere after log2(n) doublings: a cycle
        member = _on_cycle(parent, int(np.flatnonzero(jump >= 0)[0]))
        name = member_ids[member] if member_ids is not None else member
        raise InputError(
            gettext_noop("The sponsor chain of %(member)s loops back on itself."), member=name
        )
    small = depth.astype(np.int32) if n and depth.max() < 2**31 else depth
    order = np.argsort(small, kind="stable")
    bounds = np.searchsorted(depth[order], np.arange(int(depth.max(initial=0)) + 2))
    return Levels(parent=parent, depth=depth, order=order, bounds=bounds)


def _on_cycle(parent: np.ndarray, start: int) -> int:
    """A member on the cycle that `start` (never reaching a root) leads into."""
    seen = set()
    node = start
    while node not in seen:
        seen.add(node)
        node = int(parent[node])
    return node


def subtree_sums(tree: Levels, values: np.ndarray) -> np.ndarray:
    """Each member's value plus all of its downline's (a team total)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    if tree.deep:
        from guanxi.network.engine.deep import subtree_sums as compiled

        return compiled(tree.parent, tree.order, values)
    total = values.copy()
    for depth in range(tree.max_depth, 0, -1):
        members = tree.at(depth)
        np.add.at(total, tree.parent[members], total[members])
    return total
