"""A schedule as plain JSON-safe data and back, for storing it (a JSONField) or sending it.

`schedule_to_data(schedule)` gives dicts, lists, strings, numbers and booleans only: dates as
ISO "YYYY-MM-DD", times as "HH:MM" (or "HH:MM:SS"), datetimes as ISO "YYYY-MM-DDTHH:MM". A
rotation taken from `PATTERNS` is stored by its name (`{"pattern": "2-2-5-5"}`), any other by its
days. `schedule_from_data(data)` rebuilds it and raises `TimeshareError` for anything malformed,
naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from accord.timeshare.model import (
    PATTERNS,
    Exception_,
    Handover,
    HolidayRule,
    Rotation,
    Schedule,
    Term,
    TimeshareError,
)

_DATE_FIELDS = {"anchor", "until", "start", "end", "on"}
_TIME_FIELDS = {"handover_time", "cutoff", "start_time", "end_time", "time"}
_TUPLE_FIELDS = {"alternate", "children", "closures", "carers"}
_BOOL_FIELDS = {"yearly", "exclude_school_hours"}
_TEXT_FIELDS = {"name", "carer", "then", "note", "region"}


def _time_text(value: dt.time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _plain(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _time_text(value)
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return [_plain(name, item) for item in items]
    return _object(value)


def _object(obj: Any) -> dict[str, Any]:
    return {f.name: _plain(f.name, getattr(obj, f.name)) for f in fields(obj) if f.init}


def schedule_to_data(schedule: Schedule) -> dict[str, Any]:
    """The schedule as JSON-safe data (see the module's docstring)."""
    data = _object(schedule)
    for name, rotation in PATTERNS.items():
        if rotation == schedule.rotation:
            data["rotation"] = {"pattern": name}
            break
    return data


def _parse(name: str, value: Any, where: str) -> Any:
    try:
        if value is None:
            return None
        if name == "split_at":
            return dt.datetime.fromisoformat(value)
        if name in _DATE_FIELDS:
            return dt.date.fromisoformat(value)
        if name in _TIME_FIELDS:
            return dt.time.fromisoformat(value)
        if name in _BOOL_FIELDS and not isinstance(value, bool):
            raise TypeError
        if name in _TEXT_FIELDS and not isinstance(value, str):
            raise TypeError
        if name == "weekday" and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError
        if name in _TUPLE_FIELDS:
            if name == "closures":
                return tuple(dt.date.fromisoformat(item) for item in value)
            if not isinstance(value, list | tuple):
                raise TypeError
            return tuple(value)
    except (TypeError, ValueError) as exc:
        raise TimeshareError(f"{where}: {name} {value!r} is not valid.") from exc
    return value


def _build(cls: Callable[..., Any], data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise TimeshareError(f"{where}: expected an object.")
    known = {f.name for f in fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = set(data) - known
    if unknown:
        raise TimeshareError(f"{where}: unknown field {sorted(unknown)[0]!r}.")
    kwargs = {key: _parse(key, value, where) for key, value in data.items()}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise TimeshareError(f"{where}: {exc}.") from exc


def schedule_from_data(data: Mapping[str, Any]) -> Schedule:
    """Rebuild a schedule from `schedule_to_data`'s output; `TimeshareError` if malformed."""
    if not isinstance(data, Mapping):
        raise TimeshareError("A schedule is an object.")
    data = dict(data)
    raw = data.pop("rotation", None)
    if not isinstance(raw, Mapping):
        raise TimeshareError("A schedule needs a rotation.")
    if "pattern" in raw:
        if raw["pattern"] not in PATTERNS:
            raise TimeshareError(f"Unknown pattern {raw['pattern']!r}.")
        rotation = PATTERNS[raw["pattern"]]
    else:
        if not isinstance(raw.get("days"), list | tuple):
            raise TimeshareError("The rotation needs its list of days.")
        rotation = Rotation(tuple(raw["days"]), str(raw.get("label", "")))
    parts: dict[str, tuple[Callable[..., Any], str]] = {
        "holidays": (HolidayRule, "Holiday"),
        "terms": (Term, "Term"),
        "exceptions": (Exception_, "Exception"),
        "handovers": (Handover, "Handover"),
    }
    for key, (cls, label) in parts.items():
        items = data.get(key, [])
        if not isinstance(items, list | tuple):
            raise TimeshareError(f"{key} must be a list.")
        data[key] = tuple(_build(cls, item, f"{label} {i + 1}") for i, item in enumerate(items))
    if "school_day" in data:
        pair = data["school_day"]
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise TimeshareError("school_day is a pair of times.")
        data["school_day"] = tuple(_parse("time", value, "The school day") for value in pair)
    known = {f.name for f in fields(Schedule) if f.init} - {"rotation"}
    unknown = set(data) - known
    if unknown:
        raise TimeshareError(f"The schedule: unknown field {sorted(unknown)[0]!r}.")
    kwargs = {
        key: value if key in parts or key == "school_day" else _parse(key, value, "The schedule")
        for key, value in data.items()
    }
    try:
        schedule = Schedule(rotation=rotation, **kwargs)
    except TypeError as exc:
        raise TimeshareError(f"The schedule: {exc}.") from exc
    return schedule
