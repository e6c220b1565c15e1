"""Confirmation before issue, corrections as new versions, and the supervisor's email."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.agreements.models import SigningPacket
from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines.models import OutboundEmail
from accord.documents.models import DocumentShare
from accord.outcomes import content, services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus
from accord.outcomes.tests.helpers import civil_agreed, family_agreed, snapshot

pytestmark = pytest.mark.django_db

REASON = "The weekend handover time was wrong."


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _issued_mou(service: Any, *, share: bool = True) -> OutcomeDraft:
    """The family case's MoU, issued and shared with Alice, Bob and their solicitor."""
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    draft = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    if share:
        solicitor = case_services.participant_add(
            actor=service.coordinator,
            case=service.case,
            role="solicitor",
            full_name="Sam Solicitor",
            email="sam@law.example",
        )
        people = [*Participant.objects.filter(case=service.case, role="party"), solicitor]
        services.outcome_share(actor=service.mediator, draft=draft, participants=people)
    return draft


def _corrected(service: Any, draft: OutcomeDraft) -> OutcomeDraft:
    correction = services.outcome_correction_start(
        actor=service.mediator, draft=draft, reason=REASON
    )
    fields = content.as_fields("mou", correction.sections)
    fields["item_1_wording"] = "Alternate weekends, Friday 6pm to Sunday 6pm."
    return services.outcome_draft_update(actor=service.mediator, draft=correction, fields=fields)


# Confirmation


def test_the_service_refuses_to_issue_without_confirmation(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    before = snapshot()
    for confirm in (False, None, "yes", 1):
        with pytest.raises(ValidationFailed) as caught:
            services.outcome_issue(actor=service.mediator, draft=draft, confirm=confirm)  # type: ignore[arg-type]
        assert "only corrected by a new version" in caught.value.message
        assert "confirm" in caught.value.field_errors
    with pytest.raises(ValidationFailed):
        services.outcome_issue(actor=service.mediator, draft=draft)
    assert snapshot() == before
    draft = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    assert draft.status == OutcomeStatus.ISSUED


def test_the_issue_button_leads_to_a_confirmation_page(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    client = _client(service.mediator)
    detail = client.get(reverse("outcomes:detail", args=[service.case.pk, draft.pk]))
    url = reverse("outcomes:issue", args=[service.case.pk, draft.pk])
    assert f'action="{url}"' in detail.content.decode()
    before = snapshot()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Issued documents cannot be changed, only corrected by a new version." in html
    assert "Issue the Memorandum of Understanding" in html
    assert "Nobody outside the case team sees it until you share it" in html
    assert snapshot() == before
    # A POST without the confirmation issues nothing.
    response = client.post(url, {})
    assert response.status_code == 422
    assert "Confirm the issue to go ahead." in response.content.decode()
    assert snapshot() == before
    # The old one-click step no longer issues.
    client.post(reverse("outcomes:step", args=[service.case.pk, draft.pk, "issue"]))
    assert snapshot() == before
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert OutcomeDraft.objects.get().status == OutcomeStatus.ISSUED


def test_the_confirmation_page_names_the_signers_and_is_for_mediators_only(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    url = reverse("outcomes:issue", args=[case.pk, draft.pk])
    html = _client(service.mediator2).get(url).content.decode()
    assert "Carol Brown" in html and "needs the supervisor" in html
    assert _client(service.supervisor).get(url).status_code == 403
    assert _client(service.parties["carol"]).get(url).status_code == 404


# Corrections


def test_a_correction_supersedes_the_old_version_and_tells_its_recipients(service):
    old = _issued_mou(service)
    old_version = old.issued_version
    assert old_version is not None
    emails_before = OutboundEmail.objects.count()
    correction = _corrected(service, old)
    assert correction.status == OutcomeStatus.DRAFT
    assert correction.version_number == 2 and correction.previous_id == old.pk
    assert correction.correction_reason == REASON
    started = AuditEvent.objects.get(action="outcomes.correction_started")
    assert started.details["previous_id"] == old.pk and REASON not in str(started.details)
    # Nothing changes for the recipients until the correction is issued.
    old.refresh_from_db()
    assert old.status == OutcomeStatus.ISSUED and OutboundEmail.objects.count() == emails_before

    new = services.outcome_issue(actor=service.mediator, draft=correction, confirm=True)
    old.refresh_from_db()
    assert new.status == OutcomeStatus.ISSUED
    assert old.status == OutcomeStatus.SUPERSEDED and old.superseded_at == new.issued_at
    # Both PDFs are kept, as versions 1 and 2 of the same document.
    assert old.issued_version_id == old_version.pk
    new_version = new.issued_version
    assert new_version is not None and new_version.document_id == old_version.document_id
    assert (old_version.number, new_version.number) == (1, 2)
    # Everyone who had version 1 (parties and the solicitor) now has version 2 and is told.
    had = set(
        DocumentShare.objects.filter(version=old_version).values_list("participant", flat=True)
    )
    has = set(
        DocumentShare.objects.filter(version=new.issued_version).values_list(
            "participant", flat=True
        )
    )
    assert had == has and len(had) == 3
    emails = OutboundEmail.objects.filter(subject__contains="corrected")
    assert sorted(e.to_email for e in emails) == sorted(
        ["alice@riverside.example", "bob@riverside.example", "sam@law.example"]
    )
    for email in emails:
        assert "Friday" not in email.body and REASON not in email.body
    superseded = AuditEvent.objects.get(action="outcomes.superseded")
    assert superseded.details["superseded_by"] == new.pk
    assert sorted(superseded.details["recipient_ids"]) == sorted(had)


def test_superseded_versions_are_marked_on_the_staff_page_and_in_the_portal(service):
    old = _issued_mou(service)
    new = services.outcome_issue(
        actor=service.mediator, draft=_corrected(service, old), confirm=True
    )
    old.refresh_from_db()
    staff = _client(service.mediator)
    page = staff.get(reverse("outcomes:detail", args=[service.case.pk, old.pk])).content.decode()
    assert "Superseded by" in page and "version 2" in page and REASON in page
    assert reverse("documents:download", args=[old.issued_version_id]) in page
    assert "Correct by a new version" not in page
    page = staff.get(reverse("outcomes:detail", args=[service.case.pk, new.pk])).content.decode()
    assert "Correct by a new version" in page and "This version corrects" in page
    workspace = staff.get(
        reverse("cases:detail", args=[service.case.pk]) + "?section=outcomes"
    ).content.decode()
    assert "Memorandum of Understanding, version 2" in workspace

    alice = _client(service.parties["alice"])
    portal = alice.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    panel = portal.split('id="portal-outcomes-heading"', 1)[1].split("</section>", 1)[0]
    assert "Current version" in panel and "Superseded by version 2" in panel and REASON in panel
    assert panel.index(f"portal-outcome-{new.pk}") < panel.index(f"portal-outcome-{old.pk}")
    # The superseded PDF can still be downloaded by those it was shared with.
    assert alice.get(reverse("documents:download", args=[old.issued_version_id])).status_code == 200


def test_a_party_not_sent_the_outcome_sees_neither_version(service):
    old = _issued_mou(service, share=False)
    services.outcome_issue(actor=service.mediator, draft=_corrected(service, old), confirm=True)
    portal = _client(service.parties["alice"]).get(reverse("portal:case", args=[service.case.pk]))
    assert "portal-outcomes-heading" not in portal.content.decode()


def test_a_correction_by_a_trainee_needs_approval_again_and_voids_the_old_signing(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    services.outcome_approve(actor=service.supervisor, draft=draft)
    old = services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    correction = services.outcome_correction_start(
        actor=service.mediator2, draft=old, reason="Wrong amount."
    )
    before = snapshot()
    with pytest.raises(ValidationFailed, match="approval"):
        services.outcome_issue(actor=service.mediator2, draft=correction, confirm=True)
    assert snapshot() == before
    services.outcome_submit_for_approval(actor=service.mediator2, draft=correction)
    services.outcome_approve(actor=service.supervisor, draft=correction)
    new = services.outcome_issue(actor=service.mediator2, draft=correction, confirm=True)
    assert old.signing_packet is not None and new.signing_packet is not None
    assert SigningPacket.objects.get(pk=old.signing_packet.pk).status == "void"
    assert SigningPacket.objects.get(pk=new.signing_packet.pk).status == "open"


def test_bad_corrections_are_refused_and_save_nothing(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    before = snapshot()
    with pytest.raises(ValidationFailed, match="Only an issued outcome"):
        services.outcome_correction_start(actor=service.mediator, draft=draft, reason=REASON)
    assert snapshot() == before
    old = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    before = snapshot()
    for reason in ("", "   "):
        with pytest.raises(ValidationFailed) as caught:
            services.outcome_correction_start(actor=service.mediator, draft=old, reason=reason)
        assert "reason" in caught.value.field_errors
    with pytest.raises(ValidationFailed):
        services.outcome_correction_start(actor=service.mediator, draft=old, reason="x" * 2001)
    with pytest.raises(NotPermitted):
        services.outcome_correction_start(actor=service.supervisor, draft=old, reason=REASON)
    assert snapshot() == before
    correction = services.outcome_correction_start(actor=service.mediator, draft=old, reason=REASON)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="already under way"):
        services.outcome_correction_start(actor=service.mediator, draft=old, reason=REASON)
    assert snapshot() == before
    services.outcome_issue(actor=service.mediator, draft=correction, confirm=True)
    old.refresh_from_db()
    before = snapshot()
    with pytest.raises(ValidationFailed, match="superseded by version 2"):
        services.outcome_correction_start(actor=service.mediator, draft=old, reason=REASON)
    for step in (services.outcome_withdraw, services.outcome_submit_for_approval):
        with pytest.raises(ValidationFailed):
            step(actor=service.mediator, draft=old)
    with pytest.raises(ValidationFailed):
        services.outcome_issue(actor=service.mediator, draft=old, confirm=True)
    assert snapshot() == before


def test_a_withdrawn_correction_leaves_the_issued_version_current(service):
    old = _issued_mou(service, share=False)
    correction = services.outcome_correction_start(actor=service.mediator, draft=old, reason=REASON)
    services.outcome_withdraw(actor=service.mediator, draft=correction)
    old.refresh_from_db()
    assert old.status == OutcomeStatus.ISSUED
    again = services.outcome_correction_start(actor=service.mediator, draft=old, reason=REASON)
    assert again.version_number == 2


def test_the_correction_page_needs_a_reason(service):
    old = _issued_mou(service, share=False)
    client = _client(service.mediator)
    url = reverse("outcomes:correct", args=[service.case.pk, old.pk])
    assert (
        "Correct by a new version"
        in client.get(reverse("outcomes:detail", args=[service.case.pk, old.pk])).content.decode()
    )
    before = snapshot()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert "Enter the reason for the correction." in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {"reason": REASON})
    new = OutcomeDraft.objects.get(version_number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:detail", args=[service.case.pk, new.pk])
    # Correcting a draft through the page is refused on the form.
    response = client.post(
        reverse("outcomes:correct", args=[service.case.pk, new.pk]), {"reason": REASON}
    )
    assert response.status_code == 422 and "Only an issued outcome" in response.content.decode()
    assert _client(service.parties["alice"]).post(url, {"reason": REASON}).status_code == 404
    # The confirmation page says who will be told.
    confirm = client.get(reverse("outcomes:issue", args=[service.case.pk, new.pk])).content.decode()
    assert "It corrects version 1" in confirm and REASON in confirm


# The supervisor's email


def test_the_supervisor_is_emailed_when_a_draft_is_sent_for_approval(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    email = OutboundEmail.objects.get(to_email=service.supervisor.email)
    assert case.reference in email.subject
    assert reverse("outcomes:detail", args=[case.pk, draft.pk]) in email.body or (
        case.reference in email.body
    )
    assert "Acme pays" not in email.body and "Carol" not in email.body
    # Sent again after a return to draft: a second email, not a duplicate of the first.
    services.outcome_return_to_draft(actor=service.mediator2, draft=draft)
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    assert OutboundEmail.objects.filter(to_email=service.supervisor.email).count() == 2
