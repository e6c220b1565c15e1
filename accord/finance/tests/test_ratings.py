"""Ratings: private to the party and the mediators, once, adding up; suggestions from the
fair-division module (skipped until it is merged)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.finance import ratings
from accord.finance.models import Rating, Scenario
from accord.finance.tests.test_disclosure import _both_shared

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _keys(case: Any) -> list[str]:
    return [str(r["id"]) for r in ratings.rateable_items(case)]


def test_ratings_add_up_once_and_stay_private(service, fin):
    _both_shared(service, fin)
    keys = _keys(fin.case)
    assert len(keys) == 2  # the home and Ben's savings (debts and pensions are not rated)
    for bad in ({keys[0]: 60, keys[1]: 30}, {keys[0]: -10, keys[1]: 110}, {keys[0]: 100}):
        with pytest.raises(ValidationFailed):
            ratings.ratings_submit(actor=fin.a_user, case=fin.case, participant=fin.a, points=bad)
    assert not Rating.objects.exists()
    with pytest.raises(NotFoundOrHidden):
        ratings.ratings_submit(
            actor=fin.a_user, case=fin.case, participant=fin.b, points={keys[0]: 100, keys[1]: 0}
        )
    ratings.ratings_submit(
        actor=fin.a_user, case=fin.case, participant=fin.a, points={keys[0]: 70, keys[1]: 30}
    )
    with pytest.raises(ValidationFailed, match="already rated"):
        ratings.ratings_submit(
            actor=fin.a_user, case=fin.case, participant=fin.a, points={keys[0]: 70, keys[1]: 30}
        )
    assert Rating.objects.count() == 2
    assert ratings.ratings_for(user=fin.b_user, case=fin.case) == {}
    assert ratings.ratings_for(user=fin.a_user, case=fin.case) == {
        fin.a.pk: {keys[0]: 70, keys[1]: 30}
    }
    with pytest.raises(NotFoundOrHidden):
        ratings.ratings_for(user=service.coordinator, case=fin.case)
    assert fin.a.pk in ratings.ratings_for(user=service.mediator, case=fin.case)
    page = _client(fin.b_user).get(reverse("finance:rate", args=[fin.case.pk]))
    assert page.status_code == 200 and "70" not in page.content.decode().split("<h1>")[1]
    assert (
        _client(fin.b_user).get(reverse("finance:suggestions", args=[fin.case.pk])).status_code
        == 404
    )
    assert (
        _client(service.coordinator)
        .get(reverse("finance:suggestions", args=[fin.case.pk]))
        .status_code
        == 404
    )


def test_the_service_chooses_100_or_1000_points(service, fin):
    with pytest.raises(NotPermitted):
        ratings.finance_settings_set(
            actor=service.mediator, organisation=service.organisation, rating_points=1000
        )
    with pytest.raises(ValidationFailed):
        ratings.finance_settings_set(
            actor=service.admin, organisation=service.organisation, rating_points=500
        )
    ratings.finance_settings_set(
        actor=service.admin, organisation=service.organisation, rating_points=1000
    )
    _both_shared(service, fin)
    keys = _keys(fin.case)
    with pytest.raises(ValidationFailed, match="1,000"):
        ratings.ratings_submit(
            actor=fin.a_user, case=fin.case, participant=fin.a, points={keys[0]: 70, keys[1]: 30}
        )
    bad = _client(fin.a_user).post(
        reverse("finance:rate", args=[fin.case.pk]),
        {f"item_{keys[0]}": "700", f"item_{keys[1]}": "2"},
    )
    assert bad.status_code == 422 and "must add up to 1,000" in bad.content.decode()
    ok = _client(fin.a_user).post(
        reverse("finance:rate", args=[fin.case.pk]),
        {f"item_{keys[0]}": "700", f"item_{keys[1]}": "300"},
    )
    assert ok.status_code == 302 and Rating.objects.count() == 2


def test_suggestions_become_a_scenario(service, fin):
    pytest.importorskip("accord.division")
    _both_shared(service, fin)
    keys = _keys(fin.case)
    ratings.ratings_submit(
        actor=fin.a_user, case=fin.case, participant=fin.a, points={keys[0]: 80, keys[1]: 20}
    )
    ratings.ratings_submit(
        actor=fin.b_user, case=fin.case, participant=fin.b, points={keys[0]: 40, keys[1]: 60}
    )
    found = ratings.suggestions(user=service.mediator, case=fin.case)
    assert found["aw"]["explain"] and found["mnw"]["explain"]
    ratings.suggestion_to_scenario(actor=service.mediator, case=fin.case, method="aw")
    scenario = Scenario.objects.get()
    assert scenario.title == "Adjusted Winner suggestion"
    # AW gives Anna 5/6 of the home (80 - 80t = 20 + 40t... level at t = 1/6): kept exactly,
    # not rounded to 83.33%, and the money adds up to the total to the penny.
    assert scenario.allocations == {keys[0]: "250/3", keys[1]: "0"}
    from accord.finance import scenarios as sc

    outcome = sc.results(fin.case, scenario)
    plain = sc.scenario_create(actor=service.mediator, case=fin.case, title="As owned")
    as_owned = sc.results(fin.case, plain)
    assert outcome["a"].capital + outcome["b"].capital == (
        as_owned["a"].capital + as_owned["b"].capital
    )
    home = next(r for r in ratings.rateable_items(fin.case) if str(r["id"]) == keys[0])
    assert "83.33 (exactly 250/3)%" in sc.scenario_wording(fin.case, scenario)
    assert home["description"] in sc.scenario_wording(fin.case, scenario)


def test_scenario_money_is_exact_and_adds_up(service, fin):
    from fractions import Fraction

    from accord.finance import scenarios as sc

    _both_shared(service, fin)
    keys = _keys(fin.case)
    third = sc.scenario_create(
        actor=service.mediator,
        case=fin.case,
        title="Thirds",
        allocations={keys[0]: Fraction(100, 3), keys[1]: "12.5"},
    )
    assert third.allocations == {keys[0]: "100/3", keys[1]: "12.5"}
    result = sc.results(fin.case, third)
    owned = sc.results(
        fin.case, sc.scenario_create(actor=service.mediator, case=fin.case, title="Owned")
    )
    total = owned["a"].capital + owned["b"].capital
    assert result["a"].capital + result["b"].capital == total
    with pytest.raises(ValidationFailed):
        sc.scenario_create(
            actor=service.mediator,
            case=fin.case,
            title="Bad",
            allocations={keys[0]: Fraction(301, 3)},
        )
    with pytest.raises(ValidationFailed):
        sc.scenario_create(
            actor=service.mediator, case=fin.case, title="Bad", allocations={keys[0]: "100/3"}
        )


def test_the_api_keeps_ratings_and_scenarios_to_who_may_see_them(service, fin):
    from accord.api.tests.conftest import token_client
    from accord.finance import scenarios as sc

    _both_shared(service, fin)
    keys = _keys(fin.case)
    anna, ben = token_client(fin.a_user), token_client(fin.b_user)
    url = f"/cases/{fin.case.pk}/ratings"
    assert anna.post(url, {"points": {keys[0]: 50, keys[1]: 40}}).status_code == 422
    assert anna.post(url, {"points": {keys[0]: 60, keys[1]: 40}}).status_code == 201
    assert anna.post(url, {"points": {keys[0]: 60, keys[1]: 40}}).status_code == 422
    assert ben.get(url).json() == {}
    assert anna.get(url).json() == {str(fin.a.pk): {keys[0]: 60, keys[1]: 40}}
    assert str(fin.a.pk) in token_client(service.mediator).get(url).json()
    assert ben.get(f"/cases/{fin.case.pk}/suggestions").status_code == 404
    plan = sc.scenario_create(actor=service.mediator, case=fin.case, title="API-PLAN")
    assert ben.get(f"/cases/{fin.case.pk}/scenarios").json() == []
    sc.scenario_share(actor=service.mediator, scenario=plan, audience="private", participant=fin.b)
    listed = ben.get(f"/cases/{fin.case.pk}/scenarios").json()
    assert listed[0]["title"] == "API-PLAN" and "capital_pence" in listed[0]["results"]["a"]
    assert anna.get(f"/cases/{fin.case.pk}/scenarios").json() == []
