"""Service calendars: closures, imported GOV.UK bank holidays, and the per-process cache."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.audit.models import AuditEvent
from accord.calendar import package_bank_holidays
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines import services
from accord.deadlines.models import CalendarOverride
from accord.deadlines.selectors import calendar_for

CHRISTMAS_EVE = dt.date(2026, 12, 24)


def test_a_closure_stops_a_day_being_a_working_day_for_that_service_only(service, other_service):
    assert calendar_for(service.organisation).is_working_day(CHRISTMAS_EVE)
    closure = services.calendar_closure_add(
        actor=service.admin,
        organisation=service.organisation,
        date=CHRISTMAS_EVE,
        name="Christmas closure",
    )
    assert not calendar_for(service.organisation).is_working_day(CHRISTMAS_EVE)
    assert calendar_for(other_service.organisation).is_working_day(CHRISTMAS_EVE)
    assert calendar_for(service.organisation).closure_name(CHRISTMAS_EVE) == "Christmas closure"
    event = AuditEvent.objects.get(action="calendar.override_added")
    assert event.organisation_id == service.organisation.pk and event.target_id == str(closure.pk)


def test_removing_a_closure_restores_the_working_day(service):
    closure = services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=CHRISTMAS_EVE, name="Shut"
    )
    services.calendar_override_remove(actor=service.admin, override=closure)
    assert calendar_for(service.organisation).is_working_day(CHRISTMAS_EVE)
    assert AuditEvent.objects.filter(action="calendar.override_removed").count() == 1


def test_only_admins_change_the_calendar(service, other_service):
    with pytest.raises(NotPermitted):
        services.calendar_closure_add(
            actor=service.coordinator,
            organisation=service.organisation,
            date=CHRISTMAS_EVE,
            name="Shut",
        )
    with pytest.raises(NotPermitted):
        services.calendar_closure_add(
            actor=other_service.admin,
            organisation=service.organisation,
            date=CHRISTMAS_EVE,
            name="Shut",
        )
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    ("date", "name", "kind", "field"),
    [
        ("2026-12-24", "Shut", "closure", "date"),
        (dt.datetime(2026, 12, 24, 9), "Shut", "closure", "date"),
        (dt.date(1999, 12, 24), "Shut", "closure", "date"),
        (CHRISTMAS_EVE, "  ", "closure", "name"),
        (dt.date(2026, 12, 26), "Open Saturday", "working_day", "date"),
        (CHRISTMAS_EVE, "Shut", "holiday", "kind"),
    ],
)
def test_bad_closures_are_refused(service, date, name, kind, field):
    with pytest.raises(ValidationFailed) as caught:
        services.calendar_closure_add(
            actor=service.admin, organisation=service.organisation, date=date, name=name, kind=kind
        )
    assert field in caught.value.field_errors
    assert not CalendarOverride.objects.exists()


def test_the_same_closure_twice_is_refused(service):
    services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=CHRISTMAS_EVE, name="Shut"
    )
    with pytest.raises(ValidationFailed, match="could not be added"):
        services.calendar_closure_add(
            actor=service.admin, organisation=service.organisation, date=CHRISTMAS_EVE, name="Shut"
        )


def test_a_closure_moves_new_working_day_deadlines(service):
    services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=CHRISTMAS_EVE, name="Shut"
    )
    deadline = services.deadline_create(
        actor=service.coordinator,
        case=service.case,
        rule_code="send.certificate_no_mediation",
        start=dt.datetime(2026, 12, 23, 11, tzinfo=dt.UTC),
        owner=service.mediator,
    )
    # 23 Dec + 3 working days, skipping the closure, Christmas and the Boxing Day substitute.
    assert deadline.due_at.date() == dt.date(2026, 12, 31)


def test_the_calendar_is_cached_and_cleared_by_a_change(service):
    calendar_for(service.organisation)
    with CaptureQueriesContext(connection) as queries:
        calendar_for(service.organisation)
    assert len(queries) == 0
    services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=CHRISTMAS_EVE, name="Shut"
    )
    assert not calendar_for(service.organisation).is_working_day(CHRISTMAS_EVE)


# Importing GOV.UK's bank holidays


def govuk_file(tmp_path: Path, events: dict[str, list[dict[str, Any]]]) -> Path:
    data = {region: {"division": region, "events": items} for region, items in events.items()}
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def published(region: str, year: int) -> list[dict[str, Any]]:
    return [
        {"title": name, "date": day.isoformat(), "notes": "", "bunting": True}
        for day, name in package_bank_holidays(region, year).items()
        if day.weekday() < 5
    ]


def test_import_stores_only_the_differences_and_is_idempotent(service, tmp_path):
    england = published("england-and-wales", 2027)
    dropped = england.pop()  # pretend GOV.UK no longer lists the last holiday of 2027
    extra = {"title": "Extra bank holiday", "date": "2027-06-07", "notes": "", "bunting": True}
    path = govuk_file(tmp_path, {"england-and-wales": [*england, extra]})
    call_command("import_bank_holidays", str(path), stdout=StringIO())
    rows = {(r.date.isoformat(), r.kind) for r in CalendarOverride.objects.all()}
    assert rows == {("2027-06-07", "bank_holiday"), (dropped["date"], "working_day")}
    assert all(r.organisation_id is None for r in CalendarOverride.objects.all())
    working = calendar_for(service.organisation)
    assert not working.is_working_day(dt.date(2027, 6, 7))
    assert working.is_working_day(dt.date.fromisoformat(dropped["date"]))
    call_command("import_bank_holidays", str(path), stdout=StringIO())
    assert CalendarOverride.objects.count() == 2
    events = AuditEvent.objects.filter(
        action="calendar.bank_holidays_imported", organisation=service.organisation
    )
    assert events.count() == 2
    assert events.last().details["added"] == 0  # type: ignore[union-attr]


def test_import_of_a_newer_file_replaces_the_earlier_differences(service, tmp_path):
    extra = {"title": "Extra", "date": "2027-06-07", "notes": "", "bunting": True}
    england = published("england-and-wales", 2027)
    call_command(
        "import_bank_holidays",
        str(govuk_file(tmp_path, {"england-and-wales": [*england, extra]})),
        stdout=StringIO(),
    )
    call_command(
        "import_bank_holidays",
        str(govuk_file(tmp_path, {"england-and-wales": england})),
        stdout=StringIO(),
    )
    assert not CalendarOverride.objects.exists()


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_bank_holidays", str(tmp_path / "nope.json"))


def test_import_of_invalid_json_says_where(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"england-and-wales": ', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_bank_holidays", str(path))


def test_import_of_the_wrong_shape_names_the_fault_and_saves_nothing(db, tmp_path):
    path = govuk_file(
        tmp_path,
        {"england-and-wales": [{"title": "New Year", "date": "2027-13-01", "notes": ""}]},
    )
    with pytest.raises(CommandError, match=r"england-and-wales\.events\[0\]\.date"):
        call_command("import_bank_holidays", str(path))
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.bank_holidays_imported").exists()


def test_import_of_a_non_object_is_refused(db, tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="top level"):
        call_command("import_bank_holidays", str(path))
