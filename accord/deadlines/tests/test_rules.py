"""The dated rule table: the row in force on the case's opening date applies, a service's first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.audit.models import AuditEvent
from accord.calendar import LONDON
from accord.cases import services as case_services
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines import services
from accord.deadlines.models import DeadlineRule
from accord.deadlines.selectors import rule_in_force

MIAM = "miam.within_15_business_days"


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def open_case(service, opened_at: dt.datetime):
    return case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="family_children",
        title="Dated case",
        lead_mediator=service.mediator,
        opened_at=opened_at,
    )


def create(service, case, *, code: str = MIAM, start: dt.datetime):
    return services.deadline_create(
        actor=service.coordinator, case=case, rule_code=code, start=start, owner=service.mediator
    )


def test_national_rules_are_seeded_with_their_sources(db):
    rule = DeadlineRule.objects.get(code=MIAM, organisation=None)
    assert (rule.period, rule.unit, rule.effective_from) == (
        15,
        "working_days",
        dt.date(2024, 4, 29),
    )
    assert "PD3A" in rule.source
    validity = DeadlineRule.objects.get(code="miam.certificate_validity")
    assert (validity.period, validity.unit) == (4, "months")
    referral = DeadlineRule.objects.get(code="safeguarding.self_referral")
    assert (referral.unit, referral.at_time) == ("next_working_day_at", dt.time(10, 0))
    weeks = {
        code: period
        for code, period in DeadlineRule.objects.filter(
            code__startswith="send.la_action_"
        ).values_list("code", "period")
    }
    assert sorted(weeks.values()) == [2, 2, 2, 5, 5, 10, 11, 14]


def test_a_rule_change_applies_to_cases_opened_from_its_date_only(service):
    DeadlineRule.objects.create(
        code=MIAM,
        label="MIAM within 10 business days",
        period=10,
        unit="working_days",
        effective_from=dt.date(2027, 1, 4),
        source="A later practice direction",
    )
    old_case = open_case(service, london(2027, 1, 3, 23, 0))
    new_case = open_case(service, london(2027, 1, 4, 0, 30))
    start = london(2027, 1, 11, 10)  # Monday
    old = create(service, old_case, start=start)
    new = create(service, new_case, start=start)
    assert old.rule.period == 15 and old.due_at.date() == dt.date(2027, 2, 1)
    assert new.rule.period == 10 and new.due_at.date() == dt.date(2027, 1, 25)


def test_the_opening_date_is_taken_in_london(service):
    # 23:30 UTC on 28 April 2024 is 00:30 BST on 29 April, the day the MIAM rules changed.
    case = open_case(service, dt.datetime(2024, 4, 28, 23, 30, tzinfo=dt.UTC))
    deadline = create(service, case, start=london(2024, 5, 1, 10))
    assert deadline.rule.effective_from == dt.date(2024, 4, 29)


def test_a_case_opened_before_any_rule_gets_a_clear_error(service):
    case = open_case(service, london(2024, 4, 1, 10))
    with pytest.raises(ValidationFailed) as caught:
        create(service, case, start=london(2024, 4, 2, 10))
    assert "was in force on 01 April 2024" in caught.value.field_errors["rule_code"][0]


def test_a_service_row_overrides_the_national_rule_for_that_service_only(service, other_service):
    services.deadline_rule_add_for_service(
        actor=service.admin,
        organisation=service.organisation,
        code="safeguarding.self_referral",
        period=1,
        unit="next_working_day_at",
        at_time=dt.time(12, 0),
        effective_from=dt.date(2026, 1, 1),
        source="Service policy, January 2026",
    )
    start = london(2026, 11, 20, 15)  # Friday
    ours = services.deadline_create(
        actor=service.mediator,
        case=service.case,
        rule_code="safeguarding.self_referral",
        start=start,
        owner=service.mediator,
        visibility="restricted",
    )
    theirs = services.deadline_create(
        actor=other_service.mediator,
        case=other_service.case,
        rule_code="safeguarding.self_referral",
        start=start,
        owner=other_service.mediator,
        visibility="restricted",
    )
    assert ours.due_at == london(2026, 11, 23, 12, 0)
    assert theirs.due_at == london(2026, 11, 23, 10, 0)
    assert AuditEvent.objects.filter(
        organisation=service.organisation, action="deadline_rule.added"
    ).exists()


def test_the_service_row_wins_over_a_newer_national_row(service):
    services.deadline_rule_add_for_service(
        actor=service.admin,
        organisation=service.organisation,
        code=MIAM,
        period=12,
        unit="working_days",
        effective_from=dt.date(2025, 1, 1),
        source="Service standard",
    )
    DeadlineRule.objects.create(
        code=MIAM,
        label="Later national rule",
        period=10,
        unit="working_days",
        effective_from=dt.date(2026, 1, 1),
        source="Later law",
    )
    rule = rule_in_force(organisation=service.organisation, code=MIAM, on=dt.date(2026, 6, 1))
    assert rule is not None and rule.period == 12


def test_only_service_admins_add_rule_rows(service):
    with pytest.raises(NotPermitted):
        services.deadline_rule_add_for_service(
            actor=service.coordinator,
            organisation=service.organisation,
            code=MIAM,
            period=12,
            unit="working_days",
            effective_from=dt.date(2026, 1, 1),
            source="Policy",
        )
    assert not DeadlineRule.objects.filter(organisation=service.organisation).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "no.such.rule"}, "code"),
        ({"period": 0}, "period"),
        ({"period": "ten"}, "period"),
        ({"unit": "fortnights"}, "unit"),
        ({"unit": "next_working_day_at"}, "at_time"),
        ({"unit": "hours", "at_time": dt.time(10, 0)}, "at_time"),
        ({"effective_from": "2026-01-01"}, "effective_from"),
        ({"source": "   "}, "source"),
    ],
)
def test_bad_rule_rows_are_refused_with_field_errors(service, changes, field):
    values: dict[str, Any] = {
        "code": MIAM,
        "period": 12,
        "unit": "working_days",
        "effective_from": dt.date(2026, 1, 1),
        "source": "Policy",
    } | changes
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_rule_add_for_service(
            actor=service.admin, organisation=service.organisation, **values
        )
    assert field in caught.value.field_errors
    assert not DeadlineRule.objects.filter(organisation=service.organisation).exists()


def test_a_second_row_from_the_same_date_is_refused(service):
    values: dict[str, Any] = {
        "code": MIAM,
        "period": 12,
        "unit": "working_days",
        "effective_from": dt.date(2026, 1, 1),
        "source": "Policy",
    }
    services.deadline_rule_add_for_service(
        actor=service.admin, organisation=service.organisation, **values
    )
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_rule_add_for_service(
            actor=service.admin, organisation=service.organisation, **values
        )
    assert "effective_from" in caught.value.field_errors


def test_the_send_outcome_standard_is_24_hours(db):
    rule = DeadlineRule.objects.get(code="send.outcome_service_standard", organisation=None)
    assert (rule.period, rule.unit, rule.at_time) == (24, "hours", None)
    assert rule.period_label == "24 hours"


def test_a_service_may_count_a_rule_in_hours(service):
    rule = services.deadline_rule_add_for_service(
        actor=service.admin,
        organisation=service.organisation,
        code="send.outcome_service_standard",
        period=48,
        unit="hours",
        effective_from=dt.date(2026, 1, 1),
        source="Service policy",
    )
    assert rule.period_label == "48 hours"
    case = open_case(service, london(2026, 3, 2, 9))
    # 48 hours from 15:30 GMT on Saturday 28 March 2026, across the spring clock change.
    deadline = create(
        service, case, code="send.outcome_service_standard", start=london(2026, 3, 28, 15, 30)
    )
    assert deadline.due_at == london(2026, 3, 30, 16, 30)
    assert deadline.rule_id == rule.pk
