"""Maximum Nash Welfare for three or more parties: a MILP on HiGHS with lazily added chords of
log, then an exact check of the answer (see nash.py for the method and its guarantees)."""

from __future__ import annotations

import math
import random
import time
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from accord.division._common import ONE, ZERO
from accord.division.frontier import dp_table, indivisible_frontier

# Two allocations whose log-products differ by less than this are compared exactly, never by
# HiGHS: it is far above the rounding error of summing logs and below any difference HiGHS reports.
LOG_SLACK = 1e-9
MAX_CHECKS = 200
NEAR = 3
# Below this product (of integer points) the next better product, P + 1, is more than 1e-8
# above P in log terms: ask HiGHS for log(P + 1) directly, so ties are never enumerated.
SMALL_PRODUCT = 10**8
# Chords seeded at every integer within SEED_NEAR of each incumbent utility (and at SEED_FACTORS
# times it, below). Wider bands (a tenth of the utility) made each HiGHS solve several times
# slower; +-1 rather than +-NEAR made the 4-party proofs a little faster.
SEED_NEAR = 1


def max_positive_parties(v: list[list[int]], div: list[bool]) -> int:
    """How many parties can have positive utility at once (a divisible item valued by several
    parties can please them all; otherwise a bipartite matching of parties to items)."""
    n, m = len(v), len(v[0])
    pleased = {i for i in range(n) for j in range(m) if div[j] and v[i][j] > 0}
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(m):
            if div[j] or v[i][j] <= 0 or j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    matched = sum(1 for i in range(n) if i not in pleased and augment(i, set()))
    return len(pleased) + matched


class OutOfTime(Exception):
    """The caller's time budget ran out before the MILP answered (it has another exact method)."""


class _Model:
    def __init__(self, v: list[list[int]], div: list[bool], factors: list[Fraction]) -> None:
        self.v, self.div, self.factors = v, div, factors
        self.log_factor = [math.log(f) for f in factors]
        self.n, self.m = len(v), len(v[0])
        self.items = [j for j in range(self.m) if any(v[i][j] for i in range(self.n))]
        self.pairs = [(i, j) for j in self.items for i in range(self.n) if v[i][j] > 0]
        self.col = {pair: c for c, pair in enumerate(self.pairs)}
        self.nx = len(self.pairs)
        self.k_star = max_positive_parties(v, div)
        self.use_z = self.k_star < self.n
        self.w0 = self.nx
        self.z0 = self.nx + self.n
        self.ncols = self.nx + self.n + (self.n if self.use_z else 0)
        self.totals = [sum(row) for row in v]
        self.chords: list[set[int]] = []
        for i in range(self.n):
            t = max(self.totals[i], 1)
            ks = {1, max(1, t // self.n), max(1, t // self.n - 1)}
            p = 1
            while p < t:
                ks.add(p)
                p *= 2
            self.chords.append(ks)
        self.cuts: list[list[int]] = []  # no-good cuts: columns of an allocation already seen
        # utility vectors already seen (whole items, every party pleased): every allocation
        # reaching one of them is cut off at once, not one permutation of equal items at a time
        self.vector_cuts: list[list[int]] = []
        self.floor: float | None = None
        self.deadline: float | None = None  # time.monotonic() by which to give up (OutOfTime)
        # the exact proof with whole and divisible items (_prove_mixed): tangents of log instead
        # of chords (each a valid upper bound of log at every utility), a lower bound on each
        # party's utility in place of "at least 1", and whole items fixed to one assignment
        self.tangents: list[set[float]] | None = None
        self.u_lower: list[float] | None = None
        self.fixed: set[int] | None = None  # columns of whole items set to 1 (the rest to 0)

    def solve(self) -> tuple[int, np.ndarray | None]:
        n = self.n
        ncols = self.ncols + 2 * n * len(self.vector_cuts)
        rows: list[np.ndarray] = []
        lo: list[float] = []
        hi: list[float] = []

        def row() -> np.ndarray:
            r = np.zeros(ncols)
            rows.append(r)
            return r

        for j in self.items:  # each item shared out exactly once
            r = row()
            for i in range(n):
                if (i, j) in self.col:
                    r[self.col[(i, j)]] = 1
            lo.append(1)
            hi.append(1)
        for i in range(n):
            big = 2.0
            for t in sorted(self.tangents[i]) if self.tangents is not None else ():
                r = row()  # W_i <= log t + (u_i - t) / t, true of log at every u_i > 0
                r[self.w0 + i] = 1
                for j in self.items:
                    if (i, j) in self.col:
                        r[self.col[(i, j)]] = -self.v[i][j] / t
                lo.append(-np.inf)
                hi.append(math.log(t) - 1)
            for k in sorted(self.chords[i]) if self.tangents is None else ():
                slope = math.log1p(1 / k)
                r = row()  # W_i - slope * u_i <= log k - slope * k  (+ big * (1 - z_i))
                r[self.w0 + i] = 1
                for j in self.items:
                    if (i, j) in self.col:
                        r[self.col[(i, j)]] = -slope * self.v[i][j]
                rhs = math.log(k) - slope * k
                if self.use_z:
                    r[self.z0 + i] = big
                    rhs += big
                lo.append(-np.inf)
                hi.append(rhs)
            r = row()  # u_i >= z_i (or >= 1)
            for j in self.items:
                if (i, j) in self.col:
                    r[self.col[(i, j)]] = self.v[i][j]
            if self.use_z:
                r[self.z0 + i] = -1
                lo.append(0)
            else:
                lo.append(1 if self.u_lower is None else self.u_lower[i])
            hi.append(np.inf)
            if self.use_z:  # W_i <= log(total) * z_i
                r = row()
                r[self.w0 + i] = 1
                r[self.z0 + i] = -math.log(max(self.totals[i], 2))
                lo.append(-np.inf)
                hi.append(0)
        if self.use_z:
            r = row()
            r[self.z0 : self.z0 + n] = 1
            lo.append(self.k_star)
            hi.append(self.k_star)
        if self.floor is not None:
            r = row()
            r[self.w0 : self.w0 + n] = 1
            if self.use_z:
                r[self.z0 : self.z0 + n] = [-x for x in self.log_factor]
                lo.append(self.floor)
            else:
                lo.append(self.floor + sum(self.log_factor))
            hi.append(np.inf)
        for cut in self.cuts:
            r = row()
            r[cut] = 1
            lo.append(-np.inf)
            hi.append(len(cut) - 1)
        for k, vector in enumerate(self.vector_cuts):
            # some party's utility differs from this vector's: u_i <= U_i - 1 when y-_i = 1,
            # u_i >= U_i + 1 when y+_i = 1, and at least one of the 2n binaries is 1
            first = self.ncols + 2 * n * k
            for i in range(n):
                # the smallest big-M for each side: u_i is between 0 and the party's total
                big_below = self.totals[i] - vector[i] + 1
                big_above = vector[i] + 1
                below, above = row(), row()
                for j in self.items:
                    if (i, j) in self.col:
                        below[self.col[(i, j)]] = self.v[i][j]
                        above[self.col[(i, j)]] = self.v[i][j]
                below[first + 2 * i] = big_below
                lo.append(-np.inf)
                hi.append(vector[i] - 1 + big_below)
                above[first + 2 * i + 1] = -big_above
                lo.append(vector[i] + 1 - big_above)
                hi.append(np.inf)
            r = row()
            r[first : first + 2 * n] = 1
            lo.append(1)
            hi.append(np.inf)
        c = np.zeros(ncols)
        c[self.w0 : self.w0 + n] = -1
        if self.use_z:  # the log of a party's utility in its own units: log(points) - log(factor)
            c[self.z0 : self.z0 + n] = self.log_factor
        integrality = np.zeros(ncols)
        for (_i, j), col in self.col.items():
            if not self.div[j] and self.fixed is None:  # fixed whole items: a linear program
                integrality[col] = 1
        if self.use_z:
            integrality[self.z0 : self.z0 + n] = 1
        integrality[self.ncols :] = 1
        lower = np.zeros(ncols)
        upper = np.ones(ncols)
        upper[self.w0 : self.w0 + n] = [math.log(max(t, 2)) for t in self.totals]
        if self.u_lower is not None:
            lower[self.w0 : self.w0 + n] = [math.log(u) for u in self.u_lower]
        if self.fixed is not None:
            for (_i, j), col in self.col.items():
                if not self.div[j]:
                    lower[col] = upper[col] = 1.0 if col in self.fixed else 0.0
        problem = {
            "c": c,
            "constraints": LinearConstraint(np.array(rows), lo, hi),
            "integrality": integrality,
            "bounds": Bounds(lower, upper),
        }
        options: dict[str, float | bool] = {"mip_rel_gap": 0}
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise OutOfTime
            options["time_limit"] = left
        res = milp(**problem, options=options)
        if res.status == 4:
            # HiGHS sometimes stops with an internal error ("other", status 4) after its presolve
            # reshapes a model with a near-tie floor; the same model without presolve solves.
            res = milp(**problem, options={**options, "presolve": False})
        if res.status == 1 and self.deadline is not None:
            raise OutOfTime
        return res.status, (res.x if res.status == 0 else None)

    def allocation(self, x: np.ndarray) -> list[list[Fraction]]:
        shares = [[ZERO] * self.m for _ in range(self.n)]
        for j in range(self.m):
            cols = [(i, self.col[(i, j)]) for i in range(self.n) if (i, j) in self.col]
            if not cols:
                shares[0][j] = ONE
            elif self.div[j]:
                raw = [max(Fraction(float(x[c])).limit_denominator(10**6), ZERO) for _i, c in cols]
                total = sum(raw, ZERO) or ONE
                for (i, _c), s in zip(cols, raw, strict=True):
                    shares[i][j] = s / total
            else:
                owner = max(cols, key=lambda ic: x[ic[1]])[0]
                shares[owner][j] = ONE
        return shares

    def utilities(self, shares: list[list[Fraction]]) -> list[Fraction]:
        return [
            sum((s * val for s, val in zip(sh, row, strict=True) if s), ZERO)
            for sh, row in zip(shares, self.v, strict=True)
        ]

    def tighten(self, x: np.ndarray, utils: list[Fraction]) -> bool:
        """Add the chords at the utilities the solution reached, where it over-counted log."""
        added = False
        for i, u in enumerate(utils):
            if u < 1:
                continue
            k = math.floor(u)
            w = float(x[self.w0 + i])
            exact = math.log(k) + math.log1p(1 / k) * float(u - k)
            if w > exact + LOG_SLACK:
                # the chords around the utility reached: later solutions land near it
                near = {c for c in range(k - NEAR, k + NEAR + 1) if c >= 1} - self.chords[i]
                if near:
                    self.chords[i] |= near
                    added = True
        return added

    def cut_for(self, shares: list[list[Fraction]]) -> list[int]:
        return [self.col[(i, j)] for (i, j) in self.pairs if shares[i][j] == 1]


def _key(utils: list[Fraction], factors: list[Fraction]) -> tuple[int, Fraction]:
    positive = [u / f for u, f in zip(utils, factors, strict=True) if u > 0]
    return len(positive), math.prod(positive, start=ONE)


def _log_floor(utils: list[Fraction], factors: list[Fraction]) -> float:
    return (
        sum(math.log(u) - math.log(f) for u, f in zip(utils, factors, strict=True) if u > 0)
        - LOG_SLACK
    )


def _raise_floor(model: _Model, utils: list[Fraction], shares: list[list[Fraction]]) -> None:
    """Ask only for allocations at least as good as `utils` (within LOG_SLACK), with this one cut
    off; or, when every party is pleased and the product is small, for a strictly larger product."""
    product = math.prod(int(u) for u in utils)
    if not model.use_z and product < SMALL_PRODUCT:
        model.floor = math.log(product + 1) - LOG_SLACK - sum(model.log_factor)
        model.cuts.clear()
    else:
        model.floor = _log_floor(utils, model.factors)
        _cut_off(model, utils, shares)


def _cut_off(model: _Model, utils: list[Fraction], shares: list[list[Fraction]]) -> None:
    """Cut off an allocation already compared: its whole utility vector when every item is whole
    and every party must be pleased (all allocations reaching it have the same product), else
    just the allocation."""
    if not model.use_z and not any(model.div):
        model.vector_cuts.append([int(u) for u in utils])
    else:
        model.cuts.append(model.cut_for(shares))


def greedy_start(v: list[list[int]]) -> list[int]:
    """An allocation of whole items (owner per item) that pleases every party when it can:
    items by decreasing top value, each to the party it raises most in relative terms
    (a party still at zero first)."""
    n, m = len(v), len(v[0])
    u = [0] * n
    owner = [0] * m
    for j in sorted(range(m), key=lambda j: -max(v[i][j] for i in range(n))):
        best = 0
        for i in range(1, n):
            if v[i][j] and _prefer(v[i][j], u[i], v[best][j], u[best]):
                best = i
        owner[j] = best
        u[best] += v[best][j]
    return owner


def _prefer(gain: int, have: int, best_gain: int, best_have: int) -> bool:
    """Whether an item worth `gain` to a party holding `have` beats the best so far: a party at
    zero first, then the larger relative rise gain / have (integer cross-multiplication)."""
    if best_gain == 0:
        return True
    if (have == 0) != (best_have == 0):
        return have == 0
    if have == 0:
        return gain > best_gain
    return gain * best_have > best_gain * have


def _pair_best(a: list[int], b: list[int], items: list[int]) -> tuple[int, int, set[int]]:
    """The best product split of `items` between two parties (frontier.py's DP, keeping only the
    best state): (u_a, u_b, the items to a)."""
    total_a = sum(a[j] for j in items)
    total_b = sum(b[j] for j in items)
    if total_a > _PAIR_LIMIT or total_b > _PAIR_LIMIT:
        state = max(indivisible_frontier(a, b, items), key=lambda s: s.ua * s.ub)
        return state.ua, state.ub, set(state.to_a)
    best, decisions = dp_table(a, b, items, total_a)
    # products below 2**62 (both totals at most _PAIR_LIMIT); the first maximum is the smallest u_a
    cur = int(np.argmax(np.arange(total_a + 1, dtype=np.int64) * best))
    ua, ub = cur, int(best[cur])
    to_a = set()
    for idx in range(len(items) - 1, -1, -1):
        if decisions[idx][cur]:
            to_a.add(items[idx])
            cur -= a[items[idx]]
    return ua, ub, to_a


_PAIR_LIMIT = 2_000_000


def local_search(
    v: list[list[int]], owner: list[int], three: bool = True
) -> tuple[list[int], dict[str, int]]:
    """Improve a whole-item allocation in which every party has positive utility until no single
    item move and no pair of parties can do better: each pair's items are re-split by the exact
    two-party frontier (frontier.py); then, with `three`, a chain or cycle of single items between
    three parties (_three_party_move), and again. Integer products throughout; the result is a
    strong incumbent, proved optimal (or beaten) by the MILP afterwards."""
    n, m = len(v), len(v[0])
    u = [sum(v[i][j] for j in range(m) if owner[j] == i) for i in range(n)]
    rounds = 0
    improved = True
    settled: set[tuple[int, int, tuple[int, ...]]] = set()  # pairs found pair-optimal
    while improved and rounds < 50:
        rounds += 1
        improved = False
        for j in range(m):
            i = owner[j]
            for k in range(n):
                if k == i or v[k][j] == 0:
                    continue
                ui, uk = u[i] - v[i][j], u[k] + v[k][j]
                if ui > 0 and ui * uk > u[i] * u[k]:
                    owner[j], u[i], u[k] = k, ui, uk
                    improved = True
                    break
        for i in range(n):
            for k in range(i + 1, n):
                items = [j for j in range(m) if owner[j] in (i, k)]
                key = (i, k, tuple(items))
                if key in settled:
                    continue
                ua, uk, to_i = _pair_best(v[i], v[k], items)
                if ua * uk > u[i] * u[k]:
                    for j in items:
                        owner[j] = i if j in to_i else k
                    u[i], u[k] = ua, uk
                    improved = True
                else:
                    settled.add(key)
        if not improved and three and n >= 3:
            improved = _three_party_move(v, owner, u)
    return owner, {"rounds": rounds}


def _three_party_move(v: list[list[int]], owner: list[int], u: list[int]) -> bool:
    """Make the first improving move that involves three parties and one item per party: a chain
    (item a from i to k, item b from k to t) or a cycle (then item c from t back to i). Pair
    re-splits cannot find these."""
    n, m = len(v), len(v[0])
    held: list[list[int]] = [[] for _ in range(n)]
    for j in range(m):
        held[owner[j]].append(j)
    for a in range(m):
        i = owner[a]
        ui = u[i] - v[i][a]
        if ui <= 0:
            continue
        for k in range(n):
            if k == i or v[k][a] == 0:
                continue
            uk0 = u[k] + v[k][a]
            for b in held[k]:
                uk = uk0 - v[k][b]
                if uk <= 0:
                    continue
                for t in range(n):
                    if t in (k, i) or v[t][b] == 0:
                        continue
                    ul = u[t] + v[t][b]
                    before = u[i] * u[k] * u[t]
                    if ui * uk * ul > before:
                        owner[a], owner[b] = k, t
                        u[i], u[k], u[t] = ui, uk, ul
                        return True
                    for c in held[t]:
                        if v[i][c] == 0:
                            continue
                        ul2 = ul - v[t][c]
                        if ul2 > 0 and (ui + v[i][c]) * uk * ul2 > before:
                            owner[a], owner[b], owner[c] = k, t, i
                            u[i], u[k], u[t] = ui + v[i][c], uk, ul2
                            return True
    return False


# Iterated local search: this many kicks, each moving this many items at random before searching
# again (the last pair-optimal allocation of correlated 4x40 seed 0 needed 5 items at once).
KICKS = 10
KICKED_ITEMS = 5


def _kicks(v: list[list[int]], owner: list[int], stats: dict[str, int]) -> list[int]:
    """Iterated local search: move a few items to other parties at random (a fixed seed, so the
    same points give the same run), search again (pair re-splits only: the three-party moves
    cost more than they find here), keep the result when its product is larger; then one full
    search (with three-party moves) from the best. A better incumbent saves whole HiGHS solves."""
    n, m = len(v), len(v[0])
    rng = random.Random(m * 1000 + n)

    def product(o: list[int]) -> int:
        return math.prod(sum(v[i][j] for j in range(m) if o[j] == i) for i in range(n))

    best, best_p = owner, product(owner)
    for _ in range(KICKS):
        trial = best[:]
        for _ in range(KICKED_ITEMS):
            trial[rng.randrange(m)] = rng.randrange(n)
        if any(sum(v[i][j] for j in range(m) if trial[j] == i) <= 0 for i in range(n)):
            continue
        trial = local_search(v, trial, three=False)[0]
        p = product(trial)
        if p > best_p:
            best, best_p = trial, p
            stats["kick_gains"] = stats.get("kick_gains", 0) + 1
    return local_search(v, best)[0]


# Chords seeded at these multiples of each incumbent utility as well: without them the proof's
# chord model over-estimated log far from the incumbent (5 to 40% away), and each allocation it
# found there cost a whole HiGHS solve to check.
SEED_FACTORS = (0.7, 0.8, 0.87, 0.93, 0.97, 1.03, 1.07, 1.13, 1.2, 1.3)


def _seed_chords(model: _Model, utils: list[int]) -> None:
    """Chords of log at every integer near the incumbent's utilities, where the proof's
    solutions land, and a few further out (SEED_FACTORS)."""
    for i, u in enumerate(utils):
        model.chords[i] |= set(range(max(1, u - SEED_NEAR), u + SEED_NEAR + 1))
        model.chords[i] |= {max(1, int(u * f)) for f in SEED_FACTORS}


def nash_milp(
    v: list[list[int]],
    div: list[bool],
    factors: list[Fraction],
    budget: float | None = None,
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    """`budget`: seconds after which to raise OutOfTime instead of answering."""
    if any(div):
        # fractional utilities: scale so a unit is small against every party's total
        factor = max(1, math.ceil(1000 * len(v) / max(1, min(sum(r) or 1 for r in v))))
        v = [[x * factor for x in row] for row in v]
        factors = [f * factor for f in factors]
    model = _Model(v, div, factors)
    if budget is not None:
        model.deadline = time.monotonic() + budget
    stats = {"solves": 0, "checks": 0}
    if not any(div) and not model.use_z:
        return _prove_incumbent(model, stats)
    while True:  # phase 1: the optimum of the linearised model, chords added where needed
        status, x = model.solve()
        stats["solves"] += 1
        if x is None:
            raise RuntimeError(f"HiGHS found no allocation (status {status})")
        shares = model.allocation(x)
        utils = model.utilities(shares)
        if not model.tighten(x, utils):
            break
    if any(div):
        found = _exact_divisible(model, x, shares, stats)
        if found[1] or model.use_z or not stats["exact_split"]:
            return found  # all divisible (exact), or not provable here (exact=False)
        return _prove_mixed(model, found[0], stats)
    return _prove(model, shares, utils, stats)


def _exact_divisible(
    model: _Model, x: np.ndarray, shares: list[list[Fraction]], stats: dict[str, int]
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    """The divisible items' shares made exact from the MILP's float split (market.py). When every
    item anyone values is divisible, that is the exact optimum (exact=True); with whole items as
    well, the split is exact for the MILP's assignment of the whole items, which _prove_mixed
    then proves (or beats), so exact=False here."""
    from accord.division.market import exact_split

    v, n = model.v, model.n
    whole = [j for j in model.items if not model.div[j]]
    base = [sum((v[i][j] * shares[i][j] for j in whole), ZERO) for i in range(n)]
    parts = [j for j in model.items if model.div[j]]
    hint = {
        (i, j): float(x[model.col[(i, j)]]) for j in parts for i in range(n) if (i, j) in model.col
    }
    pleased = [i for i in range(n) if base[i] > 0 or any(v[i][j] for j in parts)]
    found = exact_split(v, base, parts, hint, pleased)
    stats["exact_split"] = int(found is not None)
    if found is None:
        return shares, False, stats
    out = [row[:] for row in shares]
    for j in parts:
        for i in range(n):
            out[i][j] = found.get((i, j), ZERO)
    return out, not whole, stats


def _whole_columns(model: _Model, shares: list[list[Fraction]]) -> list[int]:
    return [model.col[(i, j)] for (i, j) in model.pairs if not model.div[j] and shares[i][j] == 1]


def _split_for(model: _Model, whole: list[int]) -> list[list[Fraction]] | None:
    """The exact best split of the divisible items with the whole items assigned as `whole`
    (columns set to 1): the chord model with those items fixed (a linear program), chords added
    until they hold, then the exact optimality conditions (market.py). None if that fails."""
    model.fixed = set(whole)
    try:
        for _ in range(50):
            x = model.solve()[1]
            if x is None:
                return None
            shares = model.allocation(x)
            if not model.tighten(x, model.utilities(shares)):
                break
        stats: dict[str, int] = {}
        assert x is not None  # the loop ran at least once and returned on None
        found = _exact_divisible(model, x, shares, stats)[0]
    finally:
        model.fixed = None
    return found if stats.get("exact_split") else None


def _prove_mixed(
    model: _Model, shares: list[list[Fraction]], stats: dict[str, int]
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    """Whole and divisible items, every party pleasable: prove the best assignment of the whole
    items, each assignment's divisible split being exact (market.py).

    A second MILP bounds each party's log utility from above by tangents of log (true at every
    utility, unlike chords, which sit below log between integers): it is a relaxation, so if no
    assignment reaches the incumbent's log-product (minus LOG_SLACK) in it, none does in truth.
    Each assignment it finds is cut off (a no-good cut on its whole items) after its exact best
    split is compared with the incumbent (integer and Fraction arithmetic), and tangents are
    added at the utilities it reached, where it over-estimated log. Utilities are bounded below
    by what any allocation beating the incumbent needs (its product over the others' totals)."""
    n = model.n
    stats["mixed_proof"] = 1
    best_shares = shares
    best_utils = model.utilities(shares)
    best_key = _key(best_utils, model.factors)
    proof = _Model(model.v, model.div, model.factors)
    log_totals = [math.log(max(t, 1)) for t in proof.totals]

    def raise_floor(utils: list[Fraction]) -> None:
        proof.floor = _log_floor(utils, model.factors)
        log_product = sum(math.log(u) for u in utils)
        # u_i >= product / (the others' totals): with a margin against rounding (a lower bound
        # set too low is still valid)
        proof.u_lower = [
            math.exp(log_product - sum(log_totals) + log_totals[i]) * (1 - 1e-6) for i in range(n)
        ]

    raise_floor(best_utils)
    assert proof.u_lower is not None
    proof.tangents = []
    for i in range(n):
        points: set[float] = set()
        t = float(max(proof.totals[i], 1))
        while t >= proof.u_lower[i] and len(points) < 60:
            points.add(t)
            t /= 2
        u = float(best_utils[i])
        points |= {u, u * 0.99, u * 1.01}
        proof.tangents.append(points)
    while True:
        x, exact = _next_candidate(proof, stats)
        if x is None:
            break
        found = proof.allocation(x)
        for i in range(n):  # tangents where the relaxation over-estimated log
            u_float = sum(
                float(x[proof.col[(i, j)]]) * proof.v[i][j]
                for j in proof.items
                if (i, j) in proof.col
            )
            if u_float > 0 and float(x[proof.w0 + i]) > math.log(u_float) + LOG_SLACK:
                proof.tangents[i].add(u_float)
        whole = _whole_columns(proof, found)
        proof.cuts.append(whole)
        split = _split_for(model, whole)
        if split is None:
            exact = False  # this assignment's best split could not be made exact
            break
        utils = model.utilities(split)
        key = _key(utils, model.factors)
        if key > best_key:
            best_shares, best_key = split, key
            raise_floor(utils)
    return best_shares, exact, stats


def _next_candidate(model: _Model, stats: dict[str, int]) -> tuple[Any, bool]:
    """One round of a proof: the next allocation HiGHS finds above the floor (None when there
    is none, or the proof has compared MAX_CHECKS already), and whether the answer is still exact
    (only "infeasible", HiGHS's status 2, proves that nothing better exists)."""
    if stats["checks"] >= MAX_CHECKS:
        return None, False
    status, x = model.solve()
    stats["solves"] += 1
    if x is None:
        return None, status == 2
    stats["checks"] += 1
    return x, True


def _prove_incumbent(
    model: _Model, stats: dict[str, int]
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    """Every party can be pleased and every item is whole: start from a local optimum (greedy,
    then single moves and exact pair re-splits), with chords seeded around its utilities, and
    go straight to the proof."""
    v = model.v
    owner, found = local_search(v, greedy_start(v))
    stats.update(found)
    owner = _kicks(v, owner, stats)
    shares = [[ONE if owner[j] == i else ZERO for j in range(model.m)] for i in range(model.n)]
    utils = model.utilities(shares)
    _seed_chords(model, [int(u) for u in utils])
    return _prove(model, shares, utils, stats)


def _prove(
    model: _Model,
    shares: list[list[Fraction]],
    utils: list[Fraction],
    stats: dict[str, int],
) -> tuple[list[list[Fraction]], bool, dict[str, int]]:
    best_shares, best_key = shares, _key(utils, model.factors)
    # phase 2: prove it: any allocation within LOG_SLACK of it (or better) is found and compared
    _raise_floor(model, utils, shares)
    while True:
        x, exact = _next_candidate(model, stats)
        if x is None:
            break
        shares = model.allocation(x)
        utils = model.utilities(shares)
        model.tighten(x, utils)
        key = _key(utils, model.factors)
        if key > best_key:  # more parties pleased, or the same number and a larger product
            best_shares, best_key = shares, key
            _raise_floor(model, utils, shares)
        else:
            _cut_off(model, utils, shares)
    return best_shares, exact, stats
