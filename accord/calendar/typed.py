"""Reading a date as a person types it in the UK: day first, in any of the usual shapes.

Pure Python, no Django: ``core.forms.DateField`` uses it so that every date box in Accord
accepts the same things ("5/12/2026", "5 Dec 2026", "05-12-2026", "5.12.26", "2026-12-05").
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# Separators people use between the parts of a date; "5th" and "of" are noise.
_SPLIT = re.compile(r"[\s/.\-,]+")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


def _year(text: str) -> int | None:
    if not text.isdigit():
        return None
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        # Two-digit years are read as this century: "5/12/26" is 2026.
        return 2000 + int(text)
    return None


def _month(text: str) -> int | None:
    if text.isdigit():
        return int(text) if 1 <= len(text) <= 2 else None
    return _MONTHS.get(text)


def _day(text: str) -> int | None:
    ordinal = _ORDINAL.match(text)
    if ordinal:
        text = ordinal.group(1)
    return int(text) if text.isdigit() and 1 <= len(text) <= 2 else None


def parse_typed_date(text: str) -> dt.date | None:
    """The date a person meant by ``text``, or None if it is not a real date.

    Day, month, year in that order (the UK order), or year, month, day when the year comes first
    with four digits (what a browser's date picker sends). Months may be numbers or names.
    """
    parts = [part for part in _SPLIT.split(text.strip().lower()) if part and part != "of"]
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 8:
        token = parts[0]  # "05122026"
        parts = [token[:2], token[2:4], token[4:]]
    if len(parts) != 3:
        return None
    if len(parts[0]) == 4 and parts[0].isdigit():
        year, month, day = _year(parts[0]), _month(parts[1]), _day(parts[2])
    else:
        day, month, year = _day(parts[0]), _month(parts[1]), _year(parts[2])
    if day is None or month is None or year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
