"""Maximum Nash Welfare (Caragiannis et al., "The Unreasonable Fairness of Maximum Nash
Welfare", EC 2016), exact.

Convention: first give positive utility to as many parties as possible, then maximise the
product of the positive utilities. `nash_welfare` is that product (0 when no party values any
item).

- Two parties: exact, by dynamic programming over the reachable (u_A, u_B) pairs of the whole
  items (see frontier.py), combined with the exact best split of the divisible items along each
  segment of their frontier (the product is a concave quadratic on a segment; its maximum is
  found with Fractions).
- Three parties, indivisible items: the MILP below, given about as long as the exact table of
  reachable (u_A, u_B) pairs would take (the most C can have for each, frontier.three_party_best,
  up to 4.5 million cells); if it has not proved its answer by then, the table answers.
- More parties, indivisible items: a MILP solved by HiGHS (`scipy.optimize.milp`, zero gap) with
  log utilities linearised by chords of log between consecutive integers (exact at integer
  utilities), the chords added lazily where the solution lands. Floating point cannot be trusted
  to separate two allocations whose products are within 1e-9 of each other, so the candidate is
  then checked: the MILP is asked for any other allocation whose log-product reaches the
  candidate's minus 1e-9, with the allocations already seen cut off; each one found is compared
  exactly (integer products), until HiGHS proves there is none. The answer is the exact optimum.
- More parties with divisible items: the same MILP with continuous shares for the divisible items,
  whose float split is then made exact by the Eisenberg-Gale optimality conditions (market.py).
  With whole items as well, the assignment of the whole items is then proved by a relaxation
  with tangents of log (milp._prove_mixed), each assignment it finds getting its exact split.
  `NashResult.exact` is False only when some party cannot be pleased at all, when a split cannot
  be made exact, or after too many near-ties (see docs/division.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from accord.division._common import (
    ONE,
    ZERO,
    DivisionError,
    divisible_flags,
    points_matrix,
    scaled_rows,
    utilities,
)
from accord.division.frontier import (
    THREE_PARTY_LIMIT,
    Chain,
    State,
    divisible_chain,
    indivisible_frontier,
    three_party_best,
)


@dataclass(frozen=True)
class NashResult:
    shares: list[list[Fraction]]  # shares[i][j]: party i's share of item j
    nash_welfare: Fraction  # product of the positive utilities
    utilities: list[Fraction]
    exact: bool = True
    stats: dict[str, int] = field(default_factory=dict, compare=False)


def max_nash_welfare(
    points: Sequence[Sequence[object]], divisible: Sequence[bool] | None = None
) -> NashResult:
    rows = points_matrix(points)
    n, m = len(rows), len(rows[0])
    div = divisible_flags(divisible, m)
    ints, factors = scaled_rows(rows)
    stats: dict[str, int] = {}
    exact = True
    if n == 1:
        shares = [[ONE] * m]
    elif n == 2:
        shares = _two_parties(ints[0], ints[1], div, factors)
    else:
        shares, exact, stats = _more_parties(ints, div, factors)
    utils = utilities(rows, shares)
    return NashResult(shares, welfare(utils), utils, exact, stats)


def _more_parties(
    ints: list[list[int]], div: list[bool], factors: list[Fraction]
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    """Three or more parties. Three parties with whole items have two exact methods: the MILP,
    fast when the optimum stands out, and the (u_A, u_B) table, whose time is predictable (about
    one pass over the table per item). The MILP gets about the table's time; if it has not
    proved its answer by then, the table gives it."""
    from accord.division.milp import OutOfTime, nash_milp

    n, m = len(ints), len(ints[0])
    cells = (sum(ints[0]) + 1) * (sum(ints[1]) + 1)
    if n == 3 and not any(div) and cells <= THREE_PARTY_LIMIT:
        try:
            return nash_milp(ints, div, factors, budget=TABLE_SECONDS_PER_CELL * cells * m)
        except OutOfTime:
            owners = three_party_best(ints)
            if owners is not None:
                shares = [[ONE if owners[j] == i else ZERO for j in range(m)] for i in range(n)]
                return shares, True, {"table": 1}
    return nash_milp(ints, div, factors)


# About the three-party table's cost per cell and item (seconds), with room for a busy machine.
TABLE_SECONDS_PER_CELL = 3e-8


def welfare(utils: Sequence[Fraction | int]) -> Fraction:
    positive = [Fraction(u) for u in utils if u > 0]
    return math.prod(positive, start=ONE) if positive else ZERO


def nash_key(utils: Sequence[Fraction | int]) -> tuple[int, Fraction | int]:
    """What MNW maximises: the number of parties with positive utility, then their product."""
    positive = [u for u in utils if u > 0]
    return len(positive), math.prod(positive) if positive else 0


def _two_parties(
    a: list[int], b: list[int], div: list[bool], factors: list[Fraction]
) -> list[list[Fraction]]:
    """Exact two-party MNW on integer points (`factors`: each party's scale, to compare
    allocations that please different parties in the original units)."""
    m = len(a)
    fa, fb = factors

    def key(ua: Fraction | int, ub: Fraction | int) -> tuple[int, Fraction | int]:
        if ua > 0 and ub > 0:
            return 2, ua * ub  # the scale is the same constant for every such allocation
        return nash_key((ua / fa, ub / fb))

    whole = [j for j in range(m) if not div[j] and (a[j] or b[j])]
    parts = [j for j in range(m) if div[j]]
    states = indivisible_frontier(a, b, whole)
    share_a = [ONE if (a[j] == 0 and b[j] == 0) else ZERO for j in range(m)]
    if not parts:
        best = max(states, key=lambda s: key(s.ua, s.ub))
        for j in best.to_a:
            share_a[j] = ONE
        return [share_a, [ONE - s for s in share_a]]
    chain = divisible_chain(a, b, parts)
    best_key: tuple[int, Fraction | int] = (-1, 0)
    best_choice: tuple[State, int, Fraction] = (states[0], 0, ZERO)
    for state in states:
        for k, t in _candidates(state, chain):
            ua, ub = _point(state, chain, k, t)
            found = key(ua, ub)
            if found > best_key:
                best_key, best_choice = found, (state, k, t)
    state, k, t = best_choice
    for j in state.to_a:
        share_a[j] = ONE
    for j in parts:
        share_a[j] = ZERO
    for j in chain.order[:k]:
        share_a[j] = ONE
    if k < len(chain.order):
        share_a[chain.order[k]] = t
    for j in parts:  # a divisible item neither party values: keep it whole, with A
        if a[j] == 0 and b[j] == 0:
            share_a[j] = ONE
    return [share_a, [ONE - s for s in share_a]]


def _point(state: State, chain: Chain, k: int, t: Fraction) -> tuple[Fraction, Fraction]:
    """Utilities at vertex k of the divisible chain plus a fraction t of the next item to A."""
    x, y = Fraction(chain.xs[k]), Fraction(chain.ys[k])
    if t and k < len(chain.order):
        x += t * (chain.xs[k + 1] - chain.xs[k])
        y -= t * (chain.ys[k] - chain.ys[k + 1])
    return state.ua + x, state.ub + y


def _candidates(state: State, chain: Chain) -> list[tuple[int, Fraction]]:
    out = [(k, ZERO) for k in range(len(chain.xs))]
    for k in range(len(chain.order)):
        # on segment k: (P + t*da) * (Q - t*db), maximal at t = (da*Q - db*P) / (2*da*db)
        da = chain.xs[k + 1] - chain.xs[k]
        db = chain.ys[k] - chain.ys[k + 1]
        if da and db:
            p = state.ua + chain.xs[k]
            q = state.ub + chain.ys[k]
            t = Fraction(da * q - db * p, 2 * da * db)
            if 0 < t < 1:
                out.append((k, t))
    return out


__all__ = ["DivisionError", "NashResult", "max_nash_welfare", "nash_key", "welfare"]
