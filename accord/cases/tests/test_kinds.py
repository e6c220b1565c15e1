"""Kinds of case and the parts that apply to them, as data."""

from __future__ import annotations

import pytest

from accord.cases import kinds
from accord.cases.models import CaseKind
from accord.cases.workflows import EVENTS, WORKFLOWS, workflow_for


def test_every_kind_of_case_has_a_specification_with_its_own_workflow():
    assert set(kinds.KINDS) == set(CaseKind.values)
    for code, spec in kinds.KINDS.items():
        assert spec.code == code
        assert spec.label == CaseKind(code).label
        assert spec.workflow is workflow_for(code)
        assert spec.enquiry_form in {"family", "send", "general"}
        assert spec.session_formats and set(spec.session_formats) <= {"joint", "shuttle"}
        assert spec.outcome_kinds


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown kind of case 'divorce'"):
        kinds.kind_spec("divorce")


@pytest.mark.parametrize(
    "part, family, send, general",
    [
        ("miam", True, False, False),
        ("screening", True, False, False),
        ("miam_certificate", True, False, False),
        ("funding", True, False, False),
        ("willingness", True, False, True),
        ("suitability", True, False, True),
        ("agreement", True, True, True),
        ("sessions", True, True, True),
        ("outcomes", True, True, True),
        ("safeguarding", True, True, True),
    ],
)
def test_parts_apply_to_the_kinds_they_name(part, family, send, general):
    for kind in kinds.FAMILY_KINDS:
        assert kinds.applies(kind, part) is family
    assert kinds.applies("send", part) is send
    for kind in kinds.GENERAL_KINDS:
        assert kinds.applies(kind, part) is general


def test_parts_for_a_kind_come_in_workspace_order_and_only_those_that_apply():
    civil = [part.code for part in kinds.parts_for("civil")]
    assert "miam" not in civil and "funding" not in civil
    assert civil.index("suitability") < civil.index("sessions") < civil.index("outcomes")
    orders = [part.order for part in kinds.parts_for("family_all")]
    assert orders == sorted(orders)


def test_the_refusal_names_the_part_and_the_kind():
    message = kinds.refusal("civil", "miam")
    assert message == "MIAMs apply only to family mediation; this case is civil mediation."
    assert "SEND" not in kinds.refusal("workplace", "funding")
    assert kinds.refusal("send", "willingness") == (
        "Invitations to the other party apply only to family, civil, workplace and community "
        "mediation; this case is SEND mediation."
    )


def test_a_later_part_registers_itself_and_cannot_be_registered_differently():
    part = kinds.Part("test_disclosure", "Disclosure", kinds.FINANCE_KINDS, "finance")
    try:
        kinds.register_part(part)
        kinds.register_part(part)  # an app loaded twice is harmless
        assert kinds.applies("family_finance", "test_disclosure")
        assert not kinds.applies("family_children", "test_disclosure")
        assert "family cases about money and property" in kinds.refusal("civil", "test_disclosure")
        with pytest.raises(ValueError, match="already registered differently"):
            kinds.register_part(kinds.Part("test_disclosure", "Other", kinds.ALL_KINDS, "x"))
        with pytest.raises(ValueError, match="unknown kinds"):
            kinds.register_part(kinds.Part("test_bad", "Bad", frozenset({"divorce"}), "x"))
    finally:
        kinds._PARTS.pop("test_disclosure", None)


def test_outcome_kinds_follow_the_kind_of_case():
    assert kinds.kind_spec("send").outcome_kinds == ("written_agreement",)
    assert "parenting_plan" not in kinds.kind_spec("family_finance").outcome_kinds
    assert "parenting_plan" in kinds.kind_spec("family_children").outcome_kinds
    assert "mou" not in kinds.kind_spec("civil").outcome_kinds


_WORKFLOWS = sorted({workflow.name: workflow for workflow in WORKFLOWS.values()}.items())


@pytest.mark.parametrize("name, workflow", _WORKFLOWS)
def test_events_imply_open_stages_and_advance_only_forwards(name, workflow):
    for event, stage in workflow.implied:
        assert event in EVENTS
        assert workflow.has_stage(stage) and stage != "closed"
    codes = [stage.code for stage in workflow.stages]
    for index, code in enumerate(codes):
        for later in codes[index + 1 :]:
            assert workflow.advances(code, later) is (later != "closed" and code != "closed")
        for earlier in codes[:index]:
            assert not workflow.advances(code, earlier)
    assert not workflow.advances("closed", codes[1])


def test_family_events_follow_the_family_path_in_order():
    family = workflow_for("family_children")
    path = [
        family.stage_implied_by(event)
        for event in (
            "other_party_invited",
            "miam_booked",
            "miams_held",
            "suitability_decided",
            "agreement_signed",
            "session_started",
            "outcome_issued",
        )
    ]
    assert path == [
        "willingness",
        "miam",
        "suitability",
        "agreement",
        "mediation",
        "mediation",
        "outcome",
    ]
    assert workflow_for("civil").stage_implied_by("miam_booked") is None


@pytest.mark.django_db
def test_a_case_of_a_kind_the_service_does_not_offer_is_refused_and_nothing_saved():
    from accord.cases import services as case_services
    from accord.cases.models import Case
    from accord.core.errors import ValidationFailed
    from accord.testing.factories import build_service

    service = build_service(kinds_offered=("family_children", "family_finance"))
    before = Case.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        case_services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind="workplace",
            title="Taylor / Singh",
        )
    assert "does not offer Workplace mediation" in refused.value.field_errors["kind"][0]
    assert Case.objects.count() == before
