"""The route suggested from screening answers: pure logic, no database."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.meetings.routing import ANSWERS, NO, UNSURE, YES, Answers, Route, combine, suggest_route

QUESTIONS = [
    "physical_abuse",
    "emotional_abuse",
    "coercive_control",
    "financial_abuse",
    "fear_of_other_party",
    "risk_to_children",
    "childrens_services",
    "police_or_court",
]
FLAGS = ["injunction", "non_molestation_order", "bail_conditions"]

#: Other test runs share the machine: judge the logic, not how fast inputs are generated.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answers(**values: Any) -> Answers:
    """Answers with only the given questions changed from "no"."""
    return Answers(**values)


answers_strategy = st.builds(
    Answers,
    **{name: st.sampled_from(ANSWERS) for name in QUESTIONS},
    **{flag: st.booleans() for flag in FLAGS},
)


def test_no_risk_indicators_suggest_joint_mediation():
    suggestion = suggest_route(Answers())
    assert suggestion.route is Route.JOINT
    assert suggestion.reasons == ("No risk indicators were reported.",)


def test_a_risk_to_children_suggests_referral_and_a_safeguarding_concern():
    suggestion = suggest_route(Answers(risk_to_children=YES))
    assert suggestion.route is Route.REFER
    assert "safeguarding concern" in suggestion.reasons[0]


def test_physical_abuse_with_fear_suggests_specialist_support():
    suggestion = suggest_route(Answers(physical_abuse=YES, fear_of_other_party=YES))
    assert suggestion.route is Route.REFER
    assert any("domestic abuse support" in r for r in suggestion.reasons)


def test_coercive_control_without_fear_is_not_suitable():
    assert suggest_route(Answers(coercive_control=YES)).route is Route.NOT_SUITABLE


@pytest.mark.parametrize("flag", FLAGS)
def test_a_protective_order_or_bail_makes_mediation_not_suitable(flag):
    suggestion = suggest_route(_answers(**{flag: True}))
    assert suggestion.route is Route.NOT_SUITABLE
    assert "may forbid contact" in suggestion.reasons[0]


@pytest.mark.parametrize(
    "name", ["emotional_abuse", "financial_abuse", "fear_of_other_party", "police_or_court"]
)
def test_lesser_indicators_suggest_shuttle_mediation(name):
    assert suggest_route(_answers(**{name: YES})).route is Route.SHUTTLE
    assert suggest_route(_answers(**{name: UNSURE})).route is Route.SHUTTLE


def test_unsure_about_the_children_suggests_shuttle_not_joint():
    assert suggest_route(Answers(risk_to_children=UNSURE)).route is Route.SHUTTLE


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError):
        Answers(physical_abuse="maybe")


@relaxed
@given(answers_strategy)
def test_every_suggestion_has_reasons_and_joint_only_without_indicators(answers):
    suggestion = suggest_route(answers)
    assert suggestion.reasons
    indicators = any(getattr(answers, q) != NO for q in QUESTIONS) or any(
        getattr(answers, f) for f in FLAGS
    )
    assert (suggestion.route is Route.JOINT) == (not indicators)


@relaxed
@given(answers_strategy, st.sampled_from(QUESTIONS + FLAGS))
def test_a_worse_answer_never_suggests_a_less_protective_route(answers, name):
    before = suggest_route(answers).route
    value = getattr(answers, name)
    if isinstance(value, bool):
        worse = dataclasses.replace(answers, **{name: True})
    else:
        # One step worse: no becomes unsure, unsure becomes yes.
        ladder = [NO, UNSURE, YES]
        worse_value = ladder[min(ladder.index(value) + 1, 2)]
        worse = dataclasses.replace(answers, **{name: worse_value})
    assert suggest_route(worse).route >= before


@relaxed
@given(st.lists(answers_strategy, min_size=1, max_size=4))
def test_the_case_suggestion_is_the_most_protective_of_the_parties(many):
    suggestions = [suggest_route(a) for a in many]
    combined = combine(suggestions)
    assert combined is not None
    assert combined.route == max(s.route for s in suggestions)
    assert combined.reasons


def test_no_screenings_means_no_case_suggestion():
    assert combine([]) is None
