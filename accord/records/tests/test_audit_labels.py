"""Audit labels hold no participant's name (role and id instead), and names in labels written
before that are never shown again once erased, while the chain still verifies (forward-only:
labels are hashed into the chain and the table refuses updates, so history is not rewritten)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.accounts.models import User
from accord.audit.models import AuditEvent
from accord.audit.services import audit_record
from accord.audit.verification import chain_verify
from accord.cases.models import Case, Participant
from accord.cases.services import participant_add
from accord.records import retention, services
from accord.records.models import ErasureRequest

pytestmark = pytest.mark.django_db


class _OldStyle:
    """A participant as audit_record labelled it before: by str(), "Name (Role)"."""

    def __init__(self, participant: Participant) -> None:
        self.pk = participant.pk
        self._meta = Participant._meta
        self._text = f"{participant.full_name} ({participant.get_role_display()})"

    def __str__(self) -> str:
        return self._text


def test_new_events_label_participants_by_role_and_id(service: Any) -> None:
    person = participant_add(
        actor=service.coordinator,
        case=service.case,
        role="party",
        full_name="Zelda Quinlan",
        email="zelda@example.org",
    )
    event = AuditEvent.objects.filter(target_type="cases.participant").last()
    assert event is not None and event.target_label == f"Party {person.pk}"
    case_events = AuditEvent.objects.filter(target_type="cases.case", case=service.case)
    assert {e.target_label for e in case_events} == {service.case.reference}
    assert not AuditEvent.objects.filter(target_label__contains="Smith").exists()


def test_a_party_acting_from_the_portal_is_labelled_by_login_id(service: Any) -> None:
    from accord.complaints import services as complaints

    complaints.complaint_make_from_portal(
        actor=service.parties["bob"], case=service.case, about="Slow.", about_mediator=False
    )
    event = AuditEvent.objects.filter(actor=service.parties["bob"]).last()
    assert event is not None
    assert event.actor_label == f"Participant login {service.parties['bob'].pk}"
    staff = AuditEvent.objects.filter(actor=service.coordinator).last()
    assert staff is not None and staff.actor_label == str(service.coordinator)


def test_old_labels_with_names_are_kept_sealed_and_never_shown_after_erasure(
    client: Any, service: Any
) -> None:
    case = service.case
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    with transaction.atomic():
        old = audit_record(
            organisation_id=case.organisation_id,
            actor=service.coordinator,
            action="participant.updated",
            target=_OldStyle(alice),  # type: ignore[arg-type]
            case_id=case.pk,
            details={"fields": ["phone"]},
        )
    assert old.target_label == "Alice Smith (Party)"
    closed = timezone.now() - dt.timedelta(days=365 * 7)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_at=closed)
    request = ErasureRequest.objects.create(
        organisation=service.organisation,
        participant=alice,
        received_on=timezone.localdate(),
    )
    review = services.erasure_review(request)
    assert any("older event(s) whose label holds" in what for what, _ in review.keep)
    services.erasure_request_carry_out(actor=service.admin, request=request)

    old.refresh_from_db()
    assert old.target_label == "Alice Smith (Party)"  # history is not rewritten...
    assert chain_verify(organisation_id=case.organisation_id).intact  # ...so it verifies
    alice.refresh_from_db()
    assert alice.full_name == "Erased person"
    login = User.objects.get(pk=service.parties["alice"].pk)
    assert login.full_name == "Erased person" and not login.is_active
    assert "alice" not in login.email
    # ...and no page shows the old name: the timeline and the admin name her as she is today.
    client.force_login(service.coordinator)
    page = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "Alice" not in page and "Erased person" in page
    from accord.audit.admin import AuditEventAdmin
    from accord.core.admin_site import accord_admin_site

    shown = AuditEventAdmin(AuditEvent, accord_admin_site).target_shown(old)
    assert shown == f"Participant {alice.pk}"
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    assert chain_verify(organisation_id=case.organisation_id).intact
