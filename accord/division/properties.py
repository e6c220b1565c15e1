"""Fairness checks on an allocation, the money payment that evens up a split, and plain-English
explanations for a mediator. All exact (Fractions)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from accord.division._common import (
    ZERO,
    DivisionError,
    divisible_flags,
    integer_rows,
    points_matrix,
    shares_matrix,
    utilities,
)
from accord.division.frontier import chain_max_b, divisible_chain, indivisible_frontier


def _checked(
    points: object, shares: object, min_parties: int = 1
) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    rows = points_matrix(points, min_parties=min_parties)
    alloc = shares_matrix(shares, len(rows), len(rows[0]))
    return [[Fraction(v) for v in row] for row in rows], alloc


def _entitlements(entitlements: object, n: int) -> list[Fraction]:
    if entitlements is None:
        return [Fraction(1, n)] * n
    if not isinstance(entitlements, Sequence) or len(entitlements) != n:
        raise DivisionError(f"entitlements must give one share per party ({n} parties).")
    if any(isinstance(e, float | bool) for e in entitlements):
        raise DivisionError("entitlements must be Fractions, not floats.")
    out = [Fraction(e) for e in entitlements]
    if any(e <= 0 for e in out) or sum(out) != 1:
        raise DivisionError("entitlements must be positive Fractions adding up to 1.")
    return out


def _bundle_value(row: list[Fraction], share: list[Fraction]) -> Fraction:
    return sum((v * s for v, s in zip(row, share, strict=True) if s and v), ZERO)


def is_envy_free(
    points: object, shares: object, entitlements: Sequence[Fraction] | None = None
) -> bool:
    """No party values another party's share above their own (scaled by entitlement if given)."""
    rows, alloc = _checked(points, shares)
    ents = _entitlements(entitlements, len(rows))
    for i, row in enumerate(rows):
        own = _bundle_value(row, alloc[i]) / ents[i]
        for k in range(len(rows)):
            if k != i and _bundle_value(row, alloc[k]) / ents[k] > own:
                return False
    return True


def is_ef1(points: object, shares: object) -> bool:
    """Envy-free up to one item: any envy disappears if one item is taken from the envied share."""
    rows, alloc = _checked(points, shares)
    for i, row in enumerate(rows):
        own = _bundle_value(row, alloc[i])
        for k in range(len(rows)):
            if k == i:
                continue
            theirs = _bundle_value(row, alloc[k])
            if theirs <= own:
                continue
            biggest = max(
                (row[j] * alloc[k][j] for j in range(len(row)) if alloc[k][j]), default=ZERO
            )
            if theirs - biggest > own:
                return False
    return True


def is_equitable(points: object, shares: object) -> bool:
    """Every party receives the same proportion of their own total points."""
    rows, alloc = _checked(points, shares)
    ratios = {
        (_bundle_value(row, alloc[i]) / sum(row)) if sum(row) else None
        for i, row in enumerate(rows)
    }
    ratios.discard(None)
    return len(ratios) <= 1


def is_pareto_optimal(
    points: object, shares: object, divisible: Sequence[bool] | None = None
) -> bool:
    """No other allocation is at least as good for every party and better for one.

    With `divisible` None, any item may be split in the alternatives (fractional Pareto-optimality,
    the stronger property), for any number of parties. With `divisible` given (two parties only),
    items marked False must stay whole in the alternatives, and in `shares`.
    """
    rows, alloc = _checked(points, shares, min_parties=2)
    n, m = len(rows), len(rows[0])
    if divisible is None:
        return _fractional_po(rows, alloc)
    div = divisible_flags(divisible, m)
    for j in range(m):
        if not div[j] and all(alloc[i][j] != 1 for i in range(n)):
            raise DivisionError(f"item {j + 1} is not divisible but the shares split it.")
    if all(div):
        return _fractional_po(rows, alloc)
    if n != 2:
        raise DivisionError("Pareto-optimality with whole items is checked for two parties only.")
    a, b = integer_rows(rows)  # type: ignore[arg-type]
    ua0, ub0 = utilities([a, b], alloc)
    whole = [j for j in range(m) if not div[j] and (a[j] or b[j])]
    parts = [j for j in range(m) if div[j]]
    chain_for_b = divisible_chain(a, b, parts)
    chain_for_a = divisible_chain(b, a, parts)
    for state in indivisible_frontier(a, b, whole):
        most_b = chain_max_b(chain_for_b, ua0 - state.ua)
        if most_b is not None and state.ub + most_b > ub0:
            return False
        most_a = chain_max_b(chain_for_a, ub0 - state.ub)
        if most_a is not None and state.ua + most_a > ua0:
            return False
    return True


def _fractional_po(rows: list[list[Fraction]], alloc: list[list[Fraction]]) -> bool:
    """No trading cycle improves everyone: for each pair (i, k) the best rate at which k gains
    per point i gives up from what i holds; a cycle of rates with product above 1 (or a thing i
    holds, does not value, and someone else does) is a Pareto improvement."""
    n, m = len(rows), len(rows[0])
    rate = [[ZERO] * n for _ in range(n)]
    for i in range(n):
        for j in range(m):
            if not alloc[i][j]:
                continue
            for k in range(n):
                if k == i or not rows[k][j]:
                    continue
                if not rows[i][j]:
                    return False
                rate[i][k] = max(rate[i][k], rows[k][j] / rows[i][j])
    for h in range(n):
        for i in range(n):
            if not rate[i][h]:
                continue
            for k in range(n):
                through = rate[i][h] * rate[h][k]
                if through > rate[i][k]:
                    rate[i][k] = through
        if any(rate[i][i] > 1 for i in range(n)):
            return False
    return all(rate[i][i] <= 1 for i in range(n))


def equalising_payment(
    values: Sequence[object], shares_a: Sequence[object], target_a: object = Fraction(1, 2)
) -> Fraction:
    """What party A pays party B (negative: B pays A) so that A's money value after the payment
    is target_a of the total. `values` are money values per item (e.g. pence; a debt may be
    negative); `shares_a` is A's share of each item (B has the rest)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
        raise DivisionError("values must be a non-empty list of money values, one per item.")
    if (
        isinstance(shares_a, str | bytes)
        or not isinstance(shares_a, Sequence)
        or len(shares_a) != len(values)
    ):
        raise DivisionError(
            f"shares_a must give party A's share of each of the {len(values)} items."
        )
    money = [_money(v, j) for j, v in enumerate(values)]
    share = [_fraction(s, f"party A's share of item {j + 1}") for j, s in enumerate(shares_a)]
    if any(not 0 <= s <= 1 for s in share):
        raise DivisionError("each of party A's shares must be between 0 and 1.")
    target = _fraction(target_a, "target_a")
    if not 0 <= target <= 1:
        raise DivisionError(f"target_a must be between 0 and 1, not {target}.")
    total = sum(money, ZERO)
    held = sum((v * s for v, s in zip(money, share, strict=True)), ZERO)
    return held - target * total


def _money(value: object, j: int) -> Fraction:
    return _fraction(value, f"the value of item {j + 1}")


def _fraction(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise DivisionError(f"{what} must be an int, Fraction or Decimal, not {value!r}.")
    if isinstance(value, Decimal) and not value.is_finite():
        raise DivisionError(f"{what} must be a finite number.")
    return Fraction(value)


def _percent(x: Fraction) -> str:
    pct = x * 100
    return (
        f"{round(pct)}%"
        if pct.denominator == 1 or abs(pct - round(pct)) < Fraction(1, 200)
        else f"{float(pct):.1f}%"
    )


def _number(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):.2f}"


def explain(
    points: object,
    shares: object,
    names: Sequence[str] = ("Party A", "Party B"),
    item_names: Sequence[str] | None = None,
    divisible: Sequence[bool] | None = None,
) -> list[str]:
    """Plain-English sentences for a mediator about an allocation and its fairness properties."""
    rows, alloc = _checked(points, shares)
    n, m = len(rows), len(rows[0])
    if len(names) != n:
        raise DivisionError(f"give one name per party: {n} parties, {len(names)} names.")
    items = list(item_names) if item_names is not None else [f"item {j + 1}" for j in range(m)]
    if len(items) != m:
        raise DivisionError(f"give one name per item: {m} items, {len(items)} names.")
    out = []
    for i, name in enumerate(names):
        got = []
        for j in range(m):
            s = alloc[i][j]
            if s == 1:
                got.append(items[j])
            elif s:
                got.append(f"{_percent(s)} of {items[j]}")
        out.append(f"{name} gets {', '.join(got) if got else 'nothing'}.")
    utils = utilities(rows, alloc)
    for i, name in enumerate(names):
        total = sum(rows[i], ZERO)
        share = f" ({_percent(utils[i] / total)} of their points)" if total else ""
        out.append(
            f"By {name}'s own points, this is worth {_number(utils[i])} of {_number(total)}{share}."
        )
    if is_envy_free(rows, alloc):
        out.append("It is envy-free: no one values another party's share above their own.")
    elif is_ef1(rows, alloc):
        out.append(
            "It is envy-free up to one item: someone prefers another's share, "
            "but not once a single item is taken out of that share."
        )
    else:
        out.append(
            "It is not envy-free: someone prefers another party's share, even without any one item."
        )
    if is_equitable(rows, alloc):
        out.append("It is equitable: each party gets the same proportion of the points they gave.")
    else:
        out.append(
            "It is not equitable: the parties get different proportions of their own points."
        )
    if n >= 2:
        if is_pareto_optimal(rows, alloc):
            out.append(
                "It is Pareto-optimal: no other division, even one splitting items, is better for "
                "someone without being worse for someone else."
            )
        elif (
            n == 2
            and _all_whole(alloc)
            and is_pareto_optimal(rows, alloc, divisible or [False] * m)
        ):
            out.append(
                "It is Pareto-optimal among divisions that keep items whole: "
                "no such division is better for one party without being worse for the other "
                "(splitting an item could be)."
            )
        else:
            out.append(
                "It is not Pareto-optimal: another division would be better for someone "
                "and worse for no one."
            )
    return out


def _all_whole(alloc: list[list[Fraction]]) -> bool:
    return all(s in (0, 1) for row in alloc for s in row)
