"""Schedules in the case, the comparison, iCalendar, the maintenance estimate and the plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.children import calc, estimates, schedules, services
from accord.children.models import CareSchedule, MaintenanceEstimate
from accord.children.tests.conftest import born_years_ago
from accord.core.errors import NotFoundOrHidden, ValidationFailed

pytestmark = pytest.mark.django_db

CHRISTMAS = {"name": "Christmas", "start": "12-24", "end": "12-26", "rule": "alternate"}


def _save(service: Any, family: Any, **over: Any) -> CareSchedule:
    data: dict[str, Any] = {
        "actor": service.mediator,
        "case": family,
        "name": "2-2-5-5",
        "pattern": "2-2-5-5",
        "anchor": timezone.localdate(),
        "holidays": [{**CHRISTMAS, "even_years": "A"}],
    }
    data.update(over)
    return schedules.schedule_save(**data)


def test_a_fourteen_day_rotation_gives_its_nights(service, family):
    schedule = _save(service, family, holidays=[])
    start = schedule.anchor
    split = schedules.split_of(schedule, start, start + dt.timedelta(days=363))
    assert split.nights == {"A": 7 * 26, "B": 7 * 26}
    assert len(split.days) == 364


def test_holidays_change_only_their_own_dates(service, family):
    plain = _save(service, family, name="plain", holidays=[])
    xmas = _save(service, family, name="xmas")
    start = plain.anchor
    end = start + dt.timedelta(days=730)
    a, b = schedules.split_of(plain, start, end), schedules.split_of(xmas, start, end)
    changed = {d for d in a.days if a.days[d] != b.days[d]}
    assert all((d.month, d.day) in {(12, 24), (12, 25), (12, 26)} for d in changed)
    for d in b.days:
        if (d.month, d.day) == (12, 25):
            assert b.days[d] == ("A" if d.year % 2 == 0 else "B")


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"pattern": "", "rotation": ""}, "rotation"),
        ({"pattern": "", "rotation": "AXB"}, "rotation"),
        ({"pattern": "nonsense"}, "pattern"),
        ({"anchor": None}, "anchor"),
        ({"name": ""}, "name"),
        ({"holidays": [{**CHRISTMAS, "start": "13-40", "even_years": "A"}]}, "holidays"),
        ({"holidays": [{**CHRISTMAS, "even_years": "C"}]}, "holidays"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_saved(service, family, over, field):
    with pytest.raises(ValidationFailed) as caught:
        _save(service, family, **over)
    assert field in caught.value.field_errors
    assert not CareSchedule.objects.exists()


def test_dates_outside_the_schedule_are_refused(service, family):
    schedule = _save(service, family)
    with pytest.raises(calc.ScheduleError, match="before the schedule's anchor"):
        calc.split(
            rotation=schedule.rotation,
            anchor=schedule.anchor,
            handover=schedule.handover_time,
            holidays=[],
            start=schedule.anchor - dt.timedelta(days=3),
            end=schedule.anchor,
        )


def test_a_parent_saves_their_own_proposal_and_sees_not_the_others(service, family):
    alice, bob = service.parties["alice"], service.parties["bob"]
    mine = _save(service, family, actor=alice, name="Alice's idea", pattern="alternating_weeks")
    assert mine.proposed_by is not None and mine.proposed_by.user_id == alice.pk
    mediators = _save(service, family)
    assert {s.pk for s in schedules.schedules_for(user=bob, case=family)} == {mediators.pk}
    assert {s.pk for s in schedules.schedules_for(user=alice, case=family)} == {
        mine.pk,
        mediators.pk,
    }
    with pytest.raises(NotFoundOrHidden):
        schedules.schedule_get(user=bob, case=family, schedule_id=mine.pk)
    with pytest.raises(NotFoundOrHidden):
        _save(service, family, actor=service.parties["carol"])
    with pytest.raises(NotFoundOrHidden):
        schedules.schedule_agree(actor=alice, schedule=mine)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_month_calendar_and_comparison_make_a_fixed_number_of_queries(service, family):
    first = _save(service, family)
    second = _save(service, family, name="EOW", pattern="every_other_weekend_fri_mon")
    for n in range(3):
        _save(service, family, name=f"spare {n}", holidays=[])
    client = Client()
    client.force_login(service.mediator)
    month = timezone.localdate()
    urls = [
        reverse("children:schedule", args=[family.pk, first.pk]),
        reverse("children:compare", args=[family.pk]) + f"?a={first.pk}&b={second.pk}",
    ]
    for url in urls:
        counts = {
            _queries(client, f"{url}{'&' if '?' in url else '?'}month={m}")
            for m in (f"{month:%Y-%m}", f"{month.year + 1}-02", f"{month.year + 1}-12")
        }
        assert len(counts) == 1, counts
    assert _queries(client, urls[0]) <= 20
    page = client.get(urls[1]).content.decode()
    assert "day-differs" in page and "differs" in page


def test_both_parents_see_the_comparison_and_their_own_calendar_file(service, family):
    first = _save(service, family)
    second = _save(service, family, name="EOW", pattern="every_other_weekend_fri_mon")
    for who in ("alice", "bob"):
        client = Client()
        client.force_login(service.parties[who])
        url = reverse("children:compare", args=[family.pk]) + f"?a={first.pk}&b={second.pk}"
        assert client.get(url).status_code == 200
        ics = client.get(reverse("children:schedule_ics", args=[family.pk, first.pk]))
        assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
        chart = client.get(reverse("children:schedule_chart", args=[family.pk, first.pk]))
        assert chart["Content-Type"].startswith("image/svg+xml")
    stranger = Client()
    stranger.force_login(service.parties["carol"])
    assert stranger.get(reverse("children:schedules", args=[family.pk])).status_code == 404


def test_the_schedule_pages_build_and_agree(service, family):
    client = Client()
    client.force_login(service.mediator)
    url = reverse("children:schedule_new", args=[family.pk])
    bad = client.post(
        url,
        {
            "name": "x",
            "pattern": "",
            "rotation": "",
            "anchor": "1/1/2027",
            "handover_time": "18:00",
        },
    )
    assert bad.status_code == 422 and b"at least one day" in bad.content
    ok = client.post(
        url,
        {
            "name": "2-2-5-5",
            "pattern": "2-2-5-5",
            "anchor": "1/1/2027",
            "handover_time": "18:00",
            "christmas": "A",
        },
    )
    assert ok.status_code == 302
    schedule = CareSchedule.objects.get()
    assert schedule.holidays[0]["even_years"] == "A"
    client.post(reverse("children:schedule_agree", args=[family.pk, schedule.pk]))
    assert schedules.agreed_schedule(family) == schedule


def test_bad_estimate_input_is_refused_and_nothing_saved(service, family):
    parent = schedules.parents_of(family)[0]
    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(8)
    )
    for income, children, field in (
        ("650.123", 1, "gross_weekly_income"),
        ("-5", 1, "gross_weekly_income"),
        ("lots", 1, "gross_weekly_income"),
        ("650", 2, "qualifying_children"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            estimates.estimate_make(
                actor=service.mediator,
                case=family,
                paying_parent=parent,
                gross_weekly_income=income,
                qualifying_children=children,
            )
        assert field in caught.value.field_errors
    assert not MaintenanceEstimate.objects.exists()


def test_the_estimate_uses_the_agreed_schedules_nights(service, family):
    pytest.importorskip("accord.maintenance")
    schedule = _save(service, family, pattern="every_other_weekend_fri_mon", holidays=[])
    schedules.schedule_agree(actor=service.mediator, schedule=schedule)
    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(8)
    )
    estimate = estimates.estimate_make(
        actor=service.mediator,
        case=family,
        paying_parent=schedule.parent_b,
        gross_weekly_income="650.00",
        qualifying_children=1,
    )
    assert estimate.nights[0] > 52 and estimate.weekly > Decimal("0")
    assert estimate.explanation["rules"]


def test_the_parenting_plan_names_children_and_carries_the_schedule(service, family):
    from accord.children.plan import plan_attachments

    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(12)
    )
    schedule = _save(service, family)
    schedules.schedule_agree(actor=service.mediator, schedule=schedule)
    context = plan_attachments(family)
    assert context["plan_children"] == [{"name": "Maya", "age": 12}]
    rows = context["plan_schedule"]["rows"]
    assert sum(r["nights"] for r in rows) in (365, 366)


def test_the_api_for_children_answers_schedules_and_estimates(service, family):
    from accord.api.tests.conftest import token_client

    staff = token_client(service.mediator)
    bad = staff.post(f"/cases/{family.pk}/children", {"full_name": "", "date_of_birth": "x"})
    assert bad.status_code == 422
    made = staff.post(
        f"/cases/{family.pk}/children",
        {"full_name": "Maya Smith", "date_of_birth": born_years_ago(11).isoformat()},
    )
    assert made.status_code == 201 and made.json()["to_be_offered"] is True
    offer = staff.post(f"/cases/{family.pk}/children/{made.json()['id']}/offer")
    assert offer.status_code == 201
    alice = token_client(service.parties["alice"])
    answer = alice.post(
        f"/cases/{family.pk}/children/offers/{offer.json()['id']}/answer",
        {"answer": "consent"},
    )
    assert answer.status_code == 200 and answer.json()["status"] == "awaiting_consent"
    bob = token_client(service.parties["bob"])
    seen = bob.get(f"/cases/{family.pk}/children/offers").json()[0]
    assert seen["other_answer"] == "" and seen["notes"] is None
    assert bob.get(f"/cases/{family.pk}/children").status_code == 404
    anchor = timezone.localdate().isoformat()
    empty = staff.post(
        f"/cases/{family.pk}/schedules",
        {"name": "x", "pattern": "", "rotation": "", "anchor": anchor},
    )
    assert empty.status_code == 422 and "at least one day" in empty.content.decode()
    mine = alice.post(
        f"/cases/{family.pk}/schedules",
        {"name": "Mine", "pattern": "2-2-5-5", "anchor": anchor},
    )
    assert mine.status_code == 201 and mine.json()["own_proposal"] is True
    assert bob.get(f"/cases/{family.pk}/schedules").json() == []
    assert sum(r["nights"] for r in mine.json()["next_12_months"]) in (365, 366)
    assert alice.post(f"/cases/{family.pk}/schedules/{mine.json()['id']}/agree").status_code in (
        403,
        404,
    )
    income = staff.post(
        f"/cases/{family.pk}/maintenance",
        {
            "paying_parent_id": schedules.parents_of(family)[1].pk,
            "gross_weekly_income": "-1",
            "qualifying_children": 1,
        },
    )
    assert income.status_code == 422 and "below zero" in income.content.decode()
    assert not MaintenanceEstimate.objects.exists()


def test_agreeing_a_schedule_is_a_next_step_until_done(service, family):
    from accord.cases.progress import next_steps

    schedule = _save(service, family)
    assert any("schedule the parents agree" in s.text for s in next_steps(family))
    schedules.schedule_agree(actor=service.mediator, schedule=schedule)
    assert not any("schedule the parents agree" in s.text for s in next_steps(family))


def test_the_agreed_figure_goes_into_the_mou(service, family, monkeypatch):
    from accord.outcomes import services as outcomes
    from accord.outcomes.tests.helpers import family_agreed

    family_agreed(service)
    monkeypatch.setattr(
        "accord.children.plan.plan_attachments",
        lambda case: {"plan_maintenance": {"payer": "Bob", "weekly": "£70.00", "monthly": "£303"}},
    )
    draft = outcomes.outcome_draft_create(actor=service.mediator, case=family, kind="mou")
    assert draft.sections["items"][-1]["title"] == "Child maintenance"
    assert "£70.00 a week" in draft.sections["items"][-1]["wording"]
