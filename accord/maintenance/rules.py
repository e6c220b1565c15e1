"""The 2012 child maintenance scheme's figures, as dated rule sets.

Sources: Child Support Act 1991, Schedule 1 (as amended by the Child Maintenance and Other
Payments Act 2008); the Child Support Maintenance Calculation Regulations 2012 (SI 2012/2677);
gov.uk "How child maintenance is worked out". Add a new `RuleSet` with its `valid_from` when a
figure changes; never edit one in force in the past.

Two settings are unconfirmed (DOMAIN.md section 8) and therefore configurable: `rounding`
(reg 6: fractions of a penny, taken here as half a penny and above rounds up) and
`default_rate` (reg 49, the default maintenance decision: not set, so no figure is claimed).
Build a replacement with `dataclasses.replace(RULES[-1], rounding=..., default_rate=...)` and
pass it as `rules=` to `weekly_maintenance`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

D = Decimal


class MaintenanceError(ValueError):
    """Input the calculator cannot work with; the message says which and why."""


@dataclass(frozen=True, slots=True)
class SharedCareBand:
    """Nights a year with the paying parent (`high` None: no upper end) and the fraction off."""

    low: int
    high: int | None
    fraction: Fraction
    extra_weekly: Decimal = Decimal(0)  # a further reduction per child a week (175+ nights)

    def label(self) -> str:
        upper = f"-{self.high}" if self.high is not None else " or more"
        return f"{self.low}{upper} nights"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every figure of the scheme in force from `valid_from`."""

    valid_from: dt.date
    source: str
    income_cap: Decimal  # gross weekly income above this is ignored
    nil_below: Decimal  # income below this: nil rate
    flat_upper: Decimal  # income from nil_below up to this (inclusive): flat rate
    basic_from: Decimal  # income from this: basic rate (between flat_upper and this: reduced)
    basic_upper: Decimal  # income up to this: basic; above: basic plus
    flat_amount: Decimal
    basic_rates: Mapping[int, Decimal]  # by qualifying children 1, 2, 3 (3 = 3 or more)
    basic_plus_rates: Mapping[int, Decimal]
    reduced_t: Mapping[tuple[int, int], Decimal]  # (qualifying 1-3, other children 0-3)
    other_children_reductions: Mapping[int, Decimal]  # by relevant other children 0-3
    shared_care: tuple[SharedCareBand, ...]
    floor: Decimal  # the total after shared care is never below this
    flat_rate_nil_nights: int  # a flat-rate payer on benefits with this many nights pays nil
    equal_care_nights: int  # from this many nights (half of 365, rounded down) care is equal
    collect_pay_paying: Decimal  # Collect and Pay fee added to the paying parent's amount
    collect_pay_receiving: Decimal  # taken from what the receiving parent gets
    weeks_per_year: int = 52
    rounding: str = ROUND_HALF_UP  # reg 6, unconfirmed: configurable
    default_rate: Mapping[int, Decimal] = field(default_factory=dict)  # reg 49, unconfirmed


def _pct(value: str) -> Decimal:
    return D(value) / 100


RULES: tuple[RuleSet, ...] = (
    RuleSet(
        valid_from=dt.date(2012, 12, 10),
        source=(
            "Child Support Act 1991 Sch. 1; Child Support Maintenance Calculation Regulations "
            "2012 (SI 2012/2677); gov.uk 'How child maintenance is worked out'"
        ),
        income_cap=D("3000"),
        nil_below=D("7"),
        flat_upper=D("100"),
        basic_from=D("200"),
        basic_upper=D("800"),
        flat_amount=D("7"),
        basic_rates={1: _pct("12"), 2: _pct("16"), 3: _pct("19")},
        basic_plus_rates={1: _pct("9"), 2: _pct("12"), 3: _pct("15")},
        reduced_t={
            (1, 0): _pct("17.0"),
            (1, 1): _pct("14.1"),
            (1, 2): _pct("13.2"),
            (1, 3): _pct("12.4"),
            (2, 0): _pct("25.0"),
            (2, 1): _pct("21.2"),
            (2, 2): _pct("19.9"),
            (2, 3): _pct("18.9"),
            (3, 0): _pct("31.0"),
            (3, 1): _pct("26.4"),
            (3, 2): _pct("24.9"),
            (3, 3): _pct("23.8"),
        },
        other_children_reductions={0: D("0"), 1: _pct("11"), 2: _pct("14"), 3: _pct("16")},
        shared_care=(
            SharedCareBand(52, 103, Fraction(1, 7)),
            SharedCareBand(104, 155, Fraction(2, 7)),
            SharedCareBand(156, 174, Fraction(3, 7)),
            SharedCareBand(175, None, Fraction(1, 2), D("7")),
        ),
        floor=D("7"),
        flat_rate_nil_nights=52,
        equal_care_nights=182,
        collect_pay_paying=_pct("20"),
        collect_pay_receiving=_pct("4"),
    ),
)


def rules_on(on: dt.date, rules: tuple[RuleSet, ...] = RULES) -> RuleSet:
    """The rule set in force on `on` (the latest `valid_from` on or before it)."""
    chosen = None
    for rule_set in sorted(rules, key=lambda r: r.valid_from):
        if rule_set.valid_from <= on:
            chosen = rule_set
    if chosen is None:
        raise MaintenanceError(
            f"No child maintenance rules are recorded for {on:%d %B %Y}: the 2012 scheme "
            "applies from 10 December 2012."
        )
    return chosen
