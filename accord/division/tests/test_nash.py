from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.division import (
    DivisionError,
    adjusted_winner,
    is_ef1,
    is_envy_free,
    is_pareto_optimal,
    max_nash_welfare,
)
from accord.division.nash import nash_key
from accord.division.tests.strategies import brute_force_key, points_tables, whole

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_against_brute_force(points):
    result = max_nash_welfare(points)
    assert whole(result.shares)
    assert result.exact
    count, product = brute_force_key(points)
    assert nash_key(result.utilities) == (count, product)
    assert result.nash_welfare == product
    assert is_ef1(points, result.shares)
    for j in range(len(points[0])):
        assert sum(row[j] for row in result.shares) == 1


@SETTINGS
@given(points_tables(parties=(2, 2), items=(1, 8)))
def test_two_parties_match_brute_force(points):
    check_against_brute_force(points)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points_tables(parties=(3, 4), items=(1, 7)))
def test_more_parties_match_brute_force(points):
    check_against_brute_force(points)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points_tables(parties=(3, 4), items=(8, 8)))
def test_eight_items_match_brute_force(points):
    check_against_brute_force(points)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points_tables(parties=(3, 3), items=(1, 8)))
def test_three_party_table_matches_brute_force(points):
    # the exact (u_A, u_B) table used for three parties when the MILP is slow
    from accord.division.frontier import three_party_best

    owners = three_party_best(points)
    count, product = brute_force_key(points)
    if count < 3:
        assert owners is None
        return
    assert owners is not None
    utils = [sum(points[i][j] for j in range(len(owners)) if owners[j] == i) for i in range(3)]
    assert utils[0] * utils[1] * utils[2] == product


def test_three_parties_out_of_time_fall_back_to_the_table():
    from accord.division import nash

    points = [[5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5], [6, 4, 5, 5, 5, 5]]
    old = nash.TABLE_SECONDS_PER_CELL
    nash.TABLE_SECONDS_PER_CELL = 0.0  # no time at all for the MILP
    try:
        result = max_nash_welfare(points)
    finally:
        nash.TABLE_SECONDS_PER_CELL = old
    assert result.stats == {"table": 1} and result.exact
    assert nash_key(result.utilities) == brute_force_key(points)


def test_ties_and_identical_items_are_exact():
    # many allocations share the optimum product; the answer must still be optimal
    check_against_brute_force([[5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5]])
    check_against_brute_force([[1, 1, 1, 1, 1, 1, 1, 1]] * 4)


def test_party_who_values_nothing():
    points = [[0, 0, 0], [3, 2, 1], [1, 2, 3]]
    result = max_nash_welfare(points)
    assert result.utilities[0] == 0
    assert result.nash_welfare == brute_force_key(points)[1]


def test_more_parties_than_valued_items():
    # three parties all want the one item: only one can be pleased; the best one is
    points = [[4, 0], [6, 0], [5, 1]]
    result = max_nash_welfare(points)
    assert nash_key(result.utilities) == brute_force_key(points)


def test_nobody_values_anything():
    result = max_nash_welfare([[0, 0], [0, 0]])
    assert result.nash_welfare == 0
    assert [sum(col) for col in zip(*result.shares, strict=True)] == [1, 1]


@SETTINGS
@given(points_tables(parties=(2, 2), items=(1, 6)))
def test_two_parties_divisible_is_envy_free_and_pareto_optimal(points):
    # the fractional MNW of two parties is the competitive equilibrium: envy-free and PO
    result = max_nash_welfare(points, divisible=[True] * len(points[0]))
    assert result.exact
    assert is_envy_free(points, result.shares)
    assert is_pareto_optimal(points, result.shares)
    best_whole = brute_force_key(points)
    assert nash_key(result.utilities) >= best_whole


@SETTINGS
@given(points_tables(parties=(2, 2), items=(2, 6)), st.data())
def test_two_parties_mixed_items(points, data):
    m = len(points[0])
    divisible = data.draw(st.lists(st.booleans(), min_size=m, max_size=m))
    result = max_nash_welfare(points, divisible=divisible)
    for j in range(m):
        if not divisible[j]:
            assert result.shares[0][j] in (0, 1)
    assert is_pareto_optimal(points, result.shares, divisible)
    assert nash_key(result.utilities) >= brute_force_key(points)
    # not beaten by splitting the divisible items evenly on top of any whole allocation tried
    if sum(points[0]) == sum(points[1]) and sum(points[0]) > 0:
        aw = adjusted_winner(points[0], points[1])
        if all(divisible[j] for j in range(m) if 0 < aw.shares[j] < 1):
            assert nash_key(result.utilities) >= nash_key(list(aw.points))


def test_two_parties_divisible_known_answer():
    # one item each values: A values it at 1, B at 1: split in half
    result = max_nash_welfare([[1], [1]], divisible=[True])
    assert result.shares == [[Fraction(1, 2)], [Fraction(1, 2)]]
    assert result.nash_welfare == Fraction(1, 4)


def eisenberg_gale_optimal(points, shares):
    """An independent exact check of a split of divisible items: with u_i each party's utility,
    every item goes only to parties with the largest v_ij / u_i (the KKT conditions of the
    concave Eisenberg-Gale program, which are sufficient), and every party who values something
    gets a positive utility."""
    utils = [
        sum(Fraction(v) * s for v, s in zip(row, sh, strict=True))
        for row, sh in zip(points, shares, strict=True)
    ]
    live = [i for i, row in enumerate(points) if any(row)]
    if any(utils[i] <= 0 for i in live):
        return False
    for j in range(len(points[0])):
        bang = {i: Fraction(points[i][j]) / utils[i] for i in live}
        if not bang or max(bang.values()) == 0:
            continue
        top = max(bang.values())
        for i in range(len(points)):
            if shares[i][j] > 0 and (i not in live or bang[i] != top):
                return False
    return True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points_tables(parties=(3, 4), items=(1, 6)))
def test_more_parties_divisible_is_exact_and_optimal(points):
    result = max_nash_welfare(points, divisible=[True] * len(points[0]))
    assert result.exact
    for j in range(len(points[0])):
        assert sum(row[j] for row in result.shares) == 1
    assert all(isinstance(s, Fraction) for row in result.shares for s in row)
    assert eisenberg_gale_optimal(points, result.shares)


def test_more_parties_divisible_known_answer():
    # A and B each want one item; C likes both a little: C buys a third of each, exactly
    result = max_nash_welfare([[5, 0], [0, 5], [1, 1]], divisible=[True, True])
    assert result.exact
    assert result.shares == [
        [Fraction(2, 3), Fraction(0)],
        [Fraction(0), Fraction(2, 3)],
        [Fraction(1, 3), Fraction(1, 3)],
    ]
    assert result.nash_welfare == Fraction(200, 27)


def best_one_divisible(points, base, d):
    """The exact best split of one divisible item d on top of whole-item utilities `base`, by
    brute force over which parties get a share: on a set S of parties, c_i + v_i x_i = L for
    all i in S, so L = (1 + sum c_i / v_i) / |S|; it is the optimum when every x_i >= 0 and no
    party outside S would gain more in log terms (v_k / c_k <= 1 / L). Returns the utilities
    (None if some party ends up with nothing)."""
    n = len(points)
    takers = [i for i in range(n) if points[i][d] > 0]
    best = None
    for mask in range(1, 2 ** len(takers)):
        group = [takers[k] for k in range(len(takers)) if mask >> k & 1]
        level = (1 + sum(Fraction(base[i], points[i][d]) for i in group)) / len(group)
        x = {i: level - Fraction(base[i], points[i][d]) for i in group}
        if any(s < 0 for s in x.values()):
            continue
        if any(
            base[k] == 0 or Fraction(points[k][d], base[k]) > 1 / level
            for k in takers
            if k not in group
        ):
            continue
        best = [base[i] + points[i][d] * x.get(i, 0) for i in range(n)]
        break
    if best is None or any(u <= 0 for u in best):
        return None
    return best


def brute_force_one_divisible(points, d):
    """The largest product with every party pleased, over every assignment of the whole items
    (itertools.product) with item d split exactly at its best (None if no such allocation)."""
    import itertools
    import math

    n, m = len(points), len(points[0])
    rest = [j for j in range(m) if j != d]
    best = None
    for owners in itertools.product(range(n), repeat=len(rest)):
        base = [0] * n
        for j, i in zip(rest, owners, strict=True):
            base[i] += points[i][j]
        utils = best_one_divisible(points, base, d)
        if utils is not None:
            product = math.prod(utils)
            best = product if best is None or product > best else best
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points_tables(parties=(3, 4), items=(2, 5), top=12), st.data())
def test_more_parties_mixed_items_are_exact_and_match_brute_force(points, data):
    from hypothesis import assume

    n, m = len(points), len(points[0])
    d = data.draw(st.integers(0, m - 1))
    optimum = brute_force_one_divisible(points, d)
    assume(optimum is not None)  # every party can be pleased (else exact stays False)
    divisible = [j == d for j in range(m)]
    result = max_nash_welfare(points, divisible=divisible)
    assert result.exact
    assert all(result.shares[i][j] in (0, 1) for i in range(n) for j in range(m) if j != d)
    for j in range(m):
        assert sum(row[j] for row in result.shares) == 1
    assert result.nash_welfare == optimum


def test_three_parties_mixed_items_are_exact():
    # whole and divisible items together: the best assignment of the whole items is proven
    # (a relaxation by tangents of log), each with its exact divisible split
    result = max_nash_welfare([[1, 2, 3], [3, 2, 1], [2, 2, 2]], divisible=[True, False, True])
    assert result.exact
    assert result.nash_welfare == 18
    for j in range(3):
        assert sum(row[j] for row in result.shares) == 1
    assert result.shares[0][1] in (0, 1)


def test_mixed_items_known_answer():
    result = max_nash_welfare(
        [[5, 1, 3, 0, 2], [1, 5, 2, 2, 1], [2, 2, 2, 2, 2], [0, 3, 3, 3, 1]],
        divisible=[False, True, False, True, False],
    )
    assert result.exact
    assert result.nash_welfare == Fraction(675, 2)


def test_fractional_points_are_scaled():
    a = max_nash_welfare([[Fraction(1, 2), Fraction(1, 3)], [Fraction(1, 4), 1]])
    b = max_nash_welfare([[6, 4], [1, 4]])
    assert a.shares == b.shares
    assert a.nash_welfare == Fraction(1, 2) * 1


def test_one_party_gets_everything():
    result = max_nash_welfare([[3, 4]])
    assert result.shares == [[1, 1]]
    assert result.nash_welfare == 7


@pytest.mark.parametrize(
    ("points", "divisible", "message"),
    [
        ([[1, 2], [3]], None, "rated 1 items but party 1 rated 2"),
        ([[1, -2], [3, 4]], None, "negative"),
        ([], None, "at least 1 party"),
        ([[], []], None, "no items"),
        ([[1, 2], [3, 4]], [True], "one true/false per item"),
        ([[1, 2.5], [3, 4]], None, "float"),
    ],
)
def test_bad_input(points, divisible, message):
    with pytest.raises(DivisionError, match=message):
        max_nash_welfare(points, divisible)


def test_an_instance_that_stopped_highs_presolve_is_still_solved_exactly():
    # HiGHS answered "other error" (status 4) on this one with presolve on (found by CI).
    check_against_brute_force(
        [[0, 1000, 0, 999, 0, 1000], [100, 50, 1000, 0, 0, 999], [5, 0, 50, 999, 1, 5]]
    )
