"""Who sees what of a SEND case, page by page: the staff pages, the call log (the case's
mediators and supervisor only), the young person's permission (theirs to sign, nobody else's)
and the portal, where the LA officer sees the outcome and the actions but not the family's
choice, their clocks or their appeal deadline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.cases.models import Case
from accord.cases.workspace import section_url
from accord.send import services
from accord.send.models import SendAction, SendAttendee, SendCall
from accord.send.tests.helpers import SECRET_CALL, SendStory, prepared
from accord.testing import journey
from accord.testing.factories import build_service

pytestmark = pytest.mark.django_db

#: Every SEND staff page that answers a GET, with the kwargs it needs beyond the case.
STAFF_PAGES = (
    "send:case",
    "send:preliminary",
    "send:choice",
    "send:consent",
    "send:attendee",
    "send:preparation",
    "send:permission",
    "send:permission_request",
    "send:stop",
    "send:action_add",
    "send:outcome",
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, case: Case) -> str:
    return reverse(name, kwargs={"case_pk": case.pk})


def test_every_send_staff_page_opens_for_the_case_staff_and_nobody_else(service):
    story = prepared(service)
    case = story.case
    for user in (service.coordinator, service.mediator):
        client = _client(user)
        for name in STAFF_PAGES:
            answer = client.get(_url(name, case))
            assert answer.status_code == 200, (user.email, name, answer.status_code)
    # Each person with a portal, and the staff of another service, are told there is no page.
    other = build_service(name="Elsewhere Mediation", slug="elsewhere", prefix="ELS")
    for user in (story.parent_user, story.officer_user, story.young_user, other.coordinator):
        client = _client(user)
        for name in (*STAFF_PAGES, "send:call", "send:report"):
            if name == "send:report" and user == other.coordinator:
                continue  # their own service's report, which does not list this case
            answer = client.get(reverse(name) if name == "send:report" else _url(name, case))
            assert answer.status_code == 404, (user.email, name, answer.status_code)
    assert (
        "Leeds City Council"
        not in _client(other.coordinator).get(reverse("send:report")).content.decode()
    )
    # Nobody signed in is sent to sign in.
    answer = Client().get(_url("send:case", case))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_call_log_is_read_by_the_case_mediators_and_supervisor_only(service):
    story = prepared(service)
    case = story.case
    Case.objects.filter(pk=case.pk).update(supervisor=service.supervisor)
    for user in (service.mediator, service.supervisor):
        page = _client(user).get(_url("send:case", case)).content.decode()
        assert SECRET_CALL in page and "Mediators only" in page
    coordinator = _client(service.coordinator)
    page = coordinator.get(_url("send:case", case)).content.decode()
    assert "Call log" not in page and SECRET_CALL not in page
    for section in ("preparation", "timeline", "summary"):
        assert SECRET_CALL not in coordinator.get(section_url(case, section)).content.decode()
    # The coordinator can neither open the call form nor log a call through it.
    assert coordinator.get(_url("send:call", case)).status_code == 404
    refused = coordinator.post(
        _url("send:call", case),
        {"participant": story.parent.pk, "called_at": "1 9 2026 10:00", "summary": "Mine"},
    )
    assert refused.status_code == 404
    assert SendCall.objects.filter(case=case).count() == 1
    # No one in the portal sees it, nor through the API.
    for user in (story.parent_user, story.officer_user, story.young_user):
        portal = _client(user).get(reverse("portal:case", kwargs={"pk": case.pk}))
        assert portal.status_code == 200
        assert SECRET_CALL not in portal.content.decode()


def test_only_the_young_person_signs_their_permission_and_the_meeting_waits_for_it(service):
    story = prepared(service)
    case = story.case
    staff = _client(service.mediator)
    assert "still needed before the meeting" in staff.get(_url("send:case", case)).content.decode()
    # Asking the parent to sign it is refused with a clear message, and nothing is prepared.
    refused = staff.post(_url("send:permission_request", case), {"young_person": story.parent.pk})
    assert refused.status_code == 422
    assert "Choose" in refused.content.decode()
    from accord.agreements.models import SigningPacket

    assert not SigningPacket.objects.filter(case=case, purpose="send_permission").exists()
    packet = services.send_permission_request(
        actor=service.mediator, case=case, young_person=story.young
    )
    assert "Joanne Harrison" in packet.text and "(the" not in packet.text
    sign = reverse("agreements:portal_sign", kwargs={"case_pk": case.pk, "packet_pk": packet.pk})
    # The parent and the LA officer cannot open it, let alone sign it for him.
    for user in (story.parent_user, story.officer_user):
        assert _client(user).get(sign).status_code == 404
        page = _client(user).get(reverse("portal:case", kwargs={"pk": case.pk})).content.decode()
        assert "Permission for my parent" not in page
        assert (
            _client(user).post(sign, {"confirm": "on", "typed_name": "Leo Harrison"}).status_code
            == 404
        )
    assert services.permission_needed(case.send_record)
    leo = _client(story.young_user)
    assert "Permission for my parent" in (
        leo.get(reverse("portal:case", kwargs={"pk": case.pk})).content.decode()
    )
    assert leo.post(sign, {"confirm": "on", "typed_name": "Leo Harrison"}).status_code == 302
    case.send_record.refresh_from_db()
    assert not services.permission_needed(case.send_record)
    page = staff.get(_url("send:case", case)).content.decode()
    assert "still needed before the meeting" not in page


def _with_outcome_and_certificate(service: Any, story: SendStory) -> SendAction:
    case = story.case
    action = services.send_action_add(
        actor=service.mediator,
        case=case,
        description="Amend section F to add speech and language therapy.",
        owner="la",
        owner_name="SEND team",
        timescale="send.la_action_amend_plan",
    )
    services.send_not_arranged_record(actor=service.coordinator, case=case)
    services.send_certificate_issue(actor=service.coordinator, case=case)
    return action


def test_the_la_officer_sees_the_actions_but_not_the_familys_choice_clocks_or_appeal(service):
    story = prepared(service)
    case = story.case
    action = _with_outcome_and_certificate(service, story)
    assert action.due_at is not None
    portal = reverse("portal:case", kwargs={"pk": case.pk})
    due = f"{action.due_at:%B %Y}"
    family = _client(story.parent_user).get(portal).content.decode()
    assert "Amend section F" in family and due in family and "To do" in family
    assert "Appeal deadline" in family and "Your choice" in family
    assert "Last day to appeal to the SEND Tribunal" in family  # their own clock
    officer = _client(story.officer_user).get(portal).content.decode()
    assert "Your SEND mediation" in officer
    assert "Amend section F" in officer and due in officer
    for private in (
        "Appeal deadline",
        "Your choice",
        "Wants mediation",
        "Last day to appeal",
        SECRET_CALL,
        "Permission for my parent",
    ):
        assert private not in officer, private
    # The API answers the same.
    from accord.api.tests.conftest import token_client

    seen = token_client(story.officer_user).get(f"/cases/{case.pk}/send").json()
    assert seen["certificates"] == [] and seen["family_choice"] == ""
    assert seen["actions"][0]["due_at"]
    mine = token_client(story.parent_user).get(f"/cases/{case.pk}/send").json()
    assert mine["certificates"][0]["appeal_deadline"] and mine["family_choice"] == "mediation"
    # Once the action is done, the family sees it as done.
    services.send_action_done(actor=service.mediator, action=action)
    assert "Done" in _client(story.parent_user).get(portal).content.decode()


def test_the_terms_and_attendees_are_staff_only(service):
    story = prepared(service)
    case = story.case
    attendee = SendAttendee.objects.filter(case=case).first()
    assert attendee is not None
    url = reverse("send:terms", kwargs={"case_pk": case.pk, "attendee_pk": attendee.pk})
    assert _client(story.parent_user).post(url).status_code == 404
    attendee.refresh_from_db()
    assert attendee.terms_confirmed_at is None
    assert _client(service.mediator).post(url).status_code == 302
    attendee.refresh_from_db()
    assert attendee.terms_confirmed_at is not None


def test_the_booking_page_refuses_short_notice_without_consent(service):
    story = prepared(service)
    case = story.case
    client = _client(service.mediator)
    when = journey.future(2, 10)
    data = {
        "format": "joint",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 120,
        "mode": "in_person",
        "place": "Civic Hall",
        "attendees": [story.parent.pk, story.officer.pk],
        "mediators": [service.mediator.pk],
        "confirm_warnings": "on",
    }
    refused = client.post(reverse("mediation:book", kwargs={"case_pk": case.pk}), data)
    assert refused.status_code == 422
    assert "at least 5 working days" in refused.content.decode()
    assert not case.mediation_sessions.exists()
    services.send_short_notice_consent_record(
        actor=service.coordinator, case=case, note="Joanne agreed by email."
    )
    booked = client.post(reverse("mediation:book", kwargs={"case_pk": case.pk}), data)
    assert booked.status_code == 302
    page = client.get(_url("send:case", case)).content.decode()
    assert "Open the meeting" in page and "Civic Hall" in page
    assert "Prepare the Agreement to Mediate" in page
