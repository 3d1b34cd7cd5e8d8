"""Limited-memory BFGS in numpy (no scipy in the product), for smooth convex losses."""

from collections.abc import Callable

import numpy as np

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


def _direction(g: np.ndarray, pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The two-loop recursion: −H·g with H the inverse Hessian the pairs imply."""
    q = g.copy()
    alphas = []
    for s, y in reversed(pairs):
        rho = 1.0 / (y @ s)
        a = rho * (s @ q)
        q -= a * y
        alphas.append((rho, a))
    if pairs:
        s, y = pairs[-1]
        q *= (s @ y) / (y @ y)
    else:
        q /= max(1.0, float(np.linalg.norm(g)))  # a first step of length at most 1
    for (s, y), (rho, a) in zip(pairs, reversed(alphas), strict=True):
        q += s * (a - rho * (y @ q))
    return -q


def lbfgs(
    fun: Objective,
    x0: np.ndarray,
    *,
    max_iter: int = 300,
    history: int = 10,
    gtol: float = 1e-6,
    ftol: float = 1e-10,
) -> tuple[np.ndarray, int]:
    """Minimise `fun` (returning value and gradient) from x0; (x, iterations)."""
    x = np.asarray(x0, dtype=float).copy()
    f, g = fun(x)
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    for iteration in range(1, max_iter + 1):
        if np.max(np.abs(g)) < gtol:
            return x, iteration - 1
        d = _direction(g, pairs)
        slope = g @ d
        if slope >= 0:  # not a descent direction (round-off): restart from the gradient
            pairs, d, slope = [], -g, -(g @ g)
        step = 1.0
        while True:  # backtracking until the Armijo condition holds
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = x_new - x, g_new - g
        if s @ y > 1e-12:
            pairs = [*pairs[-(history - 1) :], (s, y)]
        converged = abs(f - f_new) <= ftol * max(1.0, abs(f))
        x, f, g = x_new, f_new, g_new
        if converged:
            return x, iteration
    return x, max_iter
