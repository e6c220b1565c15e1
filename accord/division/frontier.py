"""The set of utility pairs two parties can reach: exact, by dynamic programming.

For indivisible items, the Pareto frontier of reachable (u_A, u_B) pairs with integer points; for
divisible items, the concave piecewise-linear frontier obtained by handing items to A in
decreasing order of a_j / b_j (any Pareto-optimal split of divisible goods between two parties has
this shape).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np

# The array DP indexes party A's utility; use it while the numbers stay small.
_ARRAY_LIMIT = 2_000_000


@dataclass(frozen=True)
class State:
    ua: int
    ub: int
    rebuild: Callable[[], frozenset[int]] = field(compare=False, repr=False)

    @property
    def to_a(self) -> frozenset[int]:
        """The whole items (indices into the item list given) that go to A here."""
        return self.rebuild()


def indivisible_frontier(a: list[int], b: list[int], items: list[int]) -> list[State]:
    """Pareto-optimal (u_A, u_B) over whole-item allocations of `items`, u_A ascending."""
    total_a = sum(a[j] for j in items)
    total_b = sum(b[j] for j in items)
    if total_a <= _ARRAY_LIMIT and total_b <= _ARRAY_LIMIT:
        return _array_frontier(a, b, items, total_a)
    return _dict_frontier(a, b, items)


def dp_table(a: list[int], b: list[int], items: list[int], total_a: int) -> tuple[Any, list[Any]]:
    """The two-party DP over whole items: `best[u]`, the most B can get when A gets exactly u
    (-1: A cannot get exactly u), and for each item in turn, at each u, whether it went to A.
    Shared by the frontier below and the local search's pair re-split (milp._pair_best)."""
    best = np.full(total_a + 1, -1, dtype=np.int64)
    best[0] = 0
    decisions = []
    for j in items:
        aj, bj = a[j], b[j]
        keep = np.where(best >= 0, best + bj, -1)  # item to B
        give = np.full_like(best, -1)  # item to A
        if aj:
            give[aj:] = best[:-aj]
        else:
            give[:] = best
        take = give > keep
        decisions.append(take)
        best = np.where(take, give, keep)
    return best, decisions


def _array_frontier(a: list[int], b: list[int], items: list[int], total_a: int) -> list[State]:
    best, decisions = dp_table(a, b, items, total_a)
    # Pareto frontier: walking u_A downwards, keep states whose u_B beats every larger u_A
    reach = np.nonzero(best >= 0)[0]
    states_u: list[int] = []
    top = -1
    for u in reach[::-1].tolist():
        ub = int(best[u])
        if ub > top:
            states_u.append(u)
            top = ub

    def rebuild(u: int) -> frozenset[int]:
        to_a = set()
        cur = u
        for idx in range(len(items) - 1, -1, -1):
            if decisions[idx][cur]:
                to_a.add(items[idx])
                cur -= a[items[idx]]
        return frozenset(to_a)

    return [State(u, int(best[u]), partial(rebuild, u)) for u in reversed(states_u)]


def _dict_frontier(a: list[int], b: list[int], items: list[int]) -> list[State]:
    states: list[tuple[int, int, frozenset[int]]] = [(0, 0, frozenset())]
    for j in items:
        grown: dict[int, tuple[int, frozenset[int]]] = {}
        for ua, ub, to_a in states:
            for nua, nub, nto in ((ua + a[j], ub, to_a | {j}), (ua, ub + b[j], to_a)):
                seen = grown.get(nua)
                if seen is None or nub > seen[0]:
                    grown[nua] = (nub, nto)
        pruned = []
        top = -1
        for ua in sorted(grown, reverse=True):
            ub, to_a = grown[ua]
            if ub > top:
                pruned.append((ua, ub, to_a))
                top = ub
        states = pruned[::-1]
    return [State(ua, ub, partial(_same, to_a)) for ua, ub, to_a in states]


def _same(to_a: frozenset[int]) -> frozenset[int]:
    return to_a


@dataclass(frozen=True)
class Chain:
    """Divisible items in the order A should receive them; vertex k: A has order[:k]."""

    order: list[int]
    xs: list[int]  # A's points at vertex k
    ys: list[int]  # B's points at vertex k


def divisible_chain(a: list[int], b: list[int], items: list[int]) -> Chain:
    useful = [j for j in items if a[j] or b[j]]
    # decreasing a/b: compare with exact fractions (b == 0 first)
    useful.sort(key=lambda j: (0, Fraction(0)) if b[j] == 0 else (1, -Fraction(a[j], b[j])))
    xs = [0]
    ys = [sum(b[j] for j in useful)]
    for j in useful:
        xs.append(xs[-1] + a[j])
        ys.append(ys[-1] - b[j])
    return Chain(useful, xs, ys)


def chain_max_b(chain: Chain, need_a: Fraction) -> Fraction | None:
    """Most B can get from the divisible items when A must get at least need_a
    (None: impossible)."""
    if need_a <= 0:
        return Fraction(chain.ys[0])
    if need_a > chain.xs[-1]:
        return None
    for k in range(1, len(chain.xs)):
        if chain.xs[k] >= need_a:
            j = chain.order[k - 1]
            a_j = chain.xs[k] - chain.xs[k - 1]
            t = (need_a - chain.xs[k - 1]) / a_j
            return chain.ys[k - 1] - t * (chain.ys[k - 1] - chain.ys[k]) if j is not None else None
    return None  # pragma: no cover


# The three-party table has (total_A + 1) * (total_B + 1) cells; above this, the MILP is used.
THREE_PARTY_LIMIT = 4_500_000


def three_party_best(v: list[list[int]]) -> list[int] | None:
    """Exact Maximum Nash Welfare of three parties over whole items, by dynamic programming:
    for every reachable pair (u_A, u_B), the most C can have (a numpy table, one choice per
    item and cell kept to rebuild the answer); the best product u_A * u_B * u_C among cells where
    all three are positive is then found in exact int64 arithmetic. Returns the owner of each
    item, or None when the table would be too large or no allocation pleases all three (the MILP
    handles those)."""
    a, b, c = v
    m = len(a)
    ta, tb, tc = sum(a), sum(b), sum(c)
    if (ta + 1) * (tb + 1) > THREE_PARTY_LIMIT or max(ta, 1) * max(tb, 1) * max(tc, 1) >= 2**62:
        return None
    kind = np.int32 if tc < 2**31 - 1 else np.int64
    best = np.full((ta + 1, tb + 1), -1, dtype=kind)
    best[0, 0] = 0
    choices = []
    reach_a = reach_b = 0  # the filled corner of the table so far
    for j in range(m):
        aj, bj, cj = a[j], b[j], c[j]
        ra, rb = reach_a + aj, reach_b + bj
        old = best[: reach_a + 1, : reach_b + 1].copy()
        new = best[: ra + 1, : rb + 1]
        choice = np.zeros((ra + 1, rb + 1), dtype=np.uint8)
        # to C (choice 0): the cells already reached gain c_j; the new rim starts unreached
        new[reach_a + 1 :, :] = -1
        new[:, reach_b + 1 :] = -1
        if cj:
            np.add(old, cj, out=new[: reach_a + 1, : reach_b + 1], where=old >= 0)
        for pick, (da, db) in ((1, (aj, 0)), (2, (0, bj))):
            window = new[da : da + reach_a + 1, db : db + reach_b + 1]
            better = old > window
            np.copyto(window, old, where=better)
            np.copyto(choice[da : da + reach_a + 1, db : db + reach_b + 1], pick, where=better)
        choices.append(choice)
        reach_a, reach_b = ra, rb
    best = best.astype(np.int64)
    ua = np.arange(ta + 1, dtype=np.int64)[:, None]
    ub = np.arange(tb + 1, dtype=np.int64)[None, :]
    pleased = (best > 0) & (ua > 0) & (ub > 0)
    if not pleased.any():
        return None
    product = np.where(pleased, ua * ub * best, -1)
    x, y = np.unravel_index(int(product.argmax()), product.shape)
    owner = [2] * m
    for j in range(m - 1, -1, -1):
        pick = int(choices[j][x, y])
        if pick == 1:
            owner[j] = 0
            x -= a[j]
        elif pick == 2:
            owner[j] = 1
            y -= b[j]
    return owner
