"""Complaints: targets from dated rules, who sees them (never the mediator complained about
until an admin shares it), the portal, bad input, and the FMSB window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.calendar import london_date
from accord.cases.models import Participant
from accord.complaints import selectors, services
from accord.complaints.models import Complaint
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import DeadlineRule

pytestmark = pytest.mark.django_db


def _from_portal(service, text="The mediator was late twice and did not listen to me."):
    case = service.case
    return services.complaint_make_from_portal(
        actor=service.parties["bob"], case=case, about=text, about_mediator=True
    )


def test_the_targets_are_dated_rules_in_working_days(service):
    assert DeadlineRule.objects.filter(code="complaint.acknowledge", period=10).exists()
    assert DeadlineRule.objects.filter(code="complaint.respond", period=30).exists()
    complaint = services.complaint_record(
        actor=service.admin,
        organisation=service.organisation,
        complainant_kind="third_party",
        complainant_name="A Grandparent",
        about="They were not told about the session.",
        received_on=dt.date(2026, 11, 2),  # a Monday
    )
    assert london_date(complaint.acknowledge_due) == dt.date(2026, 11, 16)
    assert london_date(complaint.respond_due) == dt.date(2026, 12, 14)


def test_a_service_row_changes_its_own_targets(service):
    DeadlineRule.objects.create(
        code="complaint.acknowledge",
        label="Acknowledge",
        period=5,
        unit="working_days",
        organisation=service.organisation,
        effective_from=dt.date(2020, 1, 1),
        source="Our complaints policy",
    )
    complaint = services.complaint_record(
        actor=service.admin,
        organisation=service.organisation,
        complainant_kind="third_party",
        complainant_name="A Grandparent",
        about="x",
        received_on=dt.date(2026, 11, 2),
    )
    assert london_date(complaint.acknowledge_due) == dt.date(2026, 11, 9)


def test_a_party_complains_from_the_portal_and_sees_only_their_own(client, service):
    client.force_login(service.parties["bob"])
    url = reverse("complaints:portal_new", args=[service.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"about": "", "about_mediator": "on"})
    assert response.status_code == 422
    assert "Tell us what your complaint is about." in response.content.decode()
    assert not Complaint.objects.exists()
    response = client.post(url, {"about": "Nobody called me back.", "about_mediator": "on"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.via_portal and complaint.about_staff == service.mediator
    assert complaint.complainant is not None
    assert complaint.complainant.full_name == "Bob Jones"
    page = client.get(reverse("complaints:portal_list")).content.decode()
    assert "Nobody called me back." in page
    client.force_login(service.parties["alice"])
    assert (
        "Nobody called me back."
        not in client.get(reverse("complaints:portal_list")).content.decode()
    )
    # Staff pages are not for parties.
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404


def test_the_mediator_complained_about_does_not_see_it_until_shared(client, service):
    complaint = _from_portal(service)
    detail = reverse("complaints:detail", args=[complaint.pk])
    for user in (service.admin, service.supervisor):
        client.force_login(user)
        assert client.get(detail).status_code == 200
        assert "Bob Jones" in client.get(reverse("complaints:list")).content.decode()
    for user in (
        service.mediator,
        service.mediator2,
        service.coordinator,
        service.safeguarding_lead,
    ):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert "Bob Jones" not in client.get(reverse("complaints:list")).content.decode()
        # Nor on the case: its timeline and workspace.
        case_page = client.get(
            reverse("cases:detail", args=[service.case.pk]) + "?section=timeline"
        )
        assert "complaint" not in case_page.content.decode().lower()
    # No case-level audit event, so no timeline line for the case team.
    assert not AuditEvent.objects.filter(action__startswith="complaint.", case_id__isnull=False)
    with pytest.raises(NotPermitted):
        services.complaint_share_with_subject(actor=service.supervisor, complaint=complaint)
    services.complaint_share_with_subject(actor=service.admin, complaint=complaint)
    client.force_login(service.mediator)
    assert client.get(detail).status_code == 200
    client.force_login(service.mediator2)
    assert client.get(detail).status_code == 404


def test_acknowledge_respond_and_the_fmsb_window(client, service):
    complaint = _from_portal(service)
    today = london_date(timezone.now())
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_acknowledge(
            actor=service.admin, complaint=complaint, on=today + dt.timedelta(days=3)
        )
    assert refused.value.field_errors["on"]
    with pytest.raises(NotFoundOrHidden):
        services.complaint_acknowledge(actor=service.mediator, complaint=complaint, on=today)
    services.complaint_acknowledge(actor=service.admin, complaint=complaint, on=today)
    with pytest.raises(ValidationFailed):
        services.complaint_respond(
            actor=service.admin, complaint=complaint, on=today, outcome="maybe", summary=""
        )
    complaint.refresh_from_db()
    assert complaint.responded_on is None
    client.force_login(service.supervisor)
    response = client.post(
        reverse("complaints:respond", args=[complaint.pk]),
        {"on": today.strftime("%d/%m/%Y"), "outcome": "partly_upheld", "summary": "We apologise."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.outcome == "partly_upheld"
    assert complaint.fmsb_window_ends is not None
    assert complaint.fmsb_window_ends > today + dt.timedelta(days=85)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Family Mediation Standards Board until" in page
    client.post(reverse("complaints:consent", args=[complaint.pk]), {"consent": "yes"})
    complaint.refresh_from_db()
    assert complaint.fmsb_consent


def test_staff_log_form_refuses_bad_input_and_saves_nothing(client, service):
    client.force_login(service.admin)
    url = reverse("complaints:log")
    response = client.post(
        url,
        {
            "complainant_kind": "party",
            "complainant_name": "Bob Jones",
            "case_reference": "NOPE-1",
            "about": "x",
            "received_on": "1/12/2026",
        },
    )
    assert response.status_code == 422
    assert "No case of this service has that reference." in response.content.decode()
    response = client.post(
        url,
        {
            "complainant_kind": "party",
            "complainant_name": "Bob Jones",
            "case_reference": service.case.reference,
            "about": "Late again.",
            "received_on": "1/12/2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.complainant == Participant.objects.get(full_name="Bob Jones")
    client.force_login(service.mediator)
    assert client.get(url).status_code == 404


def test_other_services_never_see_it(service, other_service):
    complaint = _from_portal(service)
    assert not selectors.complaints_for_staff(user=other_service.admin).filter(pk=complaint.pk)
