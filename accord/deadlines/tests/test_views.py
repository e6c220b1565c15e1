"""Deadline pages, the panels other pages include, and what they cost in queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.calendar import LONDON
from accord.cases.models import Participant
from accord.cases.workspace import section_url
from accord.deadlines import policy
from accord.deadlines.models import CalendarOverride, Deadline, DeadlineRule
from accord.deadlines.selectors import (
    deadlines_for_dashboard,
    deadlines_for_participant,
    deadlines_visible_to,
)

CALENDAR = reverse("deadlines:calendar")


def in_december(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=LONDON)


def login(client: Any, user: Any) -> None:
    client.force_login(user)


def test_calendar_lists_the_months_deadlines(client, service, make_deadline):
    make_deadline(due_at=in_december(9), title="Book the MIAM")
    login(client, service.coordinator)
    response = client.get(CALENDAR, {"month": "2026-12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deadlines in December 2026" in html and "Book the MIAM" in html
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in html
    assert "Christmas Day" in html  # bank holidays are marked on the calendar
    assert "?month=2027-01" in html and "?month=2026-11" in html
    assert reverse("deadlines:settings") not in html
    login(client, service.admin)
    html = client.get(CALENDAR, {"month": "2026-12"}).content.decode()
    assert reverse("deadlines:settings") in html


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "the month must be between 01 and 12"),
        ("December", "is not a month"),
        ("2026-1", "is not a month"),
        ("1066-10", "choose a year from 2000 to 2100"),
        ("2026-12-01", "is not a month"),
    ],
)
def test_a_bad_month_gets_a_clear_message_not_an_error(client, service, month, message):
    login(client, service.coordinator)
    response = client.get(CALENDAR, {"month": month})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_restricted_deadlines_stay_off_the_coordinators_calendar(client, service, make_deadline):
    make_deadline(
        due_at=in_december(9),
        title="Self-referral check",
        actor=service.mediator,
        visibility="restricted",
    )
    login(client, service.coordinator)
    assert "Self-referral check" not in client.get(CALENDAR, {"month": "2026-12"}).content.decode()
    login(client, service.mediator)
    assert "Self-referral check" in client.get(CALENDAR, {"month": "2026-12"}).content.decode()


def test_another_services_staff_do_not_see_our_deadlines(
    client, service, other_service, make_deadline
):
    make_deadline(due_at=in_december(9), title="Book the MIAM")
    login(client, other_service.admin)
    assert "Book the MIAM" not in client.get(CALENDAR, {"month": "2026-12"}).content.decode()


def test_participants_and_strangers_cannot_open_staff_pages(client, service, make_deadline):
    deadline = make_deadline(due_at=in_december(9))
    assert client.get(CALENDAR).status_code == 302
    login(client, service.parties["alice"])
    assert client.get(CALENDAR).status_code == 404
    assert client.post(reverse("deadlines:meet", args=[deadline.pk])).status_code == 404
    assert client.get(reverse("deadlines:settings")).status_code == 404
    deadline.refresh_from_db()
    assert deadline.status == "open"


def test_meet_by_post_and_go_back(client, service, make_deadline):
    deadline = make_deadline(due_at=in_december(9))
    login(client, service.mediator)
    response = client.post(
        reverse("deadlines:meet", args=[deadline.pk]), {"next": "/deadlines/calendar/"}
    )
    assert response.status_code == 302 and response["Location"] == "/deadlines/calendar/"
    deadline.refresh_from_db()
    assert deadline.status == "met"


def test_meet_ignores_an_offsite_next_address(client, service, make_deadline):
    deadline = make_deadline(due_at=in_december(9))
    login(client, service.mediator)
    response = client.post(
        reverse("deadlines:meet", args=[deadline.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == section_url(service.case, "summary", "case-deadlines")


def test_meet_of_another_services_deadline_is_not_found(
    client, service, other_service, make_deadline
):
    deadline = make_deadline(due_at=in_december(9))
    login(client, other_service.admin)
    assert client.post(reverse("deadlines:meet", args=[deadline.pk])).status_code == 404
    assert client.get(reverse("deadlines:waive", args=[deadline.pk])).status_code == 404
    deadline.refresh_from_db()
    assert deadline.status == "open"


def test_waive_without_a_reason_shows_the_error(client, service, make_deadline):
    deadline = make_deadline(due_at=in_december(9))
    login(client, service.mediator)
    url = reverse("deadlines:waive", args=[deadline.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a reason for waiving the deadline." in html
    deadline.refresh_from_db()
    assert deadline.status == "open"
    response = client.post(url, {"reason": "Agreed another timescale"})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == "waived" and deadline.waived_reason == "Agreed another timescale"


def test_the_supervisor_gets_403_when_waiving_a_case_deadline(client, service, make_deadline):
    deadline = make_deadline(due_at=in_december(9))
    login(client, service.supervisor)
    response = client.post(reverse("deadlines:waive", args=[deadline.pk]), {"reason": "No"})
    assert response.status_code == 403
    deadline.refresh_from_db()
    assert deadline.status == "open"


def test_set_a_deadline_from_a_rule_on_the_case(client, service):
    login(client, service.coordinator)
    url = reverse("deadlines:add", args=[service.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rule_code": "send.certificate_no_mediation",
            "start": "2026-12-23",
            "owner": service.mediator.pk,
        },
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get()
    assert deadline.due_at == dt.datetime(2026, 12, 30, 17, 0, tzinfo=LONDON)


def test_set_a_deadline_from_a_rule_in_hours_counts_from_the_time_given(client, service):
    login(client, service.coordinator)
    url = reverse("deadlines:add", args=[service.case.pk])
    assert "Clock starts at" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "rule_code": "send.outcome_service_standard",
            "start": "24/10/2026",
            "start_time": "15:30",
            "owner": service.mediator.pk,
        },
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get()
    # 24 hours after 15:30 BST on Saturday 24 October: the clocks go back that night.
    assert deadline.due_at == dt.datetime(2026, 10, 25, 14, 30, tzinfo=LONDON)
    assert deadline.starts_at == dt.datetime(2026, 10, 24, 15, 30, tzinfo=LONDON)


def test_set_a_deadline_form_explains_what_is_missing(client, service):
    login(client, service.coordinator)
    response = client.post(
        reverse("deadlines:add", args=[service.case.pk]),
        {"rule_code": "custom", "owner": service.mediator.pk, "visible_to_participants": "on"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the due date." in html and "Enter what has to happen" in html
    assert "Choose the participant who should see this deadline" in html
    assert not Deadline.objects.exists()


def test_service_settings_add_a_closure_and_a_rule(client, service):
    login(client, service.admin)
    url = reverse("deadlines:settings")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "form": "closure",
            "closure-date": "24/12/2026",
            "closure-name": "Christmas closure",
            "closure-kind": "closure",
        },
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(organisation=service.organisation).count() == 1
    response = client.post(
        url,
        {
            "form": "rule",
            "rule-code": "safeguarding.self_referral",
            "rule-period": "1",
            "rule-unit": "next_working_day_at",
            "rule-at_time": "12:00",
            "rule-effective_from": "2026-12-01",
            "rule-source": "Service policy",
        },
    )
    assert response.status_code == 302
    assert DeadlineRule.objects.filter(organisation=service.organisation).count() == 1


def test_service_settings_show_errors_and_are_for_admins_only(client, service):
    login(client, service.admin)
    response = client.post(
        reverse("deadlines:settings"),
        {
            "form": "rule",
            "rule-code": "safeguarding.self_referral",
            "rule-period": "1",
            "rule-unit": "next_working_day_at",
            "rule-effective_from": "2026-12-01",
            "rule-source": "Policy",
        },
    )
    assert response.status_code == 422
    assert "Enter the time of day" in response.content.decode()
    login(client, service.coordinator)
    assert client.get(reverse("deadlines:settings")).status_code == 404


# The panels other apps' pages include


def render_tag(source: str, user: Any, **context: Any) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return Template("{% load deadline_tags %}" + source).render(
        Context({"request": request, **context})
    )


def test_dashboard_panel_shows_overdue_and_due_soon(service, make_deadline):
    now = timezone.now()
    make_deadline(due_at=now + dt.timedelta(days=2), title="Due this week")
    make_deadline(due_at=now + dt.timedelta(days=20), title="Due next month")
    overdue = make_deadline(due_at=now + dt.timedelta(hours=1), title="Running late")
    Deadline.objects.filter(pk=overdue.pk).update(due_at=now - dt.timedelta(hours=3))
    html = render_tag("{% deadlines_panel %}", service.mediator)
    overdue_part, soon_part = html.split("Due in the next 7 days")
    assert "Running late" in overdue_part and "Due this week" in soon_part
    assert "Due next month" not in html
    # On a phone each row stacks as "Heading: value" lines (accord.css .table-stack), so the
    # status is never off to the side: every cell names its column.
    assert html.count('class="table-stack"') == 2
    for label in ("Due", "Deadline", "Case", "Owner", "Status"):
        assert html.count(f'data-label="{label}"') == 2, label
    assert 'data-label="Status"><strong class="tag tag-red">Overdue</strong>' in overdue_part


def test_case_panel_offers_meet_and_waive_only_to_those_who_may(service, make_deadline):
    make_deadline(due_at=timezone.now() + dt.timedelta(days=3), title="Book the MIAM")
    html = render_tag("{% case_deadlines case %}", service.mediator, case=service.case)
    assert "Book the MIAM" in html and "Mark as met" in html and "Waive deadline" in html
    html = render_tag("{% case_deadlines case %}", service.supervisor, case=service.case)
    assert "Book the MIAM" in html and "Mark as met" not in html


def test_portal_panel_shows_only_what_is_shared_with_that_participant(service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    soon = timezone.now() + dt.timedelta(days=3)
    make_deadline(
        due_at=soon,
        title="Alice's statements",
        concerns_participant=alice,
        visible_to_participants=True,
    )
    make_deadline(due_at=soon, title="Both: read the agreement", visible_to_participants=True)
    make_deadline(due_at=soon, title="Staff only")
    alice_html = render_tag(
        "{% portal_deadlines case %}", service.parties["alice"], case=service.case
    )
    bob_html = render_tag("{% portal_deadlines case %}", service.parties["bob"], case=service.case)
    assert "Alice&#x27;s statements" in alice_html and "Both: read the agreement" in alice_html
    assert "Alice" not in bob_html and "Both: read the agreement" in bob_html
    assert "Staff only" not in alice_html + bob_html
    carol_html = render_tag(
        "{% portal_deadlines case %}", service.parties["carol"], case=service.case
    )
    assert "read the agreement" not in carol_html


# The filter and the per-object checks agree for everyone


def test_staff_filter_and_can_view_agree(service, other_service, make_deadline):
    soon = timezone.now() + dt.timedelta(days=3)
    deadlines = [
        make_deadline(due_at=soon),
        make_deadline(due_at=soon, actor=service.mediator, visibility="restricted"),
        make_deadline(due_at=soon, case=service.cases["civil"], owner=service.mediator2),
    ]
    people = [
        service.admin,
        service.coordinator,
        service.mediator,
        service.mediator2,
        service.supervisor,
        service.safeguarding_lead,
        other_service.admin,
        *service.parties.values(),
    ]
    for person in people:
        visible = set(deadlines_visible_to(person).values_list("pk", flat=True))
        for deadline in deadlines:
            assert (deadline.pk in visible) == policy.can_view(person, deadline), (person, deadline)


def test_participant_filter_and_check_agree(service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    soon = timezone.now() + dt.timedelta(days=3)
    deadlines = [
        make_deadline(due_at=soon, concerns_participant=alice, visible_to_participants=True),
        make_deadline(due_at=soon, visible_to_participants=True),
        make_deadline(due_at=soon),
        make_deadline(
            due_at=soon,
            case=service.cases["civil"],
            owner=service.mediator2,
            visible_to_participants=True,
        ),
    ]
    for person in service.parties.values():
        for case in service.cases.values():
            shown = {d.pk for d in deadlines_for_participant(person, case)}
            for deadline in deadlines:
                expected = deadline.case_id == case.pk and policy.participant_can_view(
                    person, deadline
                )
                assert (deadline.pk in shown) == expected


# Query counts do not grow with the number of deadlines


def _count(run: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def _add(make_deadline: Any, service: Any, n: int, when: dt.datetime) -> None:
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    for i in range(n):
        make_deadline(
            due_at=when + dt.timedelta(hours=i),
            title=f"Deadline {i}",
            concerns_participant=alice if i % 2 else None,
        )


def test_calendar_page_queries_do_not_grow(client, service, make_deadline):
    login(client, service.coordinator)
    _add(make_deadline, service, 2, in_december(1))
    client.get(CALENDAR, {"month": "2026-12"})
    few = _count(lambda: client.get(CALENDAR, {"month": "2026-12"}))
    _add(make_deadline, service, 15, in_december(10))
    many = _count(lambda: client.get(CALENDAR, {"month": "2026-12"}))
    assert many == few


def test_dashboard_and_case_panels_queries_do_not_grow(service, make_deadline):
    soon = timezone.now() + dt.timedelta(hours=2)
    _add(make_deadline, service, 2, soon)

    def panels() -> None:
        user = type(service.mediator).objects.get(pk=service.mediator.pk)
        render_tag("{% deadlines_panel %}{% case_deadlines case %}", user, case=service.case)

    panels()
    few = _count(panels)
    _add(make_deadline, service, 15, soon)
    assert _count(panels) == few
    assert len(deadlines_for_dashboard(service.mediator).due_soon) == 17


# The panels on the pages other apps own


def test_dashboard_case_and_portal_pages_show_the_panels(client, service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    soon = timezone.now() + dt.timedelta(days=2)
    make_deadline(due_at=soon, title="Staff-only step")
    make_deadline(
        due_at=soon,
        title="Bring your payslips",
        concerns_participant=alice,
        visible_to_participants=True,
    )
    login(client, service.mediator)
    dashboard = client.get(reverse("cases:dashboard")).content.decode()
    assert 'id="deadlines-panel-title"' in dashboard and "Staff-only step" in dashboard
    workspace = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    assert 'id="case-deadlines-title"' in workspace and "Mark as met" in workspace
    login(client, service.parties["alice"])
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "Bring your payslips" in portal and "Staff-only step" not in portal
    login(client, service.parties["bob"])
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "Bring your payslips" not in portal and "Dates to remember" not in portal


def test_case_workspace_queries_do_not_grow_with_deadlines(client, service, make_deadline):
    login(client, service.mediator)
    url = reverse("cases:detail", args=[service.case.pk])
    _add(make_deadline, service, 2, timezone.now() + dt.timedelta(days=1))
    client.get(url)
    few = _count(lambda: client.get(url))
    _add(make_deadline, service, 15, timezone.now() + dt.timedelta(days=2))
    assert _count(lambda: client.get(url)) == few


def test_a_busy_day_lists_a_few_deadlines_and_links_to_the_rest(client, service, make_deadline):
    for hour in range(9, 16):
        make_deadline(due_at=in_december(10, hour), title=f"Task at {hour}")
    make_deadline(due_at=in_december(11), title="Next day task")
    login(client, service.coordinator)
    html = client.get(CALENDAR, {"month": "2026-12"}).content.decode()
    assert "8 deadlines you may see fall due this month." in html
    assert "Task at 9" in html and "Task at 11" in html and "Task at 12" not in html
    assert "4 more" in html and "day=10" in html
    assert "Next day task" in html
    html = client.get(CALENDAR, {"month": "2026-12", "day": "10"}).content.decode()
    assert "Every deadline on Thursday 10 December 2026" in html
    assert all(f"Task at {hour}" in html for hour in range(9, 16))


def test_the_calendar_costs_the_same_queries_with_many_deadlines(client, service, make_deadline):
    make_deadline(due_at=in_december(10), title="Only one")
    login(client, service.coordinator)
    client.get(CALENDAR, {"month": "2026-12"})
    with CaptureQueriesContext(connection) as few:
        client.get(CALENDAR, {"month": "2026-12"})
    for day in range(1, 29):
        for hour in (9, 10, 11, 12):
            make_deadline(due_at=in_december(day, hour), title=f"Task {day}/{hour}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(CALENDAR, {"month": "2026-12"}).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("Task ") <= 28 * 3 + 1


@pytest.mark.parametrize("day", ["32", "0", "x", "-1"])
def test_a_bad_day_gets_a_clear_400(client, service, day):
    login(client, service.coordinator)
    response = client.get(CALENDAR, {"month": "2026-02", "day": day})
    assert response.status_code == 400
    assert "is not a day of February 2026" in response.content.decode()
