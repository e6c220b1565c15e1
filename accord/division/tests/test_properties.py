import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.division import (
    DivisionError,
    equalising_payment,
    explain,
    is_ef1,
    is_envy_free,
    is_pareto_optimal,
)


def test_importing_the_module_does_not_import_django():
    code = "import sys, accord.division; assert 'django' not in sys.modules, 'django imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=10),
    st.data(),
    st.fractions(min_value=0, max_value=1, max_denominator=100),
)
def test_equalising_payment_meets_target_exactly(values, data, target):
    shares = data.draw(
        st.lists(st.fractions(0, 1, max_denominator=7), min_size=len(values), max_size=len(values))
    )
    payment = equalising_payment(values, shares, target)
    held = sum(v * s for v, s in zip(values, shares, strict=True))
    assert held - payment == target * sum(values)


def test_equalising_payment_in_pence():
    # A keeps the house (£300,000), B the car and the savings (£20,000 + £40,000): A pays B
    assert equalising_payment([30_000_000, 2_000_000, 4_000_000], [1, 0, 0]) == 12_000_000
    assert equalising_payment([Decimal("100.50"), 0], [0, 1], Fraction(1, 2)) == Fraction(-201, 4)


@pytest.mark.parametrize(
    ("values", "shares", "target", "message"),
    [
        ([], [], Fraction(1, 2), "non-empty"),
        ([1, 2], [1], Fraction(1, 2), "each of the 2 items"),
        ([1, 2], [1, 2], Fraction(1, 2), "between 0 and 1"),
        ([1, 2], [1, 0], Fraction(3, 2), "target_a must be between 0 and 1"),
        ([1.5, 2], [1, 0], Fraction(1, 2), "int, Fraction or Decimal"),
    ],
)
def test_equalising_payment_bad_input(values, shares, target, message):
    with pytest.raises(DivisionError, match=message):
        equalising_payment(values, shares, target)


def test_checks_on_known_allocations():
    points = [[6, 3, 1], [1, 3, 6]]
    fair = [[1, 0, 0], [0, 1, 1]]
    assert is_envy_free(points, fair)  # A: 6 against 4; B: 9 against 1
    assert not is_envy_free([[5, 5, 5], [5, 5, 5]], [[1, 0, 0], [0, 1, 1]])
    assert is_ef1([[5, 5, 5], [5, 5, 5]], [[1, 0, 0], [0, 1, 1]])
    assert is_envy_free(points, [[1, Fraction(1, 2), 0], [0, Fraction(1, 2), 1]])
    assert not is_ef1([[5, 5, 5], [5, 5, 5]], [[1, 1, 1], [0, 0, 0]])
    assert is_pareto_optimal(points, fair)
    assert not is_pareto_optimal(points, [[0, 0, 1], [1, 1, 0]])
    # a whole-item allocation can be PO among whole-item allocations without being fractionally PO
    pts = [[3, 1], [2, 1]]
    alloc = [[0, 1], [1, 0]]
    assert not is_pareto_optimal(pts, alloc)
    assert is_pareto_optimal(pts, alloc, divisible=[False, False])


def test_pareto_three_parties_cycle():
    # A holds what B wants, B what C wants, C what A wants: a three-way swap helps everyone
    points = [[1, 0, 5], [5, 1, 0], [0, 5, 1]]
    alloc = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert not is_pareto_optimal(points, alloc)
    assert is_pareto_optimal(points, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])


def test_explain_speaks_plainly():
    sentences = explain(
        [[50, 30, 20], [20, 30, 50]],
        [[1, Fraction(1, 2), 0], [0, Fraction(1, 2), 1]],
        names=("Sam", "Alex"),
        item_names=("the house", "the car", "the savings"),
    )
    assert sentences[0] == "Sam gets the house, 50% of the car."
    assert sentences[1] == "Alex gets 50% of the car, the savings."
    assert any(s.startswith("It is envy-free") for s in sentences)
    assert any(s.startswith("It is equitable") for s in sentences)
    assert any(s.startswith("It is Pareto-optimal") for s in sentences)


def test_explain_whole_items():
    sentences = explain([[3, 1], [2, 1]], [[0, 1], [1, 0]], divisible=[False, False])
    assert any("keep items whole" in s for s in sentences)
    assert any("not envy-free" in s or "envy-free up to one item" in s for s in sentences)


@pytest.mark.parametrize(
    ("points", "shares", "message"),
    [
        ([[1, 2], [3, 4]], [[1, 0], [1, 1]], "add up to 2, not 1"),
        ([[1, 2], [3, 4]], [[1, 0]], "one list per party"),
        ([[1, 2], [3, 4]], [[1], [0]], "all 2 items"),
        ([[1, 2], [3, 4]], [[2, 0], [-1, 1]], "more than 1"),
    ],
)
def test_bad_allocations(points, shares, message):
    with pytest.raises(DivisionError, match=message):
        is_envy_free(points, shares)


def test_explain_needs_one_name_per_party():
    with pytest.raises(DivisionError, match="one name per party"):
        explain([[1], [1], [1]], [[1], [0], [0]])
