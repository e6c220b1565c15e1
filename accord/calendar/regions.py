"""The UK bank-holiday regions Accord knows, named as GOV.UK names its divisions."""

from __future__ import annotations

from typing import Final, Literal

Region = Literal["england-and-wales", "scotland", "northern-ireland"]

REGIONS: Final[tuple[Region, ...]] = ("england-and-wales", "scotland", "northern-ireland")
"""Every supported region, in GOV.UK's order; the strings match the GOV.UK bank-holidays JSON."""

DEFAULT_REGION: Final[Region] = "england-and-wales"

REGION_LABELS: Final[dict[Region, str]] = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
"""Human-readable names for each region, for forms and messages."""

# England and Wales share bank holidays; the holidays package models them as two subdivisions
# ("ENG" and "WLS") with identical data, so England's stands for both.
HOLIDAYS_SUBDIVISIONS: Final[dict[Region, str]] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}


def validate_region(region: object) -> Region:
    """Return `region` as a known region, or raise ValueError naming the valid ones."""
    if isinstance(region, str):
        for known in REGIONS:
            if region == known:
                return known
    valid = ", ".join(repr(r) for r in REGIONS)
    raise ValueError(f"Unknown bank-holiday region {region!r}; expected one of {valid}.")
