"""The legal aid means test for family mediation, as pure arithmetic over dated thresholds.

DOMAIN.md section 9: legal aid is means-tested at the MIAM (form CIVMEANS7) and passported on
certain benefits, subject to capital. The thresholds are unconfirmed, so they are dated data
(`accord.fees.models.MeansThreshold`, national rows seeded by migration, a service may add its
own); this module only compares a party's figures with the thresholds it is given. No Django.

The tests, in the order the Legal Aid Agency applies them:

- passported (a qualifying benefit): disposable capital only;
- otherwise: gross monthly income (the limit rises by a set amount for each dependent child
  beyond a set number), then disposable monthly income, then disposable capital.

A figure equal to a limit passes (the limits are maximums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


class MeansError(ValueError):
    """Figures the test cannot work with; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The limits in force on one day (pounds, per month where income)."""

    gross_monthly_income: Decimal
    children_included: int  # dependent children already allowed for in the gross limit
    per_extra_child: Decimal  # added to the gross limit for each child beyond those
    disposable_monthly_income: Decimal
    disposable_capital: Decimal


@dataclass(frozen=True, slots=True)
class MeansResult:
    eligible: bool
    #: One line per test applied, in words, e.g. "Disposable capital £9,000.00 is above £8,000.00".
    reasons: list[str] = field(default_factory=list)


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def gross_limit(thresholds: Thresholds, dependent_children: int) -> Decimal:
    """The gross monthly income limit for a household with this many dependent children."""
    extra = max(0, dependent_children - thresholds.children_included)
    return thresholds.gross_monthly_income + thresholds.per_extra_child * extra


def _check(name: str, value: Decimal | None) -> Decimal:
    if value is None:
        raise MeansError(f"Enter the {name}.")
    if not isinstance(value, Decimal) or not value.is_finite():
        raise MeansError(f"Enter the {name} as an amount in pounds.")
    if value < 0:
        raise MeansError(f"The {name} cannot be negative.")
    return value


def assess(
    thresholds: Thresholds,
    *,
    passported: bool,
    disposable_capital: Decimal | None,
    gross_monthly_income: Decimal | None = None,
    disposable_monthly_income: Decimal | None = None,
    dependent_children: int = 0,
) -> MeansResult:
    """Whether a party is eligible on these figures, with the test applied line by line."""
    capital = _check("disposable capital", disposable_capital)
    if isinstance(dependent_children, bool) or not isinstance(dependent_children, int):
        raise MeansError("Enter the number of dependent children as a whole number.")
    if dependent_children < 0:
        raise MeansError("The number of dependent children cannot be negative.")
    reasons: list[str] = []
    eligible = True
    if not passported:
        gross = _check("gross monthly income", gross_monthly_income)
        disposable = _check("disposable monthly income", disposable_monthly_income)
        limit = gross_limit(thresholds, dependent_children)
        ok = gross <= limit
        eligible &= ok
        reasons.append(
            f"Gross monthly income {_money(gross)} is {'within' if ok else 'above'} the "
            f"limit of {_money(limit)}"
        )
        ok = disposable <= thresholds.disposable_monthly_income
        eligible &= ok
        reasons.append(
            f"Disposable monthly income {_money(disposable)} is "
            f"{'within' if ok else 'above'} the limit of "
            f"{_money(thresholds.disposable_monthly_income)}"
        )
    else:
        reasons.append("Passported on a qualifying benefit: income is not tested")
    ok = capital <= thresholds.disposable_capital
    eligible &= ok
    reasons.append(
        f"Disposable capital {_money(capital)} is {'within' if ok else 'above'} the limit of "
        f"{_money(thresholds.disposable_capital)}"
    )
    return MeansResult(eligible=eligible, reasons=reasons)
