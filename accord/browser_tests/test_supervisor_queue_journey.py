"""The supervisor approves a trainee's MoU from their queue, and the trainee issues it (issue 9d).

The supervisor opens "Outcomes awaiting approval" from the dashboard, follows the MoU to its page
and approves it; the trainee then signs in and issues it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import screenshot, sign_in
from accord.cases.models import Case
from accord.outcomes import services as outcome_services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _document_storage(settings: Any, tmp_path: Any) -> None:
    """Issued documents go to a temporary folder, not the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def issue_outcome(page: Any) -> None:
    """Press "Issue", read the confirmation page (what, to whom, cannot be changed) and confirm."""
    page.get_by_role("button", name="Issue", exact=True).click()
    expect(page.locator("#issue-summary")).to_contain_text("What will be issued")
    page.get_by_role("button", name=re.compile(r"^Issue the ")).click()
    page.wait_for_load_state()


def test_the_supervisor_approves_the_trainees_mou_from_the_queue_and_the_trainee_issues_it(
    page, live_server, live_service
):
    service = live_service
    # The family case is the trainee's: their MoU needs the supervisor's approval.
    Case.objects.filter(pk=service.case.pk).update(
        lead_mediator=service.mediator2, supervisor=service.supervisor
    )
    case = Case.objects.get(pk=service.case.pk)
    draft = outcome_services.outcome_draft_create(actor=service.mediator2, case=case, kind="mou")
    outcome_services.outcome_submit_for_approval(actor=service.mediator2, draft=draft)

    sign_in(page, live_server.url, service.supervisor.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    queues = page.locator("section.queues")
    link = queues.get_by_role("link", name=re.compile(r"Outcomes awaiting approval"))
    expect(link).to_contain_text("1")
    link.click()
    page.wait_for_url(re.compile(r"/queues/outcomes-awaiting-approval/$"))
    expect(page.get_by_role("heading", name="Outcomes awaiting approval")).to_be_visible()
    expect(page.locator("table")).to_contain_text(service.mediator2.full_name)
    screenshot(page, "supervisor-queue")
    page.get_by_role("link", name="Memorandum of Understanding").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/outcomes/{draft.pk}/$"))
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/outcomes/{draft.pk}/$"))
    draft.refresh_from_db()
    assert draft.status == OutcomeStatus.APPROVED
    assert draft.approved_by_id == service.supervisor.pk

    # Approved, it has left the supervisor's queue.
    page.goto(f"{live_server.url}/cases/dashboard/")
    expect(
        page.locator("section.queues").get_by_role(
            "link", name=re.compile(r"Outcomes awaiting approval")
        )
    ).to_contain_text("0")

    page.context.clear_cookies()
    sign_in(page, live_server.url, service.mediator2.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{live_server.url}/cases/{case.pk}/outcomes/{draft.pk}/")
    issue_outcome(page)
    draft = OutcomeDraft.objects.get(pk=draft.pk)
    assert draft.status == OutcomeStatus.ISSUED
    assert draft.issued_by_id == service.mediator2.pk
    expect(page.locator("body")).to_contain_text("Issued")
