"""Fair division for mediators: Adjusted Winner, exact Maximum Nash Welfare, fairness checks,
money equalisation and plain-English explanations. Pure Python with exact `Fraction`
arithmetic; no Django (see docs/division.md)."""

from accord.division._common import DivisionError
from accord.division.adjusted_winner import AdjustedWinnerResult, adjusted_winner
from accord.division.nash import NashResult, max_nash_welfare
from accord.division.properties import (
    equalising_payment,
    explain,
    is_ef1,
    is_envy_free,
    is_equitable,
    is_pareto_optimal,
)

__all__ = [
    "AdjustedWinnerResult",
    "DivisionError",
    "NashResult",
    "adjusted_winner",
    "equalising_payment",
    "explain",
    "is_ef1",
    "is_envy_free",
    "is_equitable",
    "is_pareto_optimal",
    "max_nash_welfare",
]
