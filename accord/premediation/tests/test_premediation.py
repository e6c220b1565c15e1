"""Pre-mediation meetings: booking, private notes, what is next, and who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.cases.progress import next_steps, party_actions
from accord.core.errors import NotPermitted, ValidationFailed
from accord.premediation import selectors, services
from accord.premediation.models import PreMediationMeeting
from accord.testing.factories import party_with_login

pytestmark = pytest.mark.django_db

NOTES = {
    "perspective": "PERSPECTIVE-SECRET: feels overlooked for promotion.",
    "goals": "A fair review.",
    "concerns": "Retaliation.",
    "ideas": "A mentor and a six-month review.",
}


def _workplace(service: Any) -> Any:
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="workplace",
        title="Patel / Northway Ltd",
        lead_mediator=service.mediator,
    )
    party_with_login(case, actor=service.coordinator, name="Priya Patel", email="priya@x.example")
    party_with_login(case, actor=service.coordinator, name="Tom Hale", email="tom@x.example")
    return case


def _party(case: Any, name: str) -> Participant:
    return Participant.objects.get(case=case, full_name=name)


def _book(service: Any, case: Any, name: str = "Priya Patel", **over: Any) -> PreMediationMeeting:
    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": case,
        "participant": _party(case, name),
        "mediator": service.mediator,
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "mode": "video",
        "place": "https://video.example/pre",
    }
    data.update(over)
    return services.premediation_meeting_book(**data)


def _held(meeting: PreMediationMeeting) -> PreMediationMeeting:
    PreMediationMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    return meeting


def test_the_part_applies_to_general_kinds_only(service):
    with pytest.raises(ValidationFailed, match="Civil, Workplace, Community"):
        services.premediation_meeting_book(
            actor=service.coordinator,
            case=service.case,
            participant=Participant.objects.filter(case=service.case).first(),
            mediator=service.mediator,
            starts_at=timezone.now() + dt.timedelta(days=1),
            mode="video",
            place="x",
        )
    client = Client()
    client.force_login(service.mediator)
    assert client.get(reverse("premediation:case", args=[service.case.pk])).status_code == 404
    assert not PreMediationMeeting.objects.exists()


def test_booking_refuses_bad_input_with_reasons_and_saves_nothing(service):
    case = _workplace(service)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        _book(
            service,
            case,
            mediator=service.mediator2,
            starts_at=timezone.now() - dt.timedelta(days=1),
            mode="carrier pigeon",
            place=" ",
            duration_minutes=5,
        )
    errors = refused.value.field_errors
    assert errors["mediator"] == ["Choose the case's lead mediator or co-mediator."]
    assert errors["starts_at"] == ["The meeting must start in the future."]
    assert set(errors) >= {"mode", "place", "duration_minutes"}
    with pytest.raises(ValidationFailed) as other_case:
        _book(service, case, participant=Participant.objects.filter(case=service.case).first())
    assert "participant" in other_case.value.field_errors
    assert not PreMediationMeeting.objects.exists()
    assert AuditEvent.objects.count() == before


def test_notes_are_private_to_the_mediators_and_steps_move_on(service):
    case = _workplace(service)
    case.stage = "suitability"
    case.save(update_fields=["stage"])
    steps = [s.text for s in next_steps(case)]
    assert "Hold a pre-mediation meeting with Priya Patel." in steps
    assert "Hold a pre-mediation meeting with Tom Hale." in steps
    meeting = _book(service, case)
    assert "Hold a pre-mediation meeting with Priya Patel." not in [
        s.text for s in next_steps(case)
    ]
    actions = party_actions(case, _party(case, "Priya Patel"))
    assert any("Meet the mediator on your own" in a.text for a in actions)
    assert not any(
        "Meet the mediator" in a.text for a in party_actions(case, _party(case, "Tom Hale"))
    )
    with pytest.raises(ValidationFailed, match="not started yet"):
        services.premediation_notes_record(actor=service.mediator, meeting=meeting, **NOTES)
    meeting = _held(meeting)
    assert (
        "Record the notes of the pre-mediation meeting with Priya Patel, or that they did not "
        "attend." in [s.text for s in next_steps(case)]
    )
    with pytest.raises(NotPermitted):
        services.premediation_notes_record(actor=service.coordinator, meeting=meeting, **NOTES)
    with pytest.raises(ValidationFailed) as empty:
        services.premediation_notes_record(actor=service.mediator, meeting=meeting, perspective=" ")
    assert empty.value.field_errors["perspective"] == ["Record how the party sees the dispute."]
    services.premediation_notes_record(actor=service.mediator, meeting=meeting, **NOTES)
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.goals == "A fair review."
    assert not any("Priya" in s.text for s in next_steps(case))
    audit = AuditEvent.objects.filter(action="premediation.notes_recorded").get()
    assert "PERSPECTIVE-SECRET" not in str(audit.details)
    assert selectors.notes_visible(service.mediator, case)
    assert not selectors.notes_visible(service.coordinator, case)

    def page(user: Any, url: str) -> Any:
        client = Client()
        client.force_login(user)
        return client.get(url)

    staff_url = reverse("premediation:case", args=[case.pk])
    assert "PERSPECTIVE-SECRET" in page(service.mediator, staff_url).content.decode()
    coordinator_page = page(service.coordinator, staff_url)
    assert coordinator_page.status_code == 200
    assert "PERSPECTIVE-SECRET" not in coordinator_page.content.decode()
    priya = _party(case, "Priya Patel").user
    tom = _party(case, "Tom Hale").user
    for user in (priya, tom):
        portal = page(user, reverse("portal:case", args=[case.pk])).content.decode()
        assert "PERSPECTIVE-SECRET" not in portal and "A fair review." not in portal
        assert page(user, staff_url).status_code in (302, 403, 404)
    assert (
        "https://video.example/pre"
        in page(priya, reverse("portal:case", args=[case.pk])).content.decode()
    )
    assert (
        "https://video.example/pre"
        not in page(tom, reverse("portal:case", args=[case.pk])).content.decode()
    )


def test_staff_book_and_record_through_the_pages(service):
    case = _workplace(service)
    client = Client()
    client.force_login(service.mediator)
    book = reverse("premediation:book", args=[case.pk])
    refused = client.post(book, {"participant": _party(case, "Tom Hale").pk})
    assert refused.status_code == 422 and not PreMediationMeeting.objects.exists()
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        book,
        {
            "participant": _party(case, "Tom Hale").pk,
            "mediator": service.mediator.pk,
            "starts_at": when,
            "duration_minutes": "60",
            "mode": "in_person",
            "place": "Room 2, 1 High Street",
        },
    )
    assert ok.status_code == 302
    meeting = _held(PreMediationMeeting.objects.get())
    notes = reverse("premediation:notes", args=[case.pk, meeting.pk])
    assert client.post(notes, NOTES).status_code == 302
    meeting.refresh_from_db()
    assert meeting.ideas == NOTES["ideas"]
    coordinator = Client()
    coordinator.force_login(service.coordinator)
    assert coordinator.get(notes).status_code == 404


def test_meetings_between_lists_a_services_meetings_in_a_range(service, other_service):
    case = _workplace(service)
    meeting = _book(service, case)
    start = meeting.starts_at - dt.timedelta(hours=1)
    found = selectors.meetings_between(
        organisation_id=service.organisation.pk, start=start, end=start + dt.timedelta(days=1)
    )
    assert list(found) == [meeting]
    assert not selectors.meetings_between(
        organisation_id=other_service.organisation.pk, start=start, end=start + dt.timedelta(days=1)
    ).exists()
    assert not selectors.meetings_between(
        organisation_id=service.organisation.pk,
        start=start + dt.timedelta(days=1),
        end=start + dt.timedelta(days=2),
    ).exists()


def test_the_api_books_records_and_hides_the_notes_from_parties(service):
    from accord.api.tests.conftest import token_client

    case = _workplace(service)
    priya = _party(case, "Priya Patel")
    staff = token_client(service.coordinator)
    payload = {
        "participant_id": priya.pk,
        "mediator_id": service.mediator.pk,
        "starts_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "mode": "video",
        "place": "https://video.example/p",
    }
    past = staff.post(
        f"/cases/{case.pk}/premediation",
        {**payload, "starts_at": (timezone.now() - dt.timedelta(days=2)).isoformat()},
    )
    assert past.status_code == 422 and not PreMediationMeeting.objects.exists()
    made = staff.post(f"/cases/{case.pk}/premediation", payload)
    assert made.status_code == 201
    meeting = _held(PreMediationMeeting.objects.get())
    url = f"/cases/{case.pk}/premediation/{meeting.pk}/notes"
    assert staff.post(url, NOTES).status_code == 403
    mediator = token_client(service.mediator)
    recorded = mediator.post(url, NOTES)
    assert recorded.status_code == 200
    assert recorded.json()["notes"]["perspective"] == NOTES["perspective"]
    assert staff.get(f"/cases/{case.pk}/premediation").json()[0]["notes"] is None
    for name in ("Priya Patel", "Tom Hale"):
        party_api = token_client(_party(case, name).user)
        listed = party_api.get(f"/cases/{case.pk}/premediation")
        assert "PERSPECTIVE-SECRET" not in listed.content.decode()
        assert party_api.post(url, NOTES).status_code == 404
    assert len(token_client(priya.user).get(f"/cases/{case.pk}/premediation").json()) == 1
    assert (
        token_client(_party(case, "Tom Hale").user).get(f"/cases/{case.pk}/premediation").json()
        == []
    )


def _weekday_at(hour: int, days_ahead: int = 7) -> dt.datetime:
    """A weekday, not a bank holiday, at the given London hour, about a week ahead."""
    from accord.calendar import london_date
    from accord.deadlines.selectors import calendar_for
    from accord.organisations.models import Organisation

    organisation = Organisation.objects.first()
    assert organisation is not None
    calendar = calendar_for(organisation)
    moment = timezone.localtime(timezone.now()) + dt.timedelta(days=days_ahead)
    moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0)
    while moment.weekday() >= 5 or calendar.bank_holiday_name(london_date(moment)):
        moment += dt.timedelta(days=1)
    return moment


def test_booking_over_a_clash_is_refused_until_confirmed_with_a_reason(service):
    case = _workplace(service)
    at = _weekday_at(10)
    _book(service, case, starts_at=at, confirm_warnings=False)

    with pytest.raises(ValidationFailed) as refused:
        _book(service, case, "Tom Hale", starts_at=at, confirm_warnings=False)
    assert "Clash: the mediator is already booked" in str(refused.value.field_errors)
    with pytest.raises(ValidationFailed) as no_reason:
        _book(service, case, "Tom Hale", starts_at=at, confirm_warnings=True)
    assert "confirm_reason" in no_reason.value.field_errors
    assert PreMediationMeeting.objects.filter(case=case).count() == 1

    meeting = _book(
        service,
        case,
        "Tom Hale",
        starts_at=at,
        confirm_warnings=True,
        confirm_reason="Co-mediated back to back",
    )
    assert meeting.warnings_reason == "Co-mediated back to back"
    assert AuditEvent.objects.filter(
        action="appointment.warnings_confirmed", case_id=case.pk
    ).exists()


def test_pre_mediation_meetings_are_in_the_diary_without_their_notes(service):
    from accord.meetings.appointments import appointments_between

    case = _workplace(service)
    at = _weekday_at(14)
    meeting = _book(service, case, starts_at=at, confirm_warnings=False)
    found = appointments_between(
        service.organisation.pk, at - dt.timedelta(hours=1), at + dt.timedelta(hours=1)
    )
    assert [(a.kind, a.key) for a in found] == [("premediation", f"premediation.{meeting.pk}")]
    assert found[0].video_url == "https://video.example/pre"
    assert found[0].staff_ids == frozenset({service.mediator.pk})


def test_the_calendar_file_is_for_the_team_and_the_party_it_is_with_only(service):
    case = _workplace(service)
    meeting = _book(service, case)
    url = reverse("premediation:calendar", args=[case.pk, meeting.pk])

    priya, tom = Client(), Client()
    priya_user, tom_user = _party(case, "Priya Patel").user, _party(case, "Tom Hale").user
    assert priya_user is not None and tom_user is not None
    priya.force_login(priya_user)
    tom.force_login(tom_user)
    own = priya.get(url)
    assert own.status_code == 200
    body = own.content.decode()
    assert f"UID:accord-premediation-{meeting.pk}@" in body
    assert "https://video.example/pre" in body
    assert "PERSPECTIVE" not in body
    assert (
        "Add to your calendar" in priya.get(reverse("portal:case", args=[case.pk])).content.decode()
    )
    assert tom.get(url).status_code == 404

    staff = Client()
    staff.force_login(service.mediator)
    assert staff.get(url).status_code == 200


def test_the_party_is_emailed_the_booking_with_its_calendar_file_and_never_once_held(service):
    from accord.deadlines.delivery import outbox_deliver_due
    from accord.deadlines.models import OutboundEmail, OutboundStatus

    case = _workplace(service)
    meeting = _book(service, case)
    email = OutboundEmail.objects.get(
        relevance_check="premediation", relevance_ref=f"{meeting.pk}.booked.0"
    )
    assert email.to_email == "priya@x.example"
    assert "https://video.example/pre" in email.body
    assert "PERSPECTIVE" not in email.body
    assert email.attachment_name == "meeting.ics"
    assert f"accord-premediation-{meeting.pk}@" in email.attachment_body

    # Held before the outbox ran: the email is dropped with its reason, not sent.
    _held(meeting)
    services.premediation_notes_record(actor=service.mediator, meeting=meeting, **NOTES)
    outbox_deliver_due()
    email.refresh_from_db()
    assert email.status == OutboundStatus.DROPPED
    assert "held" in email.last_error
