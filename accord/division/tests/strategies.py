"""Hypothesis strategies and a brute-force MNW for the fair-division tests."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st


@st.composite
def points_tables(
    draw: st.DrawFn, parties: tuple[int, int], items: tuple[int, int], top: int = 20
) -> list[list[int]]:
    n = draw(st.integers(*parties))
    m = draw(st.integers(*items))
    return [draw(st.lists(st.integers(0, top), min_size=m, max_size=m)) for _ in range(n)]


@st.composite
def aw_points(draw: st.DrawFn, max_items: int = 12) -> tuple[list[int], list[int]]:
    """Two lists of points with the same (positive) total, like a real rating."""
    m = draw(st.integers(1, max_items))
    a = draw(st.lists(st.integers(0, 100), min_size=m, max_size=m).filter(lambda xs: sum(xs) > 0))
    b = draw(st.lists(st.integers(0, 100), min_size=m, max_size=m).filter(lambda xs: sum(xs) > 0))
    sa, sb = sum(a), sum(b)
    return [x * sb for x in a], [y * sa for y in b]


def brute_force_key(points: list[list[int]]) -> tuple[int, int]:
    """(most parties with positive utility, largest product among them) over every whole-item
    allocation, by enumeration."""
    v = np.array(points, dtype=np.int64)
    n, m = v.shape
    owners = np.indices((n,) * m).reshape(m, -1).T  # every assignment, one row each
    utils = np.zeros((owners.shape[0], n), dtype=np.int64)
    for j in range(m):
        utils[np.arange(owners.shape[0]), owners[:, j]] += v[owners[:, j], j]
    count = (utils > 0).sum(axis=1)
    best_count = int(count.max())
    chosen = utils[count == best_count]
    product = np.where(chosen > 0, chosen, 1).prod(axis=1, dtype=object)
    best = max(int(p) for p in product) if best_count else 0
    return best_count, best


def whole(shares: list[list[Fraction]]) -> bool:
    return all(s in (0, 1) for row in shares for s in row)
