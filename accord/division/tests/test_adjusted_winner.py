from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.division import (
    DivisionError,
    adjusted_winner,
    is_envy_free,
    is_equitable,
    is_pareto_optimal,
)
from accord.division.tests.strategies import aw_points


def table(a, b, result):
    return [a, b], [result.shares, [1 - s for s in result.shares]]


def test_textbook_example():
    # each prefers a different item; the item they value alike is split
    result = adjusted_winner([50, 30, 20], [20, 30, 50])
    assert result.shares == [1, Fraction(1, 2), 0]
    assert result.points == (65, 65)
    assert result.split_item == 1


def test_no_split_when_level_without_one():
    result = adjusted_winner([60, 40], [40, 60])
    assert result.shares == [1, 0]
    assert result.split_item is None


@settings(max_examples=150, deadline=None)
@given(aw_points())
def test_equal_entitlement_is_envy_free_equitable_pareto_optimal(ab):
    a, b = ab
    result = adjusted_winner(a, b)
    points, shares = table(a, b, result)
    assert result.points[0] == result.points[1]
    assert is_equitable(points, shares)
    assert is_envy_free(points, shares)
    assert is_pareto_optimal(points, shares)
    split = [j for j, s in enumerate(result.shares) if 0 < s < 1]
    assert len(split) <= 1
    assert result.split_item == (split[0] if split else None)
    assert result.points[0] == sum(x * s for x, s in zip(a, result.shares, strict=True))


@settings(max_examples=100, deadline=None)
@given(
    aw_points(),
    st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20),
)
def test_weighted_entitlement(ab, e):
    a, b = ab
    result = adjusted_winner(a, b, e)
    points, shares = table(a, b, result)
    pa, pb = result.points
    # weighted-equitable, unless one party already holds everything they value
    b_has_all = all(s == 0 for s, y in zip(result.shares, b, strict=True) if y)
    a_has_all = all(s == 1 for s, x in zip(result.shares, a, strict=True) if x)
    assert (
        pa * (1 - e) == pb * e
        or (pa * (1 - e) > pb * e and b_has_all)
        or (pa * (1 - e) < pb * e and a_has_all)
    )
    assert is_envy_free(points, shares, entitlements=[e, 1 - e])
    assert is_pareto_optimal(points, shares)
    assert sum(1 for s in result.shares if 0 < s < 1) <= 1


def test_fractions_and_decimals_accepted():
    from decimal import Decimal

    result = adjusted_winner([Fraction(1, 2), Decimal("0.5")], [Fraction(1, 4), Fraction(3, 4)])
    assert result.points[0] == result.points[1]


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ([10, -5], [5, 0], {}, "negative"),
        ([10, 5], [15], {}, "rated 2 items"),
        ([10, 5], [10, 4], {}, "same total"),
        ([], [], {}, "no items"),
        ([0, 0], [0, 0], {}, "all the points are zero"),
        ([10, 5], [5, 10], {"entitlement_a": Fraction(0)}, "strictly between 0 and 1"),
        ([10, 5], [5, 10], {"entitlement_a": Fraction(1)}, "strictly between 0 and 1"),
        ([10, 5], [5, 10], {"entitlement_a": Fraction(3, 2)}, "strictly between 0 and 1"),
        ([10, 5], [5, 10], {"entitlement_a": 0.5}, "float"),
        ([10.0, 5], [5, 10], {}, "float"),
        (["x", 5], [5, 10], {}, "must be a number"),
        ("ab", [5, 10], {}, "list of numbers"),
    ],
)
def test_bad_input(a, b, kwargs, message):
    with pytest.raises(DivisionError, match=message):
        adjusted_winner(a, b, **kwargs)


def test_many_items_fast_enough():
    import random
    import time

    rng = random.Random(7)
    a = [rng.randint(0, 1000) for _ in range(10_000)]
    b = [rng.randint(0, 1000) for _ in range(10_000)]
    sa, sb = sum(a), sum(b)
    a, b = [x * sb for x in a], [y * sa for y in b]
    start = time.perf_counter()
    result = adjusted_winner(a, b)
    assert time.perf_counter() - start < 1  # generous: the bench measures it properly
    assert result.points[0] == result.points[1]
