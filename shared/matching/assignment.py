"""Maximum-weight bipartite assignment on small dense blocks (no scipy needed).

Weights are non-negative integers; a weight of 0 means "no edge", and a row
assigned through a 0 weight counts as unassigned. The algorithm is the
Hungarian method with potentials (Kuhn-Munkres, O(n^2 m) for n rows <= m
columns), on integers so ties are exact.

>>> total, rows = max_weight_assignment([[9, 8], [8, 0]])
>>> total, rows
(16, [1, 0])
"""

from __future__ import annotations


def max_weight_assignment(weights: list[list[int]]) -> tuple[int, list[int]]:
    """Return (total weight, column of each row or -1) of a maximum-weight matching."""
    n = len(weights)
    if n == 0:
        return 0, []
    m = len(weights[0])
    if m == 0:
        return 0, [-1] * n
    if n > m:
        return _by_columns(weights)
    p = _row_of_column(weights, n, m)
    rows = [-1] * n
    total = 0
    for j in range(1, m + 1):
        i = p[j]
        if i and weights[i - 1][j - 1] > 0:
            rows[i - 1] = j - 1
            total += weights[i - 1][j - 1]
    return total, rows


def _by_columns(weights: list[list[int]]) -> tuple[int, list[int]]:
    """More rows than columns: the matching of the transposed matrix, read back by row."""
    n, m = len(weights), len(weights[0])
    transposed = [[weights[i][j] for i in range(n)] for j in range(m)]
    total, cols = max_weight_assignment(transposed)
    rows = [-1] * n
    for j, i in enumerate(cols):
        if i >= 0:
            rows[i] = j
    return total, rows


def _row_of_column(weights: list[list[int]], n: int, m: int) -> list[int]:
    """The Hungarian method (n <= m): p[j], the 1-based row assigned to column j (0: none)."""
    inf = float("inf")
    # Minimise cost = -weight; potentials u (rows) and v (columns), 1-based.
    # Floats: a potential may take `inf` while no column is free yet.
    u: list[float] = [0] * (n + 1)
    v: list[float] = [0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            row = weights[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    return p
