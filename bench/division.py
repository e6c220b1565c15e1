"""How fast is Accord's exact Maximum Nash Welfare against the Spliddit formulation, and how fast
is Adjusted Winner on many items?

Run by hand (this is a benchmark, not a test; pytest never collects it):

    uv run python bench/division.py            # the full grid (takes a while)
    uv run python bench/division.py --quick    # a short run

For every instance (2 to 10 parties, 5 to 40 items, each party spreading 1,000 points, from
several generators), it solves Maximum Nash Welfare twice and prints both runtimes, their ratio
and both Nash welfares, asserting they are equal:

- ours: `accord.division.max_nash_welfare` (two parties: exact dynamic programming; more:
  a MILP with lazily added log chords and an exact check, see docs/division.md);
- Spliddit: the formulation of Caragiannis et al. (EC 2016), reimplemented from the paper:
  binary x_ij, W_i = log utility bounded by one chord per odd integer k per party,
  W_i <= log k + (log(k + 1) - log k) * (u_i - k) for k = 1, 3, 5, ..., 999, solved by HiGHS
  through scipy.optimize.milp with a zero gap. Its answer's Nash welfare is computed exactly.

Then it times Adjusted Winner on 10,000 items. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.division import adjusted_winner, max_nash_welfare

POINTS = 1000


def median(values: object) -> float:
    """The median (no `statistics` import: run as a script, bench/ is first on sys.path and its
    own statistics.py would shadow the standard library's)."""
    ordered = sorted(values)  # type: ignore[call-overload]
    k = len(ordered)
    return ordered[k // 2] if k % 2 else (ordered[k // 2 - 1] + ordered[k // 2]) / 2


def to_points(weights: list[float]) -> list[int]:
    """Whole points adding up to exactly POINTS, in proportion to the weights
    (largest remainder)."""
    total = sum(weights)
    raw = [w * POINTS / total for w in weights]
    out = [math.floor(r) for r in raw]
    for j in sorted(range(len(raw)), key=lambda j: out[j] - raw[j])[: POINTS - sum(out)]:
        out[j] += 1
    return out


def uniform(rng: random.Random, n: int, m: int) -> list[list[int]]:
    """Independent tastes: every item's weight uniform in (0, 1) for every party."""
    return [to_points([rng.random() for _ in range(m)]) for _ in range(n)]


def correlated(rng: random.Random, n: int, m: int) -> list[list[int]]:
    """Shared market values with personal taste on top (each party within +-30% of it)."""
    base = [rng.lognormvariate(0, 1) for _ in range(m)]
    return [to_points([b * rng.uniform(0.7, 1.3) for b in base]) for _ in range(n)]


def divorce(rng: random.Random, n: int, m: int) -> list[list[int]]:
    """One or two items (the house, a pension) hold most of the value; the rest is small."""
    big = rng.choice((1, 2))
    base = [rng.uniform(20, 40) for _ in range(big)] + [rng.uniform(0.2, 2) for _ in range(m - big)]
    return [to_points([b * rng.uniform(0.8, 1.2) for b in base]) for _ in range(n)]


GENERATORS: dict[str, Callable[[random.Random, int, int], list[list[int]]]] = {
    "uniform": uniform,
    "correlated": correlated,
    "divorce": divorce,
}


def spliddit(points: list[list[int]], limit: float) -> tuple[list[list[int]] | None, float, bool]:
    """The Spliddit MILP: returns the allocation (owner per item, as 0/1 rows; None if it found
    none in time), its runtime and whether it proved optimality within `limit` seconds (False:
    HiGHS hit the time limit, and the allocation is only its best so far)."""
    start = time.perf_counter()
    n, m = len(points), len(points[0])
    nx = n * m
    ncols = nx + n
    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    for j in range(m):
        r = np.zeros(ncols)
        r[[i * m + j for i in range(n)]] = 1
        rows.append(r)
        lo.append(1)
        hi.append(1)
    for i in range(n):
        u = np.zeros(ncols)
        u[i * m : (i + 1) * m] = points[i]
        rows.append(u)  # every party gets something (all can: see the assert in main)
        lo.append(1)
        hi.append(np.inf)
        for k in range(1, POINTS, 2):
            slope = math.log(k + 1) - math.log(k)
            r = -slope * u
            r[nx + i] = 1
            rows.append(r)
            lo.append(-np.inf)
            hi.append(math.log(k) - slope * k)
    c = np.zeros(ncols)
    c[nx:] = -1
    integrality = np.r_[np.ones(nx), np.zeros(n)]
    lower = np.r_[np.zeros(nx), np.full(n, -np.inf)]
    upper = np.r_[np.ones(nx), np.full(n, math.log(POINTS))]
    res = milp(
        c,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"mip_rel_gap": 0, "time_limit": limit},
    )
    elapsed = time.perf_counter() - start
    assert res.status in (0, 1), res.message
    if res.x is None:
        return None, elapsed, False
    x = res.x[:nx].reshape(n, m)
    owner = x.argmax(axis=0)
    alloc = [[1 if owner[j] == i else 0 for j in range(m)] for i in range(n)]
    return alloc, elapsed, res.status == 0


def welfare(points: list[list[int]], alloc: list[list[int]]) -> int:
    return math.prod(
        sum(p * s for p, s in zip(row, sh, strict=True))
        for row, sh in zip(points, alloc, strict=True)
    )


def ours(points: list[list[int]]) -> tuple[Fraction, float, dict[str, int]]:
    """Our MNW; a fast answer (under 50 ms) is timed as the best of 3 runs, since one scheduler
    hiccup on a shared machine would otherwise swamp it (the Spliddit runs take far longer)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = max_nash_welfare(points)
        times.append(time.perf_counter() - start)
        if times[-1] > 0.05:
            break
    elapsed = min(times)
    assert result.exact
    return result.nash_welfare, elapsed, result.stats


def everyone_can_be_pleased(points: list[list[int]]) -> bool:
    from accord.division.milp import max_positive_parties

    return max_positive_parties(points, [False] * len(points[0])) == len(points)


def bench_mnw(
    grid: list[tuple[int, int]], seeds: int, generators: list[str], limit: float
) -> list[tuple]:
    print(
        f"{'generator':<11}{'n':>3}{'m':>4}{'seed':>5}{'ours ms':>11}{'spliddit ms':>13}"
        f"{'ratio':>9}"
        f"{'checks':>8}  Nash welfare (equal)"
    )
    rows = []
    for n, m in grid:
        for name in generators:
            for seed in range(seeds):
                rng = random.Random(f"{name}-{n}-{m}-{seed}")
                points = GENERATORS[name](rng, n, m)
                assert everyone_can_be_pleased(points)
                nw, t_ours, stats = ours(points)
                alloc, t_spl, proved = spliddit(points, limit)
                nw_spl = welfare(points, alloc) if alloc is not None else None
                ratio = t_spl / t_ours
                if proved:
                    assert nw == nw_spl, f"Nash welfare differs: ours {nw}, Spliddit {nw_spl}"
                    spl_ms, ratio_txt, note = f"{t_spl * 1000:.1f}", f"{ratio:.1f}", f"{nw}"
                else:
                    # Spliddit ran out of time: its runtime is at least the limit, so the ratio
                    # is at least the one printed; its best allocation so far is no better
                    assert nw_spl is None or nw >= nw_spl, (nw, nw_spl)
                    spl_ms, ratio_txt = f">{limit * 1000:.0f}", f">{ratio:.1f}"
                    note = (
                        f"{nw}  (Spliddit: time limit {limit:.0f} s, best found "
                        f"{'none' if nw_spl is None else nw_spl}"
                        f"{', equal' if nw_spl == nw else ', lower' if nw_spl else ''}, unproved)"
                    )
                rows.append((name, n, m, seed, t_ours, t_spl, ratio, proved))
                print(
                    f"{name:<11}{n:>3}{m:>4}{seed:>5}{t_ours * 1000:>11.1f}{spl_ms:>13}"
                    f"{ratio_txt:>9}{stats.get('checks', 0):>8}  {note}",
                    flush=True,
                )
    return rows


def summary(rows: list[tuple], limit: float) -> None:
    print()
    print(
        f"{'parties':<9}{'instances':>10}{'ours median ms':>16}{'spliddit median ms':>20}"
        f"{'ratio min':>11}{'ratio median':>14}{'spliddit timed out':>20}"
    )
    for n in sorted({r[1] for r in rows}):
        sel = [r for r in rows if r[1] == n]
        ratios = [r[6] for r in sel]
        out = sum(1 for r in sel if not r[7])
        # a timed-out Spliddit run counts with the limit as its time (a lower bound)
        print(
            f"{n:<9}{len(sel):>10}{median(r[4] for r in sel) * 1000:>16.1f}"
            f"{median(r[5] for r in sel) * 1000:>20.1f}{min(ratios):>11.1f}"
            f"{median(ratios):>14.1f}{out:>20}"
        )
    if any(not r[7] for r in rows):
        print(
            f"(Spliddit runs stopped at the {limit:.0f} s limit count as {limit:.0f} s: their "
            "medians and ratios are lower bounds)"
        )


def bench_aw(items: int, repeats: int) -> None:
    rng = random.Random(11)
    a = [rng.randint(0, POINTS) for _ in range(items)]
    b = [rng.randint(0, POINTS) for _ in range(items)]
    sa, sb = sum(a), sum(b)
    a, b = [x * sb for x in a], [y * sa for y in b]  # same total for both
    times = []
    cpu = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = adjusted_winner(a, b)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert result.points[0] == result.points[1]
    print()
    print(
        f"Adjusted Winner, {items:,} items: median {median(times) * 1000:.2f} ms, "
        f"best {min(times) * 1000:.2f} ms over {repeats} runs (split item: {result.split_item}); "
        f"CPU time median {median(cpu) * 1000:.2f} ms (wall time on a loaded machine "
        "includes waiting for a core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short run: fewer, smaller instances"
    )
    parser.add_argument("--seeds", type=int, default=None, help="instances per generator and size")
    parser.add_argument(
        "--limit",
        type=float,
        default=300.0,
        help="seconds after which a Spliddit solve is stopped and reported as timed out",
    )
    parser.add_argument(
        "--parties", type=int, nargs="*", default=None, help="only these numbers of parties"
    )
    parser.add_argument("--no-aw", action="store_true", help="skip the Adjusted Winner timing")
    parser.add_argument("--aw-only", action="store_true", help="only the Adjusted Winner timing")
    args = parser.parse_args()
    if args.quick:
        grid = [(2, 10), (2, 40), (3, 10), (4, 20), (6, 20)]
        seeds = args.seeds or 1
    else:
        grid = [
            (2, 5),
            (2, 20),
            (2, 40),
            (3, 10),
            (3, 20),
            (4, 20),
            (4, 40),
            (6, 20),
            (8, 30),
            (10, 20),
            (10, 40),
        ]
        seeds = args.seeds or 1
    if args.parties:
        grid = [(n, m) for n, m in grid if n in args.parties]
    if not args.aw_only:
        rows = bench_mnw(grid, seeds, list(GENERATORS), args.limit)
        summary(rows, args.limit)
    if not args.no_aw:
        bench_aw(10_000, 5 if args.quick else 21)


if __name__ == "__main__":
    main()
