"""The estimate fed by the disclosure, school terms and single dates, and bad input refused
through the pages and the API with nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.children import estimates, schedules, services
from accord.children.models import CareSchedule, MaintenanceEstimate, SchoolTerm
from accord.children.tests.conftest import born_years_ago
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.finance import selectors as finance_selectors
from accord.finance import services as finance
from accord.finance.models import DisclosureItem
from accord.finance.tests.conftest import open_finance_case

pytestmark = pytest.mark.django_db


def _income(
    actor: Any, case: Any, party: Any, what: str, net: int, gross: int | None, **over: Any
) -> DisclosureItem:
    data: dict[str, Any] = {
        "actor": actor,
        "case": case,
        "participant": party,
        "part": "income",
        "description": what,
        "owner": "a",
        "value_pence": net,
        "gross_pence": gross,
        "valuation_date": dt.date(2026, 4, 5),
    }
    data.update(over)
    return finance.disclosure_item_add(**data)


@pytest.fixture
def both(service: Any) -> Any:
    """A family case about children and money: disclosure and maintenance both apply."""
    fc = open_finance_case(service, kind="family_all")
    services.child_add(
        actor=service.coordinator, case=fc.case, full_name="Ella", date_of_birth=born_years_ago(9)
    )
    return fc


# Item 1: gross income from the disclosure ---------------------------------------------------------


def test_gross_weekly_income_is_the_yearly_gross_over_52_to_the_penny(service, both):
    _income(service.mediator, both.case, both.a, "Salary, Acme", 2_600_000, 3_400_000)
    _income(service.mediator, both.case, both.a, "Rent from a lodger", 300_000, 312_345)
    _income(service.mediator, both.case, both.a, "Dividends", 50_000, None)
    found = finance_selectors.gross_weekly_income(both.case, both.a, user=service.mediator)
    assert found is not None
    # (34,000.00 + 3,123.45) / 52 = 713.912... -> 713.91
    assert found.weekly == Decimal("713.91")
    assert [s.description for s in found.sources] == ["Salary, Acme", "Rent from a lodger"]
    assert found.sources[0].valuation_date == dt.date(2026, 4, 5)
    assert found.missing == ("Dividends",)
    # The other party has no gross income; a party may not ask at all (the estimate is staff work).
    assert finance_selectors.gross_weekly_income(both.case, both.b, user=service.mediator) is None
    with pytest.raises(NotFoundOrHidden):
        finance_selectors.gross_weekly_income(both.case, both.a, user=both.a_user)


def test_gross_is_refused_on_non_income_and_below_net(service, both):
    for gross, over, words in (
        (3_000_000, {"part": "accounts", "description": "Current account"}, "Only income"),
        (100, {}, "cannot be less than"),
        (-5, {}, "minus"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            _income(service.mediator, both.case, both.a, "Salary", 2_000_000, gross, **over)
        assert words in caught.value.field_errors["gross"][0]
    assert not DisclosureItem.objects.exists()


def test_the_estimate_uses_the_disclosure_and_says_where_it_came_from(service, both):
    _income(service.mediator, both.case, both.a, "Salary, Acme", 2_600_000, 3_400_000)
    estimate = estimates.estimate_make(
        actor=service.mediator,
        case=both.case,
        paying_parent=both.a,
        gross_weekly_income="",
        qualifying_children=1,
    )
    # 34,000 / 52 = 653.846... -> 653.85; basic rate 12% -> 78.46
    assert estimate.income_source == "disclosure"
    assert estimate.gross_weekly_income == Decimal("653.85")
    assert estimate.weekly == Decimal("78.46")
    [source] = estimate.explanation["income_sources"]
    assert source["description"] == "Salary, Acme" and source["valuation_date"] == "2026-04-05"
    client = Client()
    client.force_login(service.mediator)
    page = client.get(reverse("children:estimate", args=[both.case.pk, estimate.pk]))
    text = page.content.decode()
    assert "from the financial disclosure" in text and "Salary, Acme" in text
    assert "£34000.00 a year before tax, valued on 2026-04-05" in text
    # The form shows the disclosure's figure and lets the mediator override it.
    form = client.get(reverse("children:estimate_new", args=[both.case.pk]))
    assert "£653.85 a week" in form.content.decode()
    overridden = client.post(
        reverse("children:estimate_new", args=[both.case.pk]),
        {
            "paying_parent": both.a.pk,
            "gross_weekly_income": "700.00",
            "qualifying_children": "1",
            "other_children": "0",
        },
    )
    assert overridden.status_code == 302
    latest = MaintenanceEstimate.objects.order_by("-id").first()
    assert latest is not None
    assert latest.income_source == "override" and latest.gross_weekly_income == Decimal("700.00")
    assert latest.explanation["disclosure_weekly"] == "653.85"
    shown = client.get(overridden["Location"]).content.decode()
    assert "in place of £653.85 from the financial disclosure" in shown


def test_no_disclosed_gross_and_no_figure_is_refused(service, both):
    _income(service.mediator, both.case, both.b, "Salary", 2_000_000, None, owner="b")
    with pytest.raises(ValidationFailed) as caught:
        estimates.estimate_make(
            actor=service.mediator,
            case=both.case,
            paying_parent=both.b,
            gross_weekly_income="",
            qualifying_children=1,
        )
    assert "no income before tax" in caught.value.field_errors["gross_weekly_income"][0]
    assert not MaintenanceEstimate.objects.exists()


def test_the_finance_api_and_form_take_the_gross_figure(service, both):
    from accord.api.tests.conftest import token_client

    api = token_client(both.a_user)
    made = api.post(
        f"/cases/{both.case.pk}/disclosures/{both.a.pk}/items",
        {
            "part": "income",
            "description": "Salary",
            "owner": "a",
            "value": "26000",
            "gross": "34000.00",
            "valuation_date": "2026-04-05",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["gross_pence"] == 3_400_000
    bad = api.post(
        f"/cases/{both.case.pk}/disclosures/{both.a.pk}/items",
        {
            "part": "income",
            "description": "Bonus",
            "owner": "a",
            "value": "100",
            "gross": "100.001",
            "valuation_date": "2026-04-05",
        },
    )
    assert bad.status_code == 422 and "at most 2 decimal" in bad.json()["errors"]["gross"][0]
    assert DisclosureItem.objects.count() == 1
    # The page: the mediator enters an income for party B with its gross figure.
    client = Client()
    client.force_login(service.mediator)
    url = reverse("finance:item_add", args=[both.case.pk, both.b.pk])
    form = {
        "part": "income",
        "description": "Pension",
        "owner": "b",
        "share_a_percent": "50",
        "value": "9000",
        "valuation_date": "05/04/2026",
    }
    refused = client.post(url, {**form, "gross": "8000"})
    assert refused.status_code == 422
    assert "cannot be less than the income after tax" in refused.content.decode()
    assert DisclosureItem.objects.count() == 1
    assert client.post(url, {**form, "gross": "10,400"}).status_code == 302
    found = finance_selectors.gross_weekly_income(both.case, both.b, user=service.mediator)
    assert found is not None and found.weekly == Decimal("200.00")


# Item 2: bad input through the pages and the API --------------------------------------------------


def _page_post(service: Any, case: Any, **over: str) -> Any:
    client = Client()
    client.force_login(service.mediator)
    data = {
        "name": "2-2-5-5",
        "pattern": "2-2-5-5",
        "rotation": "",
        "anchor": timezone.localdate().strftime("%d/%m/%Y"),
        "handover_time": "18:00",
    }
    data.update(over)
    return client.post(reverse("children:schedule_new", args=[case.pk]), data)


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"pattern": "", "rotation": ""}, "at least one day"),
        ({"handovers": "Friday 15:30, Friday 17:00"}, "Two handovers overlap: Friday has both"),
        ({"handovers": "Funday 15:30"}, "is not a weekday and a time"),
        ({"exceptions": "01/01/2020 A"}, "is outside the schedule"),
        ({"exceptions": "31/02/2027 A"}, "the date does not exist"),
    ],
)
def test_bad_schedules_are_refused_on_the_page(service, family, over, words):
    response = _page_post(service, family, **over)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not CareSchedule.objects.exists()


def test_two_exceptions_on_one_date_overlap(service, family):
    day = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    response = _page_post(service, family, exceptions=f"{day} A\n{day} B")
    assert response.status_code == 422 and "Two exceptions overlap" in response.content.decode()
    assert not CareSchedule.objects.exists()


def test_bad_schedules_are_refused_by_the_api(service, family):
    from accord.api.tests.conftest import token_client

    staff = token_client(service.mediator)
    anchor = timezone.localdate()
    base = {"name": "x", "pattern": "2-2-5-5", "anchor": anchor.isoformat()}
    for over, words in (
        ({"pattern": "", "rotation": ""}, "at least one day"),
        (
            {"handovers": [{"weekday": 4, "time": "15:30"}, {"weekday": 4, "time": "17:00"}]},
            "Two handovers overlap: Friday",
        ),
        (
            {"exceptions": [{"on": (anchor - dt.timedelta(days=1)).isoformat(), "carer": "A"}]},
            "outside the schedule",
        ),
        (
            {
                "holidays": [
                    {
                        "name": "Summer",
                        "start": "08-01",
                        "end": "08-20",
                        "rule": "fixed",
                        "even_years": "A",
                    },
                    {
                        "name": "Fair",
                        "start": "08-10",
                        "end": "08-12",
                        "rule": "fixed",
                        "even_years": "B",
                    },
                ]
            },
            "overlap",
        ),
    ):
        response = staff.post(f"/cases/{family.pk}/schedules", {**base, **over})
        assert response.status_code == 422, (over, response.content)
        assert words in response.content.decode(), response.content
    assert not CareSchedule.objects.exists()


def _estimate_page(service: Any, case: Any, **over: str) -> Any:
    client = Client()
    client.force_login(service.mediator)
    parent = schedules.parents_of(case)[1]
    data = {
        "paying_parent": str(parent.pk),
        "gross_weekly_income": "650.00",
        "qualifying_children": "1",
        "other_children": "0",
    }
    data.update(over)
    return client.post(reverse("children:estimate_new", args=[case.pk]), data)


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"gross_weekly_income": "650.123"}, "at most two decimals"),
        ({"gross_weekly_income": "-10"}, "cannot be below zero"),
        ({"qualifying_children": "3"}, "The case records 1 child"),
    ],
)
def test_bad_estimates_are_refused_on_the_page_and_by_the_api(service, family, over, words):
    from accord.api.tests.conftest import token_client

    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(8)
    )
    response = _estimate_page(service, family, **over)
    assert response.status_code == 422 and words in response.content.decode()
    staff = token_client(service.mediator)
    payload = {
        "paying_parent_id": schedules.parents_of(family)[1].pk,
        "gross_weekly_income": over.get("gross_weekly_income", "650.00"),
        "qualifying_children": int(over.get("qualifying_children", "1")),
    }
    api = staff.post(f"/cases/{family.pk}/maintenance", payload)
    assert api.status_code == 422 and words in api.content.decode()
    assert not MaintenanceEstimate.objects.exists()


# Item 3: school terms and single dates feed the calculations -------------------------------------


def test_terms_are_a_service_setting_with_pages_and_api(service):
    from accord.api.tests.conftest import token_client

    client = Client()
    client.force_login(service.admin)
    url = reverse("children:terms")
    ok = client.post(url, {"name": "Summer term", "start": "13/04/2026", "end": "22/07/2026"})
    assert ok.status_code == 302
    clash = client.post(url, {"name": "Clash", "start": "01/07/2026", "end": "30/07/2026"})
    assert clash.status_code == 422 and "overlaps “Summer term”" in clash.content.decode()
    backwards = client.post(url, {"name": "Odd", "start": "01/10/2026", "end": "01/09/2026"})
    assert backwards.status_code == 422 and "before its first day" in backwards.content.decode()
    assert SchoolTerm.objects.count() == 1
    api = token_client(service.admin)
    made = api.post("/school-terms", {"name": "Autumn", "start": "2026-09-02", "end": "2026-12-18"})
    assert made.status_code == 201
    assert [t["name"] for t in api.get("/school-terms").json()] == ["Summer term", "Autumn"]
    # A mediator who is not an administrator cannot change them.
    mediator = token_client(service.mediator)
    refused = mediator.post(
        "/school-terms", {"name": "X", "start": "2027-01-05", "end": "2027-02-12"}
    )
    assert refused.status_code == 404
    assert SchoolTerm.objects.count() == 2
    autumn = SchoolTerm.objects.get(name="Autumn")
    page = client.get(url).content.decode()
    assert "Summer term" in page and "Autumn" in page
    removed = client.post(reverse("children:term_remove", args=[autumn.pk]))
    assert removed.status_code == 302
    assert list(SchoolTerm.objects.values_list("name", flat=True)) == ["Summer term"]


def test_school_terms_and_exceptions_feed_the_calculation(service, family):
    anchor = dt.date(2026, 9, 7)  # a Monday
    SchoolTerm.objects.create(
        organisation=service.organisation,
        name="Autumn",
        start=dt.date(2026, 9, 7),
        end=dt.date(2026, 9, 18),
    )
    plain = schedules.schedule_save(
        actor=service.mediator, case=family, name="plain", pattern="2-2-5-5", anchor=anchor
    )
    special = schedules.schedule_save(
        actor=service.mediator,
        case=family,
        name="special",
        pattern="2-2-5-5",
        anchor=anchor,
        exceptions=[{"on": dt.date(2026, 9, 7), "carer": "B", "note": "Birthday"}],
        exclude_school_hours=True,
        handovers=[{"weekday": 4, "time": "15:30"}],
    )
    end = dt.date(2026, 9, 20)
    a = schedules.split_of(plain, anchor, end)
    b = schedules.split_of(special, anchor, end)
    # The single date changes that night only.
    assert a.days[dt.date(2026, 9, 7)] == "A" and b.days[dt.date(2026, 9, 7)] == "B"
    assert {d for d in a.days if a.days[d] != b.days[d]} == {dt.date(2026, 9, 7)}
    # Ten school days of six hours (09:00-15:00) count for neither parent.
    assert b.school_hours == Decimal("60.0") and len(b.school_days) == 10
    assert a.school_hours == Decimal("0")
    assert b.hours is not None and a.hours is not None
    assert sum(b.hours.values()) + b.school_hours == sum(a.hours.values())
    # The page (the next 12 months) shows the hours and the school time.
    soon = timezone.localdate() + dt.timedelta(days=7)
    SchoolTerm.objects.create(
        organisation=service.organisation,
        name="Next",
        start=soon,
        end=soon + dt.timedelta(days=13),
    )
    client = Client()
    client.force_login(service.mediator)
    page = client.get(reverse("children:schedule", args=[family.pk, special.pk]))
    text = page.content.decode()
    assert "At school: " in text and "Birthday" in text
    assert "Friday at 15:30" in text
