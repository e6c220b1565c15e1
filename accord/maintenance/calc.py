"""The weekly amount under the 2012 scheme, with every step explained in plain English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from accord.maintenance.rules import RULES, MaintenanceError, RuleSet, rules_on

PENNY = Decimal("0.01")
ZERO = Decimal("0")
BANDS = ("nil", "flat", "reduced", "basic", "basic_plus")
BAND_LABELS = {
    "nil": "nil rate",
    "flat": "flat rate",
    "reduced": "reduced rate",
    "basic": "basic rate",
    "basic_plus": "basic plus rate",
}


@dataclass(frozen=True, slots=True)
class CollectAndPay:
    """What Collect and Pay changes a week: the payer pays more, the receiver gets less."""

    paying_fee: Decimal
    paying_total: Decimal
    receiving_fee: Decimal
    receiving_total: Decimal


@dataclass(frozen=True, slots=True)
class MaintenanceResult:
    """The estimate. Direct Pay: `weekly`; Collect and Pay: `collect_and_pay`."""

    weekly: Decimal
    monthly: Decimal
    yearly: Decimal
    band: str
    steps: list[str]
    rules: RuleSet
    collect_and_pay: CollectAndPay
    per_child: tuple[Decimal, ...] = field(default=())  # each child's weekly share after care
    estimate_note: str = (
        "This is an estimate under the 2012 scheme, not the Child Maintenance Service's decision."
    )

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]

    @property
    def source(self) -> str:
        return self.rules.source


def _money(value: Decimal) -> str:
    return f"£{value.quantize(PENNY):,}"


def _pct(value: Decimal) -> str:
    text = f"{(value * 100).normalize():f}"
    return f"{text}%"


def _frac(fraction: Fraction) -> str:
    return f"{fraction.numerator}/{fraction.denominator}"


def _check_count(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MaintenanceError(f"The number of {name} must be a whole number.")
    if value < minimum:
        raise MaintenanceError(f"The number of {name} must be at least {minimum}.")
    if value > 20:
        raise MaintenanceError(f"{value} {name} is more than the calculator accepts (20).")
    return value


def _check_income(value: object) -> Decimal:
    if isinstance(value, bool | float):
        raise MaintenanceError("Give the income as an exact amount (a Decimal), not a float.")
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise MaintenanceError("Give the gross weekly income as a Decimal amount in pounds.")
    if not value.is_finite():
        raise MaintenanceError("The gross weekly income must be a number of pounds.")
    if value < 0:
        raise MaintenanceError("The gross weekly income cannot be below zero.")
    try:
        exact = value == value.quantize(PENNY)
    except InvalidOperation:
        exact = False
    if not exact:
        raise MaintenanceError("The gross weekly income has more than two decimal places.")
    return value


def _check_nights(nights: int | Sequence[int], children: int) -> list[int]:
    if isinstance(nights, bool):
        raise MaintenanceError("Give the nights as a whole number or one number per child.")
    if isinstance(nights, int):
        values = [nights] * children
    elif isinstance(nights, Sequence) and not isinstance(nights, str):
        values = list(nights)
        if len(values) != children:
            raise MaintenanceError(
                f"Give one number of nights per qualifying child: {children} expected, "
                f"{len(values)} given."
            )
    else:
        raise MaintenanceError("Give the nights as a whole number or one number per child.")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MaintenanceError("Each number of nights must be a whole number.")
        if not 0 <= value <= 366:
            raise MaintenanceError(f"{value} nights: a year has between 0 and 366 nights.")
    return values


def _band_for(nights: int, rules: RuleSet) -> tuple[int, Fraction, Decimal, str]:
    for band in rules.shared_care:
        if nights >= band.low and (band.high is None or nights <= band.high):
            return nights, band.fraction, band.extra_weekly, band.label()
    return nights, Fraction(0), ZERO, "fewer than 52 nights"


def weekly_maintenance(
    gross_weekly_income: Decimal,
    qualifying_children: int,
    other_children: int = 0,
    nights: int | Sequence[int] = 0,
    flat_rate_benefit: bool = False,
    nil_rate: bool = False,
    on: dt.date | None = None,
    *,
    rules: RuleSet | None = None,
) -> MaintenanceResult:
    """Estimate the paying parent's weekly child maintenance (2012 scheme, Great Britain).

    `nights` is the nights a year each qualifying child spends with the paying parent: one number
    for every child, or a sequence with one number per child. `flat_rate_benefit`: the paying
    parent gets a prescribed benefit (flat rate); `nil_rate`: a nil-rate status (student,
    prisoner...). `on` picks the rule set in force (today when omitted); `rules` overrides it
    (e.g. with another rounding).
    """
    income = _check_income(gross_weekly_income)
    qualifying = _check_count(qualifying_children, "qualifying children", 1)
    others = _check_count(other_children, "relevant other children", 0)
    per_child_nights = _check_nights(nights, qualifying)
    if on is not None and (not isinstance(on, dt.date) or isinstance(on, dt.datetime)):
        raise MaintenanceError("The date of the calculation must be a date.")
    if rules is None:
        rules = rules_on(on or dt.date.today(), RULES)
    steps: list[str] = []
    q_key, o_key = min(qualifying, 3), min(others, 3)
    children_named = qualifying
    #: Children (numbered from 1) whose care is equal: nothing is worked out for them.
    equal_care: set[int] = set()

    def finish(amount: Decimal, band: str, shares: Sequence[Decimal] = ()) -> MaintenanceResult:
        if equal_care:
            rest = iter(shares)
            shares = [
                ZERO if i in equal_care else next(rest, ZERO) for i in range(1, children_named + 1)
            ]
        weekly = amount.quantize(PENNY, rules.rounding)
        yearly = (weekly * rules.weeks_per_year).quantize(PENNY, rules.rounding)
        monthly = (weekly * rules.weeks_per_year / 12).quantize(PENNY, rules.rounding)
        paying_fee = (weekly * rules.collect_pay_paying).quantize(PENNY, rules.rounding)
        receiving_fee = (weekly * rules.collect_pay_receiving).quantize(PENNY, rules.rounding)
        steps.append(
            f"Weekly amount {_money(weekly)} (about {_money(monthly)} a month, "
            f"{_money(yearly)} a year) by Direct Pay. Collect and Pay adds "
            f"{_pct(rules.collect_pay_paying)} for the paying parent ({_money(weekly + paying_fee)}"
            f" a week) and takes {_pct(rules.collect_pay_receiving)} from the receiving parent "
            f"({_money(weekly - receiving_fee)} a week)."
        )
        return MaintenanceResult(
            weekly=weekly,
            monthly=monthly,
            yearly=yearly,
            band=band,
            steps=steps,
            rules=rules,
            collect_and_pay=CollectAndPay(
                paying_fee=paying_fee,
                paying_total=weekly + paying_fee,
                receiving_fee=receiving_fee,
                receiving_total=weekly - receiving_fee,
            ),
            per_child=tuple(s.quantize(PENNY, rules.rounding) for s in shares),
        )

    # Exactly equal care: nobody is the paying parent.
    if all(n >= rules.equal_care_nights for n in per_child_nights):
        steps.append(
            f"Every qualifying child spends {rules.equal_care_nights} or more nights a year with "
            "this parent: care is shared equally, so neither parent is the paying parent and "
            "nothing is due."
        )
        return finish(ZERO, "nil", [ZERO] * qualifying)
    # Equal care of some children only: for them this parent is not the paying parent (reg
    # 50(2): only a parent who provides care "to a lesser extent" is), so they are not
    # qualifying children of this calculation, which is made for the others alone.
    numbers = list(range(1, qualifying + 1))
    for number, n in zip(numbers, per_child_nights, strict=True):
        if n >= rules.equal_care_nights:
            equal_care.add(number)
            steps.append(
                f"Child {number}: {n} nights a year, at least half the nights with this parent: "
                "care is shared equally, so this parent is not the paying parent for this child "
                "and the child is left out of the calculation."
            )
    if equal_care:
        kept = [
            (i, n) for i, n in zip(numbers, per_child_nights, strict=True) if i not in equal_care
        ]
        numbers = [i for i, _ in kept]
        per_child_nights = [n for _, n in kept]
        qualifying = len(numbers)
        q_key = min(qualifying, 3)

    # The rate band.
    if nil_rate or (income < rules.nil_below and not flat_rate_benefit):
        reason = "a nil-rate status" if nil_rate else f"income below {_money(rules.nil_below)}"
        steps.append(f"Nil rate ({reason}): nothing is due.")
        return finish(ZERO, "nil", [ZERO] * qualifying)
    if flat_rate_benefit or income <= rules.flat_upper:
        if flat_rate_benefit:
            steps.append(
                "Flat rate: the paying parent gets a prescribed benefit, "
                f"{_money(rules.flat_amount)} a week."
            )
            cared = [n for n in per_child_nights if n >= rules.flat_rate_nil_nights]
            if cared:
                steps.append(
                    f"A flat-rate payer on benefits who has a child {rules.flat_rate_nil_nights} "
                    "or more nights a year pays nil."
                )
                return finish(ZERO, "nil", [ZERO] * qualifying)
        else:
            steps.append(
                f"Flat rate: gross weekly income {_money(income)} is between "
                f"{_money(rules.nil_below)} and {_money(rules.flat_upper)}, so "
                f"{_money(rules.flat_amount)} a week; shared care does not reduce it."
            )
        amount = rules.flat_amount
        return finish(amount, "flat", [amount / qualifying] * qualifying)

    capped = min(income, rules.income_cap)
    if income > rules.income_cap:
        steps.append(
            f"Gross weekly income {_money(income)} is capped at {_money(rules.income_cap)}."
        )
    if income < rules.basic_from:
        band = "reduced"
        t = rules.reduced_t[(q_key, o_key)]
        amount = rules.flat_amount + t * (income - rules.flat_upper)
        steps.append(
            f"Reduced rate: gross weekly income {_money(income)} is over "
            f"{_money(rules.flat_upper)} and under {_money(rules.basic_from)}. "
            f"{_money(rules.flat_amount)} plus {_pct(t)} (for {qualifying} qualifying and "
            f"{others} other children) of the {_money(income - rules.flat_upper)} over "
            f"{_money(rules.flat_upper)} = {_money(amount)} a week."
        )
    else:
        reduction = rules.other_children_reductions[o_key]
        adjusted = capped * (1 - reduction)
        if others:
            steps.append(
                f"{others} relevant other child{'ren' if others > 1 else ''} living with the "
                f"paying parent: income reduced by {_pct(reduction)}, from {_money(capped)} to "
                f"{_money(adjusted)}."
            )
        else:
            steps.append("No relevant other children: no reduction to the income.")
        basic = rules.basic_rates[q_key]
        if income <= rules.basic_upper:
            band = "basic"
            amount = adjusted * basic
            steps.append(
                f"Basic rate ({qualifying} qualifying child{'ren' if qualifying > 1 else ''}): "
                f"{_pct(basic)} of {_money(adjusted)} = {_money(amount)} a week."
            )
        else:
            band = "basic_plus"
            plus = rules.basic_plus_rates[q_key]
            first = min(adjusted, rules.basic_upper)
            rest = max(adjusted - rules.basic_upper, ZERO)
            amount = first * basic + rest * plus
            steps.append(
                f"Basic plus rate: {_pct(basic)} of the first {_money(first)} "
                f"({_money(first * basic)}) plus {_pct(plus)} of the remaining {_money(rest)} "
                f"({_money(rest * plus)}) = {_money(amount)} a week."
            )

    # Shared care, child by child.
    share = amount / qualifying
    shares: list[Decimal] = []
    any_care = False
    for index, n in zip(numbers, per_child_nights, strict=True):
        who = f"Child {index}" if children_named > 1 else "The child"
        _n, fraction, extra, label = _band_for(n, rules)
        if fraction == 0:
            shares.append(share)
            if children_named > 1 or any(per_child_nights):
                steps.append(f"{who}: {n} nights a year, no shared-care reduction.")
            continue
        any_care = True
        off = share * fraction.numerator / fraction.denominator
        value = max(share - off - extra, ZERO)
        extra_text = f" and a further {_money(extra)}" if extra else ""
        steps.append(
            f"{who}: {n} nights a year ({label}): {_frac(fraction)} off{extra_text}, "
            f"{_money(share)} becomes {_money(value)}."
        )
        shares.append(value)
    total = sum(shares, ZERO)
    if any_care and total < rules.floor:
        steps.append(
            f"After shared care the amount ({_money(total)}) is below the "
            f"{_money(rules.floor)} minimum, so {_money(rules.floor)} is due."
        )
        total = rules.floor
    return finish(total, band, shares)


def default_maintenance(
    qualifying_children: int, on: dt.date | None = None, *, rules: RuleSet | None = None
) -> Decimal:
    """The default rate (reg 49) a week, when the rule set has one configured.

    The figures are unconfirmed (DOMAIN.md section 8), so the shipped rule set has none and this
    raises `MaintenanceError` until a service configures `RuleSet.default_rate` (by qualifying
    children 1, 2, 3 where 3 means 3 or more).
    """
    qualifying = _check_count(qualifying_children, "qualifying children", 1)
    if rules is None:
        rules = rules_on(on or dt.date.today(), RULES)
    amount = rules.default_rate.get(min(qualifying, 3))
    if amount is None:
        raise MaintenanceError(
            "No default rate (reg 49) is configured: its figures are unconfirmed."
        )
    return amount.quantize(PENNY, rules.rounding)
