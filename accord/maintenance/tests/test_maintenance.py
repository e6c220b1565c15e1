"""Worked examples of the 2012 scheme, each computed by hand in its docstring."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.maintenance
from accord.maintenance import (
    RULES,
    MaintenanceError,
    default_maintenance,
    rules_on,
    weekly_maintenance,
)

D = Decimal
ON = dt.date(2026, 12, 1)


def test_basic_rate_two_children() -> None:
    """GWI £500, 2 children, no others: basic rate 16% x £500 = £80.00 a week."""
    result = weekly_maintenance(D("500"), 2, on=ON)
    assert result.weekly == D("80.00")
    assert result.band == "basic"
    assert result.yearly == D("4160.00")  # 80 x 52
    assert result.monthly == D("346.67")  # 80 x 52 / 12 = 346.666...
    assert any("16% of £500.00 = £80.00" in step for step in result.steps)


def test_basic_rate_two_children_104_nights_each() -> None:
    """£80 split £40 a child; 104 nights each is the 104-155 band, 2/7 off:
    £40 x 5/7 = £28.5714 each, £57.142857 in all, £57.14 to the penny."""
    result = weekly_maintenance(D("500"), 2, nights=104, on=ON)
    assert result.weekly == D("57.14")
    assert result.per_child == (D("28.57"), D("28.57"))
    assert sum("2/7 off" in step for step in result.steps) == 2


def test_shared_care_per_child_list() -> None:
    """GWI £400, 3 children: 19% x 400 = £76, £25.3333 each. Child 1 60 nights (1/7 off):
    21.7143; child 2 none: 25.3333; child 3 160 nights (3/7 off): 14.4762.
    Sum £61.5238 -> £61.52."""
    result = weekly_maintenance(D("400"), 3, nights=[60, 0, 160], on=ON)
    assert result.weekly == D("61.52")
    assert result.per_child == (D("21.71"), D("25.33"), D("14.48"))


def test_175_nights_halves_and_takes_a_further_seven_pounds() -> None:
    """GWI £300, 1 child: 12% = £36. 180 nights: half (£18) less £7 = £11.00."""
    assert weekly_maintenance(D("300"), 1, nights=180, on=ON).weekly == D("11.00")


def test_the_seven_pound_floor_after_shared_care() -> None:
    """GWI £210, 1 child: 12% = £25.20. 175 nights: £12.60 - £7 = £5.60, below the £7 floor."""
    result = weekly_maintenance(D("210"), 1, nights=175, on=ON)
    assert result.weekly == D("7.00")
    assert any("minimum" in step for step in result.steps)


def test_other_children_reduce_the_income_for_basic_plus() -> None:
    """GWI £1,000, 1 child, 1 other child: income less 11% = £890; 12% of £800 = £96 plus
    9% of £90 = £8.10: £104.10."""
    result = weekly_maintenance(D("1000"), 1, other_children=1, on=ON)
    assert result.weekly == D("104.10")
    assert result.band == "basic_plus"
    assert any("reduced by 11%" in step for step in result.steps)


def test_income_is_capped_at_3000() -> None:
    """GWI £5,000 capped at £3,000, 3 children: 19% x 800 = 152 plus 15% x 2,200 = 330: £482."""
    result = weekly_maintenance(D("5000"), 3, on=ON)
    assert result.weekly == D("482.00")
    assert result.weekly == weekly_maintenance(D("3000"), 3, on=ON).weekly


def test_three_or_more_other_children_take_16_percent() -> None:
    """GWI £600, 2 children, 4 others: 16% off -> £504; 16% of £504 = £80.64."""
    assert weekly_maintenance(D("600"), 2, other_children=4, on=ON).weekly == D("80.64")


@pytest.mark.parametrize(
    ("income", "qualifying", "others", "weekly"),
    [
        # £7 + T x (income - £100)
        ("150", 1, 0, "15.50"),  # 7 + 17% x 50 = 15.50
        ("150", 2, 1, "17.60"),  # 7 + 21.2% x 50 = 17.60
        ("199.99", 3, 3, "30.80"),  # 7 + 23.8% x 99.99 = 30.7976 -> 30.80
        ("100.01", 1, 2, "7.00"),  # 7 + 13.2% x 0.01 = 7.00132 -> 7.00
    ],
)
def test_reduced_rate_uses_the_t_table(
    income: str, qualifying: int, others: int, weekly: str
) -> None:
    result = weekly_maintenance(D(income), qualifying, other_children=others, on=ON)
    assert result.band == "reduced"
    assert result.weekly == D(weekly)


@pytest.mark.parametrize(
    ("income", "band", "weekly"),
    [
        ("0", "nil", "0.00"),
        ("6.99", "nil", "0.00"),
        ("7", "flat", "7.00"),
        ("100", "flat", "7.00"),
        ("100.01", "reduced", "7.00"),
        ("200", "basic", "24.00"),  # 12% x 200
        ("800", "basic", "96.00"),
        ("800.01", "basic_plus", "96.00"),  # 96 + 9% x 0.01
    ],
)
def test_band_boundaries(income: str, band: str, weekly: str) -> None:
    result = weekly_maintenance(D(income), 1, on=ON)
    assert (result.band, result.weekly) == (band, D(weekly))


def test_nil_rate_status_pays_nothing() -> None:
    result = weekly_maintenance(D("900"), 1, nil_rate=True, on=ON)
    assert (result.band, result.weekly) == ("nil", D("0.00"))


def test_flat_rate_benefit_pays_seven_pounds_and_nil_with_52_nights() -> None:
    """Prescribed benefit: £7 a week; with a child 52 or more nights a year: nil."""
    assert weekly_maintenance(D("0"), 2, flat_rate_benefit=True, on=ON).weekly == D("7.00")
    result = weekly_maintenance(D("0"), 2, nights=[52, 0], flat_rate_benefit=True, on=ON)
    assert (result.band, result.weekly) == ("nil", D("0.00"))
    assert weekly_maintenance(D("50"), 1, nights=51, flat_rate_benefit=True, on=ON).weekly == 7


@pytest.mark.parametrize("nights", [0, 51, 52, 104, 156, 175, 181])
def test_flat_rate_on_low_income_is_not_reduced_by_shared_care(nights: int) -> None:
    """Sch. 1 para 8 makes only a flat rate paid because of benefits nil with 52+ nights; the
    flat rate on an income of £100 or less is not reduced by shared care (para 7 applies to the
    basic and reduced rates)."""
    result = weekly_maintenance(D("80"), 1, nights=nights, on=ON)
    assert (result.band, result.weekly) == ("flat", D("7.00"))


def test_a_benefit_payer_with_no_income_pays_the_flat_rate() -> None:
    """Decision pinned: a prescribed benefit gives the flat rate even with no other income (the
    CMS takes the £7 from the benefit); without the benefit, an income under £7 is nil; a
    nil-rate status (student, prisoner) wins over the benefit."""
    assert weekly_maintenance(D("0"), 1, flat_rate_benefit=True, on=ON).band == "flat"
    assert weekly_maintenance(D("6.99"), 1, flat_rate_benefit=True, on=ON).weekly == D("7.00")
    assert weekly_maintenance(D("6.99"), 1, on=ON).weekly == D("0.00")
    both = weekly_maintenance(D("0"), 1, flat_rate_benefit=True, nil_rate=True, on=ON)
    assert (both.band, both.weekly) == ("nil", D("0.00"))


def test_exactly_equal_care_means_nothing_is_due() -> None:
    result = weekly_maintenance(D("700"), 2, nights=[183, 183], on=ON)
    assert result.weekly == D("0.00")
    assert any("neither parent is the paying parent" in step for step in result.steps)


def test_equal_care_is_read_as_182_nights_or_more() -> None:
    """Decision pinned: 182 (half of 365 rounded down: a week-on week-off year gives 182 and 183)
    is equal care and nothing is due; 181 is the 175+ band: half off and a further £7.
    £500, 1 child: 12% = £60; 181 nights: 60 / 2 - 7 = £23."""
    assert weekly_maintenance(D("500"), 1, nights=182, on=ON).weekly == D("0.00")
    assert weekly_maintenance(D("500"), 1, nights=181, on=ON).weekly == D("23.00")


def test_a_child_in_equal_care_is_left_out_of_the_calculation() -> None:
    """Reg 50(2): for a child in equal care this parent is not the paying parent, so the other
    child is the only qualifying child: 12% of £500 = £60 (not half of 16%, £40)."""
    result = weekly_maintenance(D("500"), 2, nights=[182, 0], on=ON)
    assert result.weekly == D("60.00")
    assert result.per_child == (D("0.00"), D("60.00"))
    assert any("Child 1" in step and "left out" in step for step in result.steps)


def test_collect_and_pay_fees() -> None:
    """£80 a week: Collect and Pay adds 20% (£16, the payer pays £96) and takes 4% (£3.20,
    the receiver gets £76.80)."""
    cp = weekly_maintenance(D("500"), 2, on=ON).collect_and_pay
    assert (cp.paying_fee, cp.paying_total) == (D("16.00"), D("96.00"))
    assert (cp.receiving_fee, cp.receiving_total) == (D("3.20"), D("76.80"))


def test_rules_are_dated_and_cite_their_source() -> None:
    result = weekly_maintenance(D("500"), 2, on=ON)
    assert result.rules is rules_on(ON)
    assert result.rules.valid_from == dt.date(2012, 12, 10)
    assert "SI 2012/2677" in result.source
    with pytest.raises(MaintenanceError, match="10 December 2012"):
        weekly_maintenance(D("500"), 2, on=dt.date(2012, 1, 1))


def test_a_later_rule_set_is_picked_from_its_date() -> None:
    later = dataclasses.replace(RULES[0], valid_from=dt.date(2030, 4, 1), flat_amount=D("10"))
    rules = (*RULES, later)
    assert rules_on(dt.date(2030, 3, 31), rules) is RULES[0]
    assert rules_on(dt.date(2030, 4, 1), rules) is later


def test_rounding_is_configurable() -> None:
    """£57.142857 rounds to £57.14 either way; 7 + 23.8% x 99.99 = 30.7976: half-up 30.80,
    down 30.79."""
    down = dataclasses.replace(rules_on(ON), rounding=ROUND_DOWN)
    assert weekly_maintenance(D("199.99"), 3, other_children=3, rules=down).weekly == D("30.79")


def test_today_is_the_default_date() -> None:
    assert weekly_maintenance(D("500"), 2).rules is rules_on(dt.date.today())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gross_weekly_income": D("-1"), "qualifying_children": 1}, "below zero"),
        ({"gross_weekly_income": D("10.001"), "qualifying_children": 1}, "two decimal"),
        ({"gross_weekly_income": 10.5, "qualifying_children": 1}, "not a float"),
        ({"gross_weekly_income": D("NaN"), "qualifying_children": 1}, "number of pounds"),
        ({"gross_weekly_income": D("10"), "qualifying_children": 0}, "at least 1"),
        (
            {"gross_weekly_income": D("10"), "qualifying_children": 1, "other_children": -1},
            "at least 0",
        ),
        ({"gross_weekly_income": D("10"), "qualifying_children": 1, "nights": 367}, "366"),
        ({"gross_weekly_income": D("10"), "qualifying_children": 1, "nights": -1}, "366"),
        ({"gross_weekly_income": D("10"), "qualifying_children": 2, "nights": [1]}, "2 expected"),
        ({"gross_weekly_income": D("10"), "qualifying_children": True}, "whole number"),
    ],
)
def test_impossible_input_is_refused_clearly(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(MaintenanceError, match=message):
        weekly_maintenance(**kwargs)  # type: ignore[arg-type]


def test_maintenance_error_is_a_value_error() -> None:
    assert issubclass(MaintenanceError, ValueError)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.decimals(min_value=0, max_value=10_000, places=2),
    st.integers(1, 5),
    st.integers(0, 5),
    st.integers(0, 366),
)
def test_the_amount_never_grows_with_more_nights_of_care(
    income: Decimal, qualifying: int, others: int, nights: int
) -> None:
    more = weekly_maintenance(income, qualifying, others, nights=nights, on=ON)
    fewer = weekly_maintenance(income, qualifying, others, nights=0, on=ON)
    assert D("0") <= more.weekly <= fewer.weekly
    assert more.weekly == more.weekly.quantize(D("0.01"))


def test_source_imports_no_django() -> None:
    package = Path(accord.maintenance.__file__).resolve().parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] != "django", path
                if node.module.startswith("accord"):
                    assert node.module.startswith("accord.maintenance"), path


def test_the_default_rate_is_unconfirmed_so_it_must_be_configured() -> None:
    with pytest.raises(MaintenanceError, match="unconfirmed"):
        default_maintenance(2, on=ON)
    configured = dataclasses.replace(
        rules_on(ON), default_rate={1: D("39"), 2: D("51"), 3: D("64")}
    )
    assert default_maintenance(5, rules=configured) == D("64.00")
