"""Override entries: a service's closures and corrections to the bank holidays of a region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from accord.calendar.regions import Region, validate_region


class OverrideKind(StrEnum):
    """What an override does to its date."""

    CLOSURE = "closure"
    """The service is shut (e.g. a Christmas shutdown): never a working day, whatever else says."""

    BANK_HOLIDAY = "bank_holiday"
    """An extra bank holiday (e.g. one announced after the holidays package was released)."""

    WORKING_DAY = "working_day"
    """Not a bank holiday after all: cancels a bank holiday from the package or an override."""


@dataclass(frozen=True, slots=True)
class Override:
    """One dated change to a working calendar, for one region or (region=None) for every region.

    Rules, checked on construction so that a bad entry fails where it is made (a form, an import)
    rather than where a deadline is computed:
    - `date` is a `datetime.date`, not a `datetime`;
    - `kind` is an `OverrideKind` (its string value is accepted and converted);
    - `region` is one of `REGIONS` or None;
    - a `working_day` entry may not fall on a Saturday or Sunday: weekends are never working days.
    """

    date: dt.date
    kind: OverrideKind
    region: Region | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise TypeError(f"Override date must be a datetime.date, got {self.date!r}.")
        try:
            kind = OverrideKind(self.kind)
        except ValueError:
            valid = ", ".join(repr(k.value) for k in OverrideKind)
            raise ValueError(
                f"Unknown override kind {self.kind!r}; expected one of {valid}."
            ) from None
        # Frozen dataclass: normalising a plain string to the enum needs object.__setattr__.
        object.__setattr__(self, "kind", kind)
        if self.region is not None:
            object.__setattr__(self, "region", validate_region(self.region))
        if not isinstance(self.name, str):
            raise TypeError(f"Override name must be a string, got {self.name!r}.")
        if kind is OverrideKind.WORKING_DAY and self.date.weekday() >= 5:
            raise ValueError(
                f"A working_day override cannot fall at a weekend ({self.date:%A %d %B %Y}): "
                "Saturdays and Sundays are never working days."
            )

    def applies_to(self, region: Region) -> bool:
        """Say whether this entry affects `region` (entries with no region affect every region)."""
        return self.region is None or self.region == region
