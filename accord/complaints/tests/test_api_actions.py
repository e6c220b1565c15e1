"""The complaint page's consent action through /api/v1/: the page's service and policy (the
service's admins and supervisors; the member of staff complained about never, even once it is
shared with them), the real effect, and bad input a 422 with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.complaints import services
from accord.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def _complaint(service: Any) -> Complaint:
    return services.complaint_make_from_portal(
        actor=service.parties["bob"],
        case=service.case,
        about="The mediator cut me off.",
        about_mediator=True,
        fmsb_consent=False,
    )


def test_a_handler_records_the_consent_and_can_withdraw_it(service):
    complaint = _complaint(service)
    for user, consent in ((service.admin, True), (service.supervisor, False)):
        response = token_client(user).post(
            f"/complaints/{complaint.pk}/consent", {"consent": consent}
        )
        assert response.status_code == 200, response.content
        assert response.json()["fmsb_consent"] is consent
        complaint.refresh_from_db()
        assert complaint.fmsb_consent is consent
    events = AuditEvent.objects.filter(action="complaint.consent_recorded").order_by("sequence")
    assert [e.details["consent"] for e in events] == [True, False]


def test_the_consent_is_not_for_the_subject_the_party_or_another_service(service, other_service):
    complaint = _complaint(service)
    assert complaint.about_staff_id == service.mediator.pk
    for user in (
        service.mediator,
        service.coordinator,
        service.parties["bob"],
        other_service.admin,
    ):
        response = token_client(user).post(f"/complaints/{complaint.pk}/consent", {"consent": True})
        assert response.status_code == 404
    # Once shared, the mediator may read it but still not handle it.
    services.complaint_share_with_subject(actor=service.admin, complaint=complaint)
    mediator = token_client(service.mediator)
    assert mediator.get(f"/complaints/{complaint.pk}").status_code == 200
    refused = mediator.post(f"/complaints/{complaint.pk}/consent", {"consent": True})
    assert refused.status_code == 403
    complaint.refresh_from_db()
    assert complaint.fmsb_consent is False
    assert not AuditEvent.objects.filter(action="complaint.consent_recorded").exists()


def test_a_consent_that_is_not_true_or_false_is_refused(service):
    complaint = _complaint(service)
    admin = token_client(service.admin)
    for body in ({"consent": "maybe"}, {"consent": None}, {}):
        response = admin.post(f"/complaints/{complaint.pk}/consent", body)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["consent"]
    extra = admin.post(f"/complaints/{complaint.pk}/consent", {"consent": True, "by": "phone"})
    assert extra.status_code == 422 and "by" in extra.json()["errors"]
    complaint.refresh_from_db()
    assert complaint.fmsb_consent is False
    assert not AuditEvent.objects.filter(action="complaint.consent_recorded").exists()
