"""Working days and date arithmetic for Accord's deadlines: pure Python, no Django.

- Working days: weekends and the bank holidays of a UK region are not working days, and a service
  can add closures or correct bank holidays with `Override` entries (`WorkingCalendar`).
- "Within N working days of X" does not count X: the deadline is `add_working_days(X, N)`.
- "N days", "N weeks" and "N months" are calendar arithmetic (`add_days`, `add_weeks`,
  `add_months`, clamped to month end), done on the Europe/London wall clock for datetimes.
See docs/calendar.md for the rules in full.
"""

from accord.calendar.arithmetic import (
    LONDON,
    add_days,
    add_months,
    add_weeks,
    london_date,
    london_wall_time,
    to_london,
)
from accord.calendar.govuk import parse_govuk_bank_holidays, reconcile_bank_holidays
from accord.calendar.overrides import Override, OverrideKind
from accord.calendar.regions import (
    DEFAULT_REGION,
    REGION_LABELS,
    REGIONS,
    Region,
    validate_region,
)
from accord.calendar.working_days import (
    WorkingCalendar,
    add_working_days,
    default_calendar,
    is_bank_holiday,
    is_working_day,
    next_working_day,
    next_working_day_at,
    package_bank_holidays,
    previous_working_day,
    resolve_calendar,
    working_day_on_or_after,
    working_days_between,
)

__all__ = [
    "DEFAULT_REGION",
    "LONDON",
    "REGIONS",
    "REGION_LABELS",
    "Override",
    "OverrideKind",
    "Region",
    "WorkingCalendar",
    "add_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "default_calendar",
    "is_bank_holiday",
    "is_working_day",
    "london_date",
    "london_wall_time",
    "next_working_day",
    "next_working_day_at",
    "package_bank_holidays",
    "parse_govuk_bank_holidays",
    "previous_working_day",
    "reconcile_bank_holidays",
    "resolve_calendar",
    "to_london",
    "validate_region",
    "working_day_on_or_after",
    "working_days_between",
]
