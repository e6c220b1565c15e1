"""Child maintenance estimate under the 2012 scheme (Great Britain). Pure Python, no Django.

>>> from decimal import Decimal
>>> result = weekly_maintenance(Decimal("500"), 2)
>>> result.weekly, result.band
(Decimal('80.00'), 'basic')

`weekly_maintenance(gross_weekly_income, qualifying_children, other_children=0, nights=0,
flat_rate_benefit=False, nil_rate=False, on=None, *, rules=None) -> MaintenanceResult` with
`.weekly`, `.monthly`, `.yearly` (Decimal, to the penny), `.band` ("nil", "flat", "reduced",
"basic", "basic_plus"), `.steps` (plain English), `.rules` (the dated `RuleSet` with
`.source`), `.collect_and_pay` and `.per_child`. `MaintenanceError(ValueError)` for impossible
input. Figures are dated data in `accord.maintenance.rules.RULES`; rounding (reg 6) and the
default rate (reg 49, `default_maintenance`) are unconfirmed and configurable there.
See docs/children-calculators.md.
"""

from accord.maintenance.calc import (
    BAND_LABELS,
    BANDS,
    CollectAndPay,
    MaintenanceResult,
    default_maintenance,
    weekly_maintenance,
)
from accord.maintenance.rules import RULES, MaintenanceError, RuleSet, SharedCareBand, rules_on

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "RULES",
    "CollectAndPay",
    "MaintenanceError",
    "MaintenanceResult",
    "RuleSet",
    "SharedCareBand",
    "default_maintenance",
    "rules_on",
    "weekly_maintenance",
]
