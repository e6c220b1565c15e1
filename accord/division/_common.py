"""Input checks and small helpers shared by the fair-division algorithms (no Django)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

ZERO = Fraction(0)
ONE = Fraction(1)

Number = int | Fraction | Decimal


class DivisionError(ValueError):
    """Bad input to a fair-division function; the message says what is wrong."""


def as_number(value: object, *, what: str) -> int | Fraction:
    """An exact non-negative number (int or Fraction) from an int, Fraction or Decimal."""
    if isinstance(value, bool):
        raise DivisionError(f"{what} must be a number, not {value!r}.")
    if isinstance(value, int):
        number: int | Fraction = value
    elif isinstance(value, Fraction):
        number = value.numerator if value.denominator == 1 else value
    elif isinstance(value, Rational):
        number = Fraction(int(value.numerator), int(value.denominator))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise DivisionError(f"{what} must be a finite number, not {value}.")
        number = Fraction(value)
    elif isinstance(value, float):
        raise DivisionError(
            f"{what} is a float ({value!r}); give an int, Fraction or Decimal "
            "so the arithmetic is exact."
        )
    else:
        raise DivisionError(f"{what} must be a number, not {value!r}.")
    if number < 0:
        raise DivisionError(f"{what} is negative ({number}); points cannot be negative.")
    return number


def points_row(values: object, *, who: str) -> list[int | Fraction]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise DivisionError(f"{who}'s points must be a list of numbers.")
    if set(map(type, values)) == {int} and min(values) >= 0:
        return list(values)  # the common case, fast: plain non-negative ints
    return [as_number(v, what=f"{who}'s points for item {j + 1}") for j, v in enumerate(values)]


def points_matrix(points: object, *, min_parties: int = 1) -> list[list[int | Fraction]]:
    """Check a points table (one row per party, one column per item) and return it exact."""
    if isinstance(points, str | bytes) or not isinstance(points, Sequence):
        raise DivisionError("points must be a list with one list of points per party.")
    if len(points) < min_parties:
        raise DivisionError(
            f"at least {min_parties} part{'y' if min_parties == 1 else 'ies'} needed, "
            f"got {len(points)}."
        )
    rows = [points_row(row, who=f"party {i + 1}") for i, row in enumerate(points)]
    if not rows[0]:
        raise DivisionError("there are no items to divide.")
    m = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != m:
            raise DivisionError(
                f"party {i + 1} rated {len(row)} items but party 1 rated {m}; "
                "every party rates every item."
            )
    return rows


def shares_matrix(shares: object, n: int, m: int) -> list[list[Fraction]]:
    """Check an allocation: shares[i][j] between 0 and 1, each item's shares summing to 1."""
    if isinstance(shares, str | bytes) or not isinstance(shares, Sequence) or len(shares) != n:
        raise DivisionError(f"shares must be a list with one list per party ({n} parties).")
    out: list[list[Fraction]] = []
    for i, row in enumerate(shares):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence) or len(row) != m:
            raise DivisionError(f"party {i + 1}'s shares must list all {m} items.")
        exact = []
        for j, s in enumerate(row):
            value = Fraction(as_number(s, what=f"party {i + 1}'s share of item {j + 1}"))
            if value > 1:
                raise DivisionError(
                    f"party {i + 1}'s share of item {j + 1} is {value}, more than 1."
                )
            exact.append(value)
        out.append(exact)
    for j in range(m):
        total = sum((out[i][j] for i in range(n)), ZERO)
        if total != 1:
            raise DivisionError(f"the shares of item {j + 1} add up to {total}, not 1.")
    return out


def divisible_flags(divisible: object, m: int) -> list[bool]:
    if divisible is None:
        return [False] * m
    if (
        isinstance(divisible, str | bytes)
        or not isinstance(divisible, Sequence)
        or len(divisible) != m
    ):
        raise DivisionError(f"divisible must give one true/false per item ({m} items).")
    return [bool(d) for d in divisible]


def integer_rows(rows: list[list[int | Fraction]]) -> list[list[int]]:
    return scaled_rows(rows)[0]


def scaled_rows(rows: list[list[int | Fraction]]) -> tuple[list[list[int]], list[Fraction]]:
    """Each party's points scaled to coprime integers, with each party's factor
    (integer points = points * factor). Scaling one party's points changes no comparison by that
    party, and multiplies a product of utilities by a constant for a fixed set of parties."""
    out = []
    factors = []
    for row in rows:
        denominator = math.lcm(*(Fraction(v).denominator for v in row))
        ints = [int(Fraction(v) * denominator) for v in row]
        divisor = math.gcd(*ints) or 1
        out.append([v // divisor for v in ints])
        factors.append(Fraction(denominator, divisor))
    return out, factors


def utilities(
    rows: Sequence[Sequence[int | Fraction]], shares: Sequence[Sequence[Fraction]]
) -> list[Fraction]:
    return [
        sum((Fraction(v) * s for v, s in zip(row, share, strict=True) if s and v), ZERO)
        for row, share in zip(rows, shares, strict=True)
    ]
