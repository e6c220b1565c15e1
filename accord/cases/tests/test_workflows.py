"""The workflows as data: every kind of case has sound stages and moves."""

from __future__ import annotations

import itertools

import pytest

from accord.cases.models import CaseKind
from accord.cases.workflows import CIVIL, FAMILY, SEND, WORKFLOWS, workflow_for

ALL = sorted({workflow.name: workflow for workflow in WORKFLOWS.values()}.items())


def test_every_kind_of_case_has_a_workflow():
    assert set(WORKFLOWS) == set(CaseKind.values)
    for kind in CaseKind.values:
        assert workflow_for(kind) is WORKFLOWS[kind]


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown case kind 'divorce'"):
        workflow_for("divorce")


@pytest.mark.parametrize("name, workflow", ALL)
def test_stages_are_unique_start_at_enquiry_and_end_closed(name, workflow):
    codes = [stage.code for stage in workflow.stages]
    assert len(codes) == len(set(codes))
    assert workflow.first.code == "enquiry"
    assert codes[-1] == "closed"
    for stage in workflow.stages:
        assert stage.label and stage.next_step


@pytest.mark.parametrize("name, workflow", ALL)
def test_each_open_stage_moves_on_in_order_and_can_close(name, workflow):
    open_stages = [stage.code for stage in workflow.stages if stage.code != "closed"]
    for current, following in itertools.pairwise(open_stages):
        assert workflow.allows(current, following), (current, following)
    for code in open_stages:
        assert workflow.allows(code, "closed")
        assert not workflow.allows(code, code)


@pytest.mark.parametrize("name, workflow", ALL)
def test_no_move_goes_back_except_the_listed_returns(name, workflow):
    order = {stage.code: index for index, stage in enumerate(workflow.stages)}
    backwards = {(frm, to) for frm, to in workflow.moves if order[to] < order[frm]}
    expected = {
        "Family mediation": {("outcome", "mediation"), ("closed", "mediation")},
        "SEND mediation": set(),
    }.get(name, {("outcome", "mediation"), ("closed", "mediation")})
    assert backwards == expected


def test_allowed_moves_are_listed_in_workflow_order():
    assert [stage.code for stage in FAMILY.allowed_from("enquiry")] == [
        "willingness",
        "miam",
        "closed",
    ]
    assert [stage.code for stage in FAMILY.allowed_from("closed")] == ["mediation"]
    assert SEND.allowed_from("closed") == ()


def test_family_may_skip_the_invitation_but_nothing_else():
    assert FAMILY.allows("enquiry", "miam")
    assert not FAMILY.allows("enquiry", "suitability")
    assert not FAMILY.allows("miam", "mediation")


def test_send_may_go_straight_to_the_certificate_only_where_the_regulations_allow():
    for stage in ("enquiry", "arranging", "meeting", "outcome"):
        assert SEND.allows(stage, "certificate"), stage
    assert not SEND.allows("preparation", "certificate")


def test_a_stage_lookup_fails_loudly_for_an_unknown_code():
    with pytest.raises(KeyError):
        CIVIL.stage("miam")
    assert not CIVIL.has_stage("miam")
    assert FAMILY.has_stage("miam")
