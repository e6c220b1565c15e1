"""Outcome pages through the client: the panel, editing with field errors, steps by role, 404s."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.cases.models import Participant
from accord.cases.workspace import section_url
from accord.outcomes import content, services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus
from accord.outcomes.tests.helpers import civil_agreed, family_agreed, snapshot

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mediator_starts_an_mou_from_the_workspace_and_sees_its_preview(service):
    family_agreed(service)
    client = _client(service.mediator)
    case = service.case
    workspace = client.get(section_url(case.pk, "outcomes")).content.decode()
    assert "Start a Memorandum of Understanding" in workspace
    response = client.post(reverse("outcomes:create", args=[case.pk]), {"kind": "mou"})
    draft = OutcomeDraft.objects.get()
    assert response.status_code == 302
    detail = reverse("outcomes:detail", args=[case.pk, draft.pk])
    assert response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Alternate weekends, Friday 5pm to Sunday 5pm." in page
    assert "Issue" in page and "Edit the draft" in page
    # The preview reads in the document's order: introduction, proposals, next steps.
    preview = page.split('id="preview-heading"', 1)[1]
    order = [preview.index(heading) for heading in ("Introduction", "Proposals", "Next steps")]
    assert order == sorted(order)


def test_a_bad_amount_shows_a_field_error_and_saves_nothing(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    client = _client(service.mediator2)
    url = reverse("outcomes:edit", args=[case.pk, draft.pk])
    assert client.get(url).status_code == 200
    data = {k: v for k, v in content.as_fields("settlement", draft.sections).items() if v}
    before = snapshot()
    response = client.post(url, {**data, "term_1_amount": "twelve pounds"})
    assert response.status_code == 422
    assert "Enter an amount in pounds and pence, like 1234.50." in response.content.decode()
    response = client.post(url, {**data, "term_1_due_date": "31/02/2026"})
    assert response.status_code == 422
    assert "Enter the date for term 1 as a real date, like 5 12 2026." in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {**data, "term_1_amount": "£2,500"})
    assert response.status_code == 302
    page = client.get(reverse("outcomes:detail", args=[case.pk, draft.pk])).content.decode()
    assert "£2,500.00" in page
    assert "needs the supervisor" in page


def test_the_trainee_sends_for_approval_and_the_supervisor_approves(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    trainee = _client(service.mediator2)
    before = snapshot()
    trainee.post(reverse("outcomes:issue", args=[case.pk, draft.pk]), {"confirm": "yes"})
    assert snapshot()["versions"] == before["versions"]
    trainee.post(reverse("outcomes:step", args=[case.pk, draft.pk, "submit"]))
    assert OutcomeDraft.objects.get().status == OutcomeStatus.AWAITING_APPROVAL
    assert (
        trainee.post(reverse("outcomes:step", args=[case.pk, draft.pk, "approve"])).status_code
        == 403
    )
    supervisor = _client(service.supervisor)
    page = supervisor.get(reverse("outcomes:detail", args=[case.pk, draft.pk])).content.decode()
    assert "Approve" in page
    supervisor.post(reverse("outcomes:step", args=[case.pk, draft.pk, "approve"]))
    trainee.post(reverse("outcomes:issue", args=[case.pk, draft.pk]), {"confirm": "yes"})
    draft = OutcomeDraft.objects.get()
    assert draft.status == OutcomeStatus.ISSUED
    carol = Participant.objects.get(full_name="Carol Brown")
    response = trainee.post(
        reverse("outcomes:share", args=[case.pk, draft.pk]), {"participants": [str(carol.pk)]}
    )
    assert response.status_code == 302
    portal = _client(service.parties["carol"]).get(reverse("portal:case", args=[case.pk]))
    assert "Settlement agreement" in portal.content.decode()


def test_editing_an_issued_outcome_is_refused_by_the_page(service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    client = _client(service.mediator)
    before = snapshot()
    url = reverse("outcomes:edit", args=[service.case.pk, draft.pk])
    response = client.post(url, {"item_1_title": "Changed", "item_1_wording": "Changed"})
    assert response.status_code == 422
    assert "can no longer be edited" in response.content.decode()
    assert snapshot() == before


def test_parties_and_other_services_cannot_reach_outcome_pages(service, other_service):
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    before = snapshot()
    for user in (service.parties["alice"], other_service.mediator):
        client = _client(user)
        assert (
            client.get(reverse("outcomes:detail", args=[service.case.pk, draft.pk])).status_code
            == 404
        )
        assert (
            client.post(
                reverse("outcomes:create", args=[service.case.pk]), {"kind": "parenting_plan"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("outcomes:share", args=[service.case.pk, draft.pk]), {}).status_code
            == 404
        )
    portal = _client(service.parties["alice"]).get(reverse("portal:case", args=[service.case.pk]))
    assert "Memorandum of Understanding" not in portal.content.decode()
    assert snapshot() == before


def test_a_party_signs_an_issued_settlement_from_the_portal(service):
    civil_agreed(service)
    case = service.cases["civil"]
    draft = services.outcome_draft_create(actor=service.mediator2, case=case, kind="settlement")
    fields = content.as_fields("settlement", draft.sections)
    fields["term_1_amount"] = "1234.50"
    draft = services.outcome_draft_update(actor=service.mediator2, draft=draft, fields=fields)
    services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    services.outcome_approve(actor=service.supervisor, draft=draft)
    draft = services.outcome_issue(actor=service.mediator2, draft=draft, confirm=True)
    sign_url = reverse("agreements:portal_sign", args=[case.pk, draft.signing_packet_id])
    carol = _client(service.parties["carol"])
    portal = carol.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert sign_url in portal
    page = carol.get(sign_url).content.decode()
    assert "£1,234.50" in page
    response = carol.post(sign_url, {"typed_name": "Carol Brown", "confirm": "on"})
    assert response.status_code == 302
    staff = _client(service.mediator2).get(reverse("outcomes:detail", args=[case.pk, draft.pk]))
    assert "Carol Brown: signed" in staff.content.decode()
    # Bob, a party of another case, cannot reach Carol's document to sign.
    assert _client(service.parties["bob"]).get(sign_url).status_code == 404
