"""Read GOV.UK's bank-holidays JSON (https://www.gov.uk/bank-holidays.json) into override entries.

The file has one object per division, keyed and named like `REGIONS`:
    {"england-and-wales": {"division": "england-and-wales",
                           "events": [{"title": "New Year's Day", "date": "2026-01-01",
                                       "notes": "", "bunting": true}, ...]},
     "scotland": {...}, "northern-ireland": {...}}
Each event is a day off (substitute days are listed on the day taken, with notes "Substitute day").
Titles use typographic apostrophes ("New Year\u2019s Day"); they are kept as published.
This module does no I/O: the caller fetches and decodes the JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from accord.calendar.overrides import Override, OverrideKind
from accord.calendar.regions import REGIONS, Region, validate_region
from accord.calendar.working_days import package_bank_holidays

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fail(where: str, problem: str) -> ValueError:
    return ValueError(f"Malformed GOV.UK bank-holidays data at {where}: {problem}")


def _parse_event(where: str, event: object, region: Region) -> Override:
    if not isinstance(event, Mapping):
        raise _fail(where, f"expected an object, got {type(event).__name__}")
    raw_date = event.get("date")
    if not isinstance(raw_date, str) or not _ISO_DATE.fullmatch(raw_date):
        raise _fail(f"{where}.date", f"expected a 'YYYY-MM-DD' string, got {raw_date!r}")
    try:
        day = dt.date.fromisoformat(raw_date)
    except ValueError:
        raise _fail(f"{where}.date", f"{raw_date!r} is not a real date") from None
    title = event.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _fail(f"{where}.title", f"expected a non-empty string, got {title!r}")
    notes = event.get("notes", "")
    if not isinstance(notes, str):
        raise _fail(f"{where}.notes", f"expected a string, got {notes!r}")
    bunting = event.get("bunting", False)
    if not isinstance(bunting, bool):
        raise _fail(f"{where}.bunting", f"expected true or false, got {bunting!r}")
    name = title.strip() if not notes.strip() else f"{title.strip()} ({notes.strip()})"
    return Override(date=day, kind=OverrideKind.BANK_HOLIDAY, region=region, name=name)


def parse_govuk_bank_holidays(data: Mapping[str, object]) -> dict[Region, list[Override]]:
    """Turn decoded GOV.UK bank-holidays JSON into `bank_holiday` overrides per region.

    Returns only the divisions present (at least one is required), each sorted by date, with the
    name "Title (Notes)" when there are notes. Raises ValueError naming the faulty place for
    anything malformed: not an object, an unknown division, a "division" field that disagrees
    with its key, missing or non-list events, a bad date, an empty title, or a repeated date.
    """
    if not isinstance(data, Mapping):
        raise _fail("top level", f"expected an object, got {type(data).__name__}")
    if not data:
        raise _fail("top level", "no divisions found")
    result: dict[Region, list[Override]] = {}
    for key, division in data.items():
        try:
            region = validate_region(key)
        except ValueError:
            valid = ", ".join(repr(r) for r in REGIONS)
            raise _fail(repr(key), f"unknown division; expected one of {valid}") from None
        if not isinstance(division, Mapping):
            raise _fail(key, f"expected an object, got {type(division).__name__}")
        if division.get("division", key) != key:
            raise _fail(f"{key}.division", f"{division.get('division')!r} does not match its key")
        events = division.get("events")
        if not isinstance(events, list):
            raise _fail(f"{key}.events", f"expected a list, got {type(events).__name__}")
        entries: list[Override] = []
        seen: set[dt.date] = set()
        for index, event in enumerate(events):
            entry = _parse_event(f"{key}.events[{index}]", event, region)
            if entry.date in seen:
                raise _fail(f"{key}.events[{index}].date", f"{entry.date} is listed twice")
            seen.add(entry.date)
            entries.append(entry)
        entries.sort(key=lambda o: o.date)
        result[region] = entries
    return {region: result[region] for region in REGIONS if region in result}


def reconcile_bank_holidays(region: str, published: Iterable[Override]) -> list[Override]:
    """Return the overrides that make the package's bank holidays match a published list.

    `published` is the authoritative list for `region` (e.g. from `parse_govuk_bank_holidays`); it
    is taken to be complete for every year it mentions. The result holds a `bank_holiday` entry for
    each published day the package lacks and a `working_day` entry for each weekday the package
    calls a bank holiday but the list does not, sorted by date. Weekend-dated package holidays are
    left alone: they are not days off and GOV.UK lists their substitute days instead.
    """
    chosen = validate_region(region)
    by_day: dict[dt.date, Override] = {}
    for entry in published:
        if entry.kind is not OverrideKind.BANK_HOLIDAY or not entry.applies_to(chosen):
            raise ValueError(f"expected bank_holiday entries for {chosen!r}, got {entry!r}.")
        by_day.setdefault(entry.date, entry)
    result: list[Override] = []
    for year in sorted({day.year for day in by_day}):
        package = package_bank_holidays(chosen, year)
        for day, entry in by_day.items():
            if day.year == year and day not in package:
                result.append(
                    Override(
                        date=day, kind=OverrideKind.BANK_HOLIDAY, region=chosen, name=entry.name
                    )
                )
        for day, name in package.items():
            if day.weekday() < 5 and day not in by_day:
                result.append(
                    Override(
                        date=day,
                        kind=OverrideKind.WORKING_DAY,
                        region=chosen,
                        name=f"{name} (not a bank holiday in the published list)",
                    )
                )
    result.sort(key=lambda o: o.date)
    return result
