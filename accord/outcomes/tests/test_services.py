"""Outcome services: drafting from agreed items, approval, issue through the pipeline, sharing."""

from __future__ import annotations

import pytest

from accord.agreements.models import SigningPacket
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.documents.selectors import portal_documents
from accord.documents.tests.pdftext import pdf_text
from accord.organisations.models import Role
from accord.outcomes import content, services
from accord.outcomes.models import OutcomeStatus
from accord.outcomes.tests.helpers import civil_agreed, family_agreed, snapshot
from accord.safeguarding.services import CasePaused
from accord.testing.factories import staff_member

pytestmark = pytest.mark.django_db


def _pdf(draft) -> str:
    draft.issued_version.content.open("rb")
    try:
        # Long lines wrap in the PDF: compare text with its whitespace collapsed.
        return " ".join(pdf_text(draft.issued_version.content.read()).split())
    finally:
        draft.issued_version.content.close()


def test_an_mou_is_prefilled_issued_by_an_accredited_mediator_and_shows_the_wording(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    assert [i["title"] for i in draft.sections["items"]] == ["Weekends", "The house"]
    draft = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    assert draft.status == OutcomeStatus.ISSUED and draft.signing_packet is None
    text = _pdf(draft)
    assert "Alternate weekends, Friday 5pm to Sunday 5pm." in text
    assert "without prejudice" in text.lower() and "not legally binding" in text


def test_a_parenting_plan_has_every_cafcass_heading_and_only_childrens_items(service):
    family_agreed(service)
    draft = services.outcome_draft_create(
        actor=service.mediator, case=service.case, kind="parenting_plan"
    )
    assert any("Alternate weekends" in i["wording"] for i in draft.sections["items"])
    text = _pdf(services.outcome_issue(actor=service.mediator, draft=draft, confirm=True))
    for _, heading in content.CAFCASS_HEADINGS:
        assert heading in text
    assert "The house is sold" not in text
    assert "To discuss." in text and "not legally binding" in text
    assert "Alice Smith" in text and "consent order" in text


def test_a_parenting_plan_needs_an_agreed_item_about_the_children(service):
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.outcome_draft_create(
            actor=service.mediator, case=service.case, kind="parenting_plan"
        )
    assert snapshot() == before


def test_only_kinds_fitting_the_case_and_one_live_draft_of_each(service):
    family_agreed(service)
    services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    before = snapshot()
    for kind in ("settlement", "mou"):
        with pytest.raises(ValidationFailed):
            services.outcome_draft_create(actor=service.mediator, case=service.case, kind=kind)
    assert snapshot() == before


def _settlement(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    fields = content.as_fields("settlement", draft.sections)
    fields.update(
        {"term_1_amount": "1234.5", "term_1_due_date": "2026-12-31", "term_1_who": "Acme"}
    )
    return services.outcome_draft_update(actor=service.mediator2, draft=draft, fields=fields)


def test_settlement_sums_are_stored_exactly_and_printed_in_pounds(service):
    draft = _settlement(service)
    assert draft.sections["terms"][0]["amount"] == "1234.50"
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    services.outcome_approve(actor=service.supervisor, draft=draft)
    draft = services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    text = _pdf(draft)
    assert "£1,234.50" in text and "Carol Brown" in text and "Confidentiality" in text


def test_bad_money_is_a_field_error_and_saves_nothing(service):
    draft = _settlement(service)
    before = snapshot()
    fields = content.as_fields("settlement", draft.sections)
    fields["term_1_amount"] = "12.345"
    with pytest.raises(ValidationFailed) as exc:
        services.outcome_draft_update(actor=service.mediator2, draft=draft, fields=fields)
    assert exc.value.field_errors == {
        "term_1_amount": ["Enter an amount in pounds and pence, like 1234.50."]
    }
    assert snapshot() == before


def test_a_mediator_who_is_not_accredited_cannot_issue_without_approval(service):
    draft = _settlement(service)
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    assert "approval" in exc.value.message
    draft = services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    with pytest.raises(ValidationFailed):
        services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    assert snapshot()["versions"] == before["versions"]


def test_only_the_supervisor_approves(service):
    draft = _settlement(service)
    draft = services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    other_supervisor = staff_member(service.organisation, Role.SUPERVISOR, name="Other PPC")
    before = snapshot()
    for who in (service.mediator2, service.admin, service.coordinator):
        with pytest.raises(NotPermitted):
            services.outcome_approve(actor=who, draft=draft)
    with pytest.raises(NotFoundOrHidden):
        services.outcome_approve(actor=other_supervisor, draft=draft)
    with pytest.raises(NotFoundOrHidden):
        services.outcome_approve(actor=service.parties["carol"], draft=draft)
    assert snapshot() == before
    draft = services.outcome_approve(actor=service.supervisor, draft=draft)
    assert draft.approved_by == service.supervisor and draft.approved_at is not None


def test_the_drafters_own_ppc_may_approve_when_they_can_see_the_case(service):
    draft = _settlement(service)
    draft = services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    case = service.cases["civil"]
    ppc = staff_member(service.organisation, Role.SUPERVISOR, name="Trainee PPC")
    from accord.organisations.models import MediatorProfile

    MediatorProfile.objects.filter(user=service.mediator2).update(supervisor=ppc)
    Case.objects.filter(pk=case.pk).update(supervisor=ppc)
    draft = services.outcome_approve(actor=ppc, draft=draft)
    assert draft.status == OutcomeStatus.APPROVED


def test_editing_after_submission_or_issue_is_refused(service):
    draft = _settlement(service)
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    services.outcome_approve(actor=service.supervisor, draft=draft)
    draft = services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.outcome_draft_update(
            actor=service.mediator2,
            draft=draft,
            fields=content.as_fields("settlement", draft.sections),
        )
    with pytest.raises(ValidationFailed):
        services.outcome_withdraw(actor=service.mediator2, draft=draft)
    with pytest.raises(ValidationFailed):
        services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    assert snapshot() == before


def test_a_settlement_gets_a_signing_packet_for_the_parties(service):
    draft = _settlement(service)
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    services.outcome_approve(actor=service.supervisor, draft=draft)
    draft = services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    assert draft.signing_packet_id is not None
    packet = SigningPacket.objects.get(pk=draft.signing_packet_id)
    assert packet.purpose == "outcome"
    assert [p.full_name for p in packet.required.all()] == ["Carol Brown"]
    assert "£1,234.50" in packet.text


def test_a_party_sees_only_what_is_shared_with_them(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    draft = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    assert not portal_documents(user=service.parties["alice"], case=service.case).exists()
    services.outcome_share(actor=service.mediator, draft=draft, participants=[alice])
    shares = portal_documents(user=service.parties["alice"], case=service.case)
    assert [s.version_id for s in shares] == [draft.issued_version_id]
    assert not portal_documents(user=service.parties["bob"], case=service.case).exists()


def test_sharing_is_refused_before_issue_and_for_strangers(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    carol = Participant.objects.get(full_name="Carol Brown")
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.outcome_share(actor=service.mediator, draft=draft, participants=[alice])
    draft = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.outcome_share(actor=service.mediator, draft=draft, participants=[carol])
    with pytest.raises(NotPermitted):
        services.outcome_share(actor=service.supervisor, draft=draft, participants=[alice])
    assert snapshot() == before


def test_nothing_is_drafted_or_issued_while_the_case_is_paused(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    before = snapshot()
    with pytest.raises(CasePaused):
        services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    with pytest.raises(CasePaused):
        services.outcome_draft_create(
            actor=service.mediator, case=service.case, kind="parenting_plan"
        )
    assert snapshot() == before


def test_returning_to_draft_lapses_the_approval_and_allows_editing(service):
    draft = _settlement(service)
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    draft = services.outcome_approve(actor=service.supervisor, draft=draft)
    draft = services.outcome_return_to_draft(actor=service.mediator2, draft=draft)
    assert draft.status == OutcomeStatus.DRAFT and draft.approved_by is None
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    assert snapshot() == before
    fields = content.as_fields("settlement", draft.sections)
    fields["timeline"] = "Within 28 days."
    draft = services.outcome_draft_update(actor=service.mediator2, draft=draft, fields=fields)
    assert draft.sections["timeline"] == "Within 28 days."


def test_a_withdrawn_outcome_can_be_started_again(service):
    family_agreed(service)
    first = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    before = snapshot()
    with pytest.raises(NotPermitted):
        services.outcome_withdraw(actor=service.coordinator, draft=first)
    assert snapshot() == before
    services.outcome_withdraw(actor=service.mediator, draft=first)
    second = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    assert second.pk != first.pk and second.status == OutcomeStatus.DRAFT
