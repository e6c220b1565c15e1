"""The deadline settings page's actions through /api/v1/: the service's calendar days (add,
remove) and its own rule rows. Service admins only, as on the page (anyone else 404); the real
effect on the working calendar and the rules; bad input a 422 naming the field, nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.deadlines import services
from accord.deadlines.models import CalendarOverride, DeadlineRule
from accord.deadlines.selectors import calendar_for

pytestmark = pytest.mark.django_db

MIAM = "miam.within_15_business_days"
WEDNESDAY = dt.date(2027, 3, 10)
RULE = {
    "code": MIAM,
    "period": 10,
    "unit": "working_days",
    "effective_from": "2027-01-01",
    "source": "Service policy agreed December 2026",
}


def _not_admins(service: Any, other_service: Any) -> list[Any]:
    return [
        service.coordinator,
        service.supervisor,
        service.mediator,
        service.parties["bob"],
        other_service.admin,
    ]


def test_the_admin_adds_lists_and_removes_a_closure(service):
    admin = token_client(service.admin)
    added = admin.post(
        "/deadlines/settings/closures",
        {"date": WEDNESDAY.isoformat(), "name": "Staff training day"},
    )
    assert added.status_code == 201, added.content
    assert added.json()["kind"] == "closure" and added.json()["kind_label"] == "Service closure"
    day = CalendarOverride.objects.get(pk=added.json()["id"])
    assert day.organisation_id == service.organisation.pk and day.date == WEDNESDAY
    assert not calendar_for(service.organisation).is_working_day(WEDNESDAY)
    assert AuditEvent.objects.filter(action="calendar.override_added").count() == 1
    listed = admin.get("/deadlines/settings/closures").json()
    assert [d["id"] for d in listed] == [day.pk]

    removed = admin.delete(f"/deadlines/settings/closures/{day.pk}")
    assert removed.status_code == 200 and removed.json() == []
    assert not CalendarOverride.objects.filter(pk=day.pk).exists()
    assert calendar_for(service.organisation).is_working_day(WEDNESDAY)
    assert AuditEvent.objects.filter(action="calendar.override_removed").count() == 1


def test_closures_are_for_the_services_admins_only(service, other_service):
    day = services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=WEDNESDAY, name="Training"
    )
    for user in _not_admins(service, other_service):
        client = token_client(user)
        if user != other_service.admin:
            assert client.get("/deadlines/settings/closures").status_code == 404
            added = client.post(
                "/deadlines/settings/closures", {"date": "2027-03-11", "name": "Away day"}
            )
            assert added.status_code == 404
        else:
            assert client.get("/deadlines/settings/closures").json() == []
        assert client.delete(f"/deadlines/settings/closures/{day.pk}").status_code == 404
    assert list(CalendarOverride.objects.filter(organisation__isnull=False)) == [day]


def test_a_national_bank_holiday_cannot_be_removed_through_the_service(service):
    national = CalendarOverride.objects.create(
        organisation=None, region="", date=dt.date(2027, 6, 16), kind="bank_holiday", name="X"
    )
    response = token_client(service.admin).delete(f"/deadlines/settings/closures/{national.pk}")
    assert response.status_code == 404
    assert CalendarOverride.objects.filter(pk=national.pk).exists()


def test_a_bad_closure_is_refused_naming_the_field(service):
    admin = token_client(service.admin)
    saturday = admin.post(
        "/deadlines/settings/closures",
        {"date": "2027-03-13", "name": "Open day", "kind": "working_day"},
    )
    assert saturday.status_code == 422 and list(saturday.json()["errors"]) == ["date"]
    no_name = admin.post("/deadlines/settings/closures", {"date": "2027-03-10", "name": " "})
    assert no_name.status_code == 422 and list(no_name.json()["errors"]) == ["name"]
    bad_kind = admin.post(
        "/deadlines/settings/closures", {"date": "2027-03-10", "name": "X", "kind": "holiday"}
    )
    assert bad_kind.status_code == 422 and list(bad_kind.json()["errors"]) == ["kind"]
    not_a_date = admin.post("/deadlines/settings/closures", {"date": "10/03/2027", "name": "X"})
    assert not_a_date.status_code == 422 and list(not_a_date.json()["errors"]) == ["date"]
    assert not CalendarOverride.objects.filter(organisation=service.organisation).exists()
    services.calendar_closure_add(
        actor=service.admin, organisation=service.organisation, date=WEDNESDAY, name="Training"
    )
    twice = admin.post("/deadlines/settings/closures", {"date": "2027-03-10", "name": "Again"})
    assert twice.status_code == 422 and list(twice.json()["errors"]) == ["date"]
    assert CalendarOverride.objects.filter(organisation=service.organisation).count() == 1


def test_the_admin_adds_the_services_own_rule_row(service, other_service):
    admin = token_client(service.admin)
    added = admin.post("/deadlines/settings/rules", {**RULE, "description": "Two weeks."})
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["own"] is True and body["label"] == "MIAM within 15 business days of first contact"
    rule = DeadlineRule.objects.get(pk=body["id"])
    assert rule.organisation_id == service.organisation.pk and rule.period == 10
    assert AuditEvent.objects.filter(action="deadline_rule.added").count() == 1
    listed = [r for r in admin.get("/deadlines/settings/rules").json() if r["code"] == MIAM]
    assert [(r["own"], r["period"]) for r in listed][:2] == [(True, 10), (False, 15)]
    # Another service sees only the national row.
    theirs = token_client(other_service.admin).get("/deadlines/settings/rules").json()
    assert [r["own"] for r in theirs if r["code"] == MIAM] == [False]


def test_rules_are_for_the_services_admins_only(service, other_service):
    for user in _not_admins(service, other_service)[:-1]:
        client = token_client(user)
        assert client.get("/deadlines/settings/rules").status_code == 404
        assert client.post("/deadlines/settings/rules", RULE).status_code == 404
    assert not DeadlineRule.objects.filter(organisation__isnull=False).exists()


def test_a_bad_rule_row_is_refused_naming_the_field(service):
    admin = token_client(service.admin)
    for change, field in (
        ({"code": "no.such_rule"}, "code"),
        ({"period": 0}, "period"),
        ({"period": "ten"}, "period"),
        ({"unit": "fortnights"}, "unit"),
        ({"unit": "next_working_day_at", "period": 1}, "at_time"),
        ({"unit": "hours", "at_time": "10:00"}, "at_time"),
        ({"at_time": "25:00"}, "at_time"),
        ({"source": ""}, "source"),
        ({"effective_from": "1999-12-31"}, "effective_from"),
    ):
        response = admin.post("/deadlines/settings/rules", {**RULE, **change})
        assert response.status_code == 422, (change, response.content)
        assert list(response.json()["errors"]) == [field], change
    assert not DeadlineRule.objects.filter(organisation__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="deadline_rule.added").exists()
