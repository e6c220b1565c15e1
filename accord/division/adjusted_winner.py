"""Adjusted Winner (Brams and Taylor, Fair Division, 1996), with weighted entitlements.

Each item first goes to the party who gives it more points (ties to party A). Items then move
from the party who is ahead to the other, in increasing order of the ratio of the leader's points
to the other's points for the item, until both parties are level: equal points when the
entitlements are equal, otherwise points in proportion to the entitlements
(points_a / entitlement_a == points_b / entitlement_b). At most one item is split.
The result is equitable, envy-free (weighted by entitlement) and Pareto-optimal. Only items the
other party gives points to move: with unequal entitlements, a leader may still be ahead once the
other party holds everything they value (handing over worthless items would waste them); the
result is then Pareto-optimal and weighted envy-free but not equitable. With equal entitlements
and equal totals that cannot happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from accord.division._common import ONE, ZERO, DivisionError, as_number, points_row


@dataclass(frozen=True)
class AdjustedWinnerResult:
    shares: list[Fraction]  # party A's share of each item; party B has 1 - share
    points: tuple[Fraction, Fraction]  # each party's total, by their own points
    split_item: int | None  # index of the one item that is split, if any


def _integers(a: list[int | Fraction], b: list[int | Fraction]) -> tuple[list[int], list[int], int]:
    """Both lists scaled by one common denominator (they share a total, so one scale)."""
    if set(map(type, a)) | set(map(type, b)) == {int}:
        return a, b, 1  # type: ignore[return-value]
    import math

    scale = math.lcm(*(Fraction(v).denominator for v in (*a, *b)))
    return [int(v * scale) for v in a], [int(v * scale) for v in b], scale


def adjusted_winner(
    points_a: Sequence[object],
    points_b: Sequence[object],
    entitlement_a: object = Fraction(1, 2),
) -> AdjustedWinnerResult:
    ent = _entitlement(entitlement_a)
    p, q = ent.numerator, ent.denominator
    fast = _plain_ints(points_a, points_b, q - p, p)
    if fast is not None:
        return fast
    a_raw = points_row(points_a, who="party A")
    b_raw = points_row(points_b, who="party B")
    if not a_raw:
        raise DivisionError("there are no items to divide.")
    if len(a_raw) != len(b_raw):
        raise DivisionError(
            f"party A rated {len(a_raw)} items and party B rated {len(b_raw)}; "
            "both rate every item."
        )
    total_a = sum(a_raw)
    total_b = sum(b_raw)
    if total_a != total_b:
        raise DivisionError(
            f"party A's points add up to {total_a} and party B's to {total_b}; "
            "they must add up to the same total."
        )
    if total_a == 0:
        raise DivisionError(
            "all the points are zero; each party must give some points to some item."
        )

    a, b, scale = _integers(a_raw, b_raw)
    m = len(a)
    # weights: A is "ahead" when points_a * (1 - e) > points_b * e; with e = p/q, compare
    # points_a * (q - p) with points_b * p, all integers.
    wa, wb = q - p, p
    vectorised = _with_numpy(a, b, wa, wb)
    if vectorised is not None:
        share_np, pa_np, pb_np, split_np = vectorised
        return AdjustedWinnerResult(share_np, (pa_np / scale, pb_np / scale), split_np)
    to_a = [x >= y for x, y in zip(a, b, strict=True)]
    pa = sum(x for x, t in zip(a, to_a, strict=True) if t)
    pb = sum(y for y, t in zip(b, to_a, strict=True) if not t)
    share: list[Fraction] = [ONE if t else ZERO for t in to_a]
    split: int | None = None

    lead_a = pa * wa > pb * wb
    if pa * wa != pb * wb:
        # the leader's items, from the smallest ratio leader/other upwards
        if lead_a:
            held = [j for j in range(m) if to_a[j] and b[j]]
            mine, theirs = a, b
        else:
            held = [j for j in range(m) if not to_a[j] and a[j]]
            mine, theirs = b, a
        # (an item the other party gives no points to would not help them: it stays)
        ratio = {j: mine[j] / theirs[j] for j in held}
        held.sort(key=ratio.__getitem__)
        held = _exact_order(held, ratio, mine, theirs)
        lead, other = (pa, pb) if lead_a else (pb, pa)
        w_lead, w_other = (wa, wb) if lead_a else (wb, wa)
        for j in held:
            after_lead = lead - mine[j]
            after_other = other + theirs[j]
            if after_lead * w_lead >= after_other * w_other:
                lead, other = after_lead, after_other
                share[j] = ZERO if lead_a else ONE
                if after_lead * w_lead == after_other * w_other:
                    break
                continue
            # split: move a fraction t of the item so that
            # (lead - t * mine) * w_lead == (other + t * theirs) * w_other
            t = Fraction(lead * w_lead - other * w_other, mine[j] * w_lead + theirs[j] * w_other)
            lead_f = lead - t * mine[j]
            other_f = other + t * theirs[j]
            share[j] = ONE - t if lead_a else t
            split = j
            pa_f, pb_f = (lead_f, other_f) if lead_a else (other_f, lead_f)
            return AdjustedWinnerResult(
                share, (Fraction(pa_f) / scale, Fraction(pb_f) / scale), split
            )
        pa, pb = (lead, other) if lead_a else (other, lead)
    return AdjustedWinnerResult(share, (Fraction(pa, scale), Fraction(pb, scale)), split)


def _entitlement(entitlement_a: object) -> Fraction:
    if isinstance(entitlement_a, float):
        raise DivisionError(
            "entitlement_a is a float; give a Fraction or Decimal, e.g. Fraction(3, 5)."
        )
    try:
        ent = Fraction(as_number(entitlement_a, what="entitlement_a"))
    except DivisionError as err:
        raise DivisionError(
            f"entitlement_a must be a number strictly between 0 and 1, not {entitlement_a!r}."
        ) from err
    if not 0 < ent < 1:
        raise DivisionError(f"entitlement_a must be strictly between 0 and 1, not {ent}.")
    return ent


def _plain_ints(
    points_a: object, points_b: object, wa: int, wb: int
) -> AdjustedWinnerResult | None:
    """The common case, fast: two lists of the same length of plain ints (no bools), each
    converted once to int64 and checked there (non-negative, equal non-zero totals). None for
    anything else, which then takes the checked path and its messages."""
    if type(points_a) is not list or type(points_b) is not list:
        return None
    m = len(points_a)
    if not m or len(points_b) != m:
        return None
    types = set(map(type, points_a))
    types.update(map(type, points_b))
    if types != {int}:
        return None
    try:
        av = np.fromiter(points_a, dtype=np.int64, count=m)
        bv = np.fromiter(points_b, dtype=np.int64, count=m)
    except OverflowError:
        return None
    top = max(int(av.max()), int(bv.max()))
    if int(av.min()) < 0 or int(bv.min()) < 0 or top >= 2**53 or top * m >= 2**62:
        return None
    total = int(av.sum())
    if total == 0 or total != int(bv.sum()) or total * max(wa, wb) >= 2**62:
        return None
    found = _vectorised(av, bv, points_a, points_b, wa, wb)
    if found is None:
        return None
    share, pa, pb, split = found
    return AdjustedWinnerResult(share, (pa, pb), split)


def _exact_order(
    order: list[int], ratio: dict[int, float], mine: list[int], theirs: list[int]
) -> list[int]:
    """Float ratios of integers are correctly rounded (so monotone), so sorting by them is right
    except within runs of equal floats; re-sort those runs by the exact ratio."""
    out: list[int] = []
    start = 0
    n = len(order)
    for k in range(1, n + 1):
        if k == n or ratio[order[k]] != ratio[order[start]]:
            run = order[start:k]
            first = run[0]
            if len(run) > 1 and any(
                mine[j] * theirs[first] != mine[first] * theirs[j] for j in run
            ):
                run.sort(key=lambda j: Fraction(mine[j], theirs[j]))
            out.extend(run)
            start = k
    return out


def _with_numpy(
    a: list[int], b: list[int], wa: int, wb: int
) -> tuple[list[Fraction], Fraction, Fraction, int | None] | None:
    """The same procedure vectorised, for points below 2**53 (None: use the exact Python path).
    Float ratios are then correctly rounded, so sorting by them is right except where they tie:
    any two neighbours whose float ratios tie are checked to tie exactly (Python integers)."""
    top = max(max(a), max(b))
    total = sum(a)
    if top >= 2**53 or total * max(wa, wb) >= 2**62:
        return None
    av = np.fromiter(a, dtype=np.int64, count=len(a))
    bv = np.fromiter(b, dtype=np.int64, count=len(b))
    return _vectorised(av, bv, a, b, wa, wb)


def _vectorised(
    av: np.ndarray, bv: np.ndarray, a: list[int], b: list[int], wa: int, wb: int
) -> tuple[list[Fraction], Fraction, Fraction, int | None] | None:
    whole_a = av >= bv
    pa = int(av[whole_a].sum())
    pb = int(bv[~whole_a].sum())
    split: int | None = None
    t = ZERO
    if pa * wa != pb * wb:
        lead_a = pa * wa > pb * wb
        if lead_a:
            held = np.nonzero(whole_a & (bv > 0))[0]
            mine, theirs, lead, other, wl, wo = av, bv, pa, pb, wa, wb
        else:
            held = np.nonzero(~whole_a & (av > 0))[0]
            mine, theirs, lead, other, wl, wo = bv, av, pb, pa, wb, wa
        ratio = mine[held] / theirs[held]
        order = np.argsort(ratio, kind="stable")
        held, ratio = held[order], ratio[order]
        ties = np.nonzero(ratio[1:] == ratio[:-1])[0]
        if ties.size:
            x, y = held[ties].tolist(), held[ties + 1].tolist()
            if any(a[i] * b[k] != a[k] * b[i] for i, k in zip(x, y, strict=True)):
                return None
        cm = np.cumsum(mine[held])
        ct = np.cumsum(theirs[held])
        still_ahead = (lead - cm) * wl >= (other + ct) * wo
        k = int(still_ahead.size if still_ahead.all() else np.argmin(still_ahead))
        moved = held[:k]
        whole_a[moved] = not lead_a
        if k:
            lead, other = lead - int(cm[k - 1]), other + int(ct[k - 1])
        if k < held.size and lead * wl != other * wo:
            j = int(held[k])
            t = Fraction(lead * wl - other * wo, int(mine[j]) * wl + int(theirs[j]) * wo)
            split = j
            lead_f = lead - t * int(mine[j])
            other_f = other + t * int(theirs[j])
        else:
            lead_f, other_f = Fraction(lead), Fraction(other)
        pa_f, pb_f = (lead_f, other_f) if lead_a else (other_f, lead_f)
    else:
        pa_f, pb_f = Fraction(pa), Fraction(pb)
    share = [ONE if w else ZERO for w in whole_a.tolist()]
    if split is not None:
        share[split] = ONE - t if share[split] == ONE else t
    return share, pa_f, pb_f, split
