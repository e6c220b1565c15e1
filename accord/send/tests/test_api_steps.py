"""The SEND steps through the API (issue 15, item 9): each operation the pages offer does what
the page does through the same service (the record, the clocks, the audit), refuses a party or
another service's staff as the pages do, and refuses bad input with a 422 naming the field while
saving nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accord.agreements.models import SigningPacket
from accord.api.tests.conftest import API, ApiClient, token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.deadlines.models import Deadline, DeadlineStatus
from accord.send import services
from accord.send.models import SendAttendee, SendCall, SendRecord
from accord.send.tests.helpers import SendStory, preliminary, prepared, send_case
from accord.testing import journey

pytestmark = pytest.mark.django_db


def _base(case: Case) -> str:
    return f"/cases/{case.pk}/send"


def _state(case: Case) -> dict[str, Any]:
    """Everything a refused SEND write must leave as it was."""
    return {
        "record": list(SendRecord.objects.filter(case=case).values()),
        "attendees": list(SendAttendee.objects.filter(case=case).order_by("pk").values()),
        "calls": list(SendCall.objects.filter(case=case).order_by("pk").values()),
        "deadlines": list(
            Deadline.objects.filter(case=case).order_by("pk").values("pk", "rule_code", "status")
        ),
        "packets": SigningPacket.objects.filter(case_id=case.pk).count(),
        "audit": AuditEvent.objects.filter(case_id=case.pk).count(),
    }


def _audited(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(case_id=case.pk, action=action).count()


def _clock(case: Case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, rule_code=code)


def _outsiders(service: Any, other_service: Any, story: SendStory) -> list[ApiClient]:
    """A party of the case (with a portal) and a coordinator of another service."""
    return [token_client(story.parent_user), token_client(other_service.coordinator)]


def _refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()


# Health notification and arranging ---------------------------------------------------------


def test_health_notified_meets_the_health_clock(service, other_service):
    story = prepared(service)  # health is in dispute and the family wants mediation
    case = story.case
    assert _clock(case, services.HEALTH).status == DeadlineStatus.OPEN
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(f"{_base(case)}/health-notified").status_code == 404
    assert _state(case) == before

    answer = token_client(service.coordinator).post(f"{_base(case)}/health-notified")

    assert answer.status_code == 200
    assert _clock(case, services.HEALTH).status == DeadlineStatus.MET
    assert _audited(case, "send.health_notified") == 1
    # Nothing waits any more: told again is refused, and nothing more is recorded.
    before = _state(case)
    again = token_client(service.coordinator).post(f"{_base(case)}/health-notified")
    assert again.status_code == 422 and "health" in again.json()["detail"]
    assert _state(case) == before


def test_not_arranged_starts_the_certificate_clock(service, other_service):
    story = prepared(service)
    case = story.case
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(f"{_base(case)}/not-arranged").status_code == 404
    assert _state(case) == before

    answer = token_client(service.coordinator).post(f"{_base(case)}/not-arranged")

    assert answer.status_code == 200 and answer.json()["not_arranged_at"]
    assert SendRecord.objects.get(case=case).not_arranged_at is not None
    assert _clock(case, services.CERT_NOT_ARRANGED).status == DeadlineStatus.OPEN
    assert _audited(case, "send.not_arranged") == 1


def test_not_arranged_is_refused_when_the_family_declined_mediation(service):
    story = send_case(service)
    preliminary(service, story)
    services.send_choice_record(actor=service.coordinator, case=story.case, wants_mediation=False)
    before = _state(story.case)

    answer = token_client(service.coordinator).post(f"{_base(story.case)}/not-arranged")

    assert answer.status_code == 422 and "asked for" in answer.json()["detail"]
    assert _state(story.case) == before


def test_short_notice_consent_lets_the_meeting_be_booked_through_the_api(service, other_service):
    story = prepared(service)
    case = story.case
    staff = token_client(service.coordinator)
    booking = {
        "format": "joint",
        "starts_at": journey.future(2, 10).isoformat(),
        "duration_minutes": 120,
        "mode": "in_person",
        "place": "Civic Hall",
        "attendee_ids": [story.parent.pk, story.officer.pk],
        "mediator_ids": [service.mediator.pk],
        "confirm_warnings": True,
    }
    # The sessions operation applies the SEND notice rule, as the booking page does.
    _refused(staff.post(f"/cases/{case.pk}/sessions", booking), "starts_at")
    assert not case.mediation_sessions.exists()
    consent = {"note": "Joanne Harrison agreed by email to a meeting in two days."}
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(f"{_base(case)}/short-notice-consent", consent).status_code == 404
    _refused(staff.post(f"{_base(case)}/short-notice-consent", {"note": "  "}), "note")
    _refused(staff.post(f"{_base(case)}/short-notice-consent", {"note": "a\x00b"}), "note")
    _refused(staff.post(f"{_base(case)}/short-notice-consent", {}), "note")
    assert _state(case) == before

    answer = staff.post(f"{_base(case)}/short-notice-consent", consent)

    assert answer.status_code == 200 and answer.json()["short_notice_consent"] is True
    record = SendRecord.objects.get(case=case)
    assert record.short_notice_consent and record.short_notice_consent_note == consent["note"]
    assert _audited(case, "send.short_notice_consented") == 1
    assert staff.post(f"/cases/{case.pk}/sessions", booking).status_code == 201
    assert case.mediation_sessions.count() == 1


# Attendees and the Terms of Engagement -----------------------------------------------------


def test_the_attendees_are_listed_for_the_case_staff_only(service, other_service):
    story = prepared(service)
    case = story.case

    answer = token_client(service.mediator).get(f"{_base(case)}/attendees")

    assert answer.status_code == 200
    assert [(a["full_name"], a["attends_as"], a["authority_confirmed"]) for a in answer.json()] == [
        ("Joanne Harrison", "parent", False),
        ("Anne Fisher", "school", False),
        ("Mark Bennett", "la", True),
    ]
    for user in (story.parent_user, story.officer_user, other_service.coordinator):
        assert token_client(user).get(f"{_base(case)}/attendees").status_code == 404


def test_adding_an_attendee(service, other_service):
    story = send_case(service)
    preliminary(service, story)
    case = story.case
    staff = token_client(service.coordinator)
    url = f"{_base(case)}/attendees"
    other_case_person = other_service.case.participants.first()
    before = _state(case)
    officer = {"participant_id": story.officer.pk, "attends_as": "la", "authority_confirmed": True}
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(url, officer).status_code == 404
    # The LA must confirm authority to resolve; a participant must be of this case.
    no_authority = staff.post(url, {"participant_id": story.officer.pk, "attends_as": "la"})
    _refused(no_authority, "authority_confirmed")
    _refused(
        staff.post(url, {"participant_id": other_case_person.pk, "attends_as": "parent"}),
        "participant_id",
    )
    _refused(
        staff.post(url, {"participant_id": story.parent.pk, "attends_as": "boss"}), "attends_as"
    )
    _refused(staff.post(url, {"participant_id": 0, "attends_as": "parent"}), "participant_id")
    assert _state(case) == before

    answer = staff.post(url, officer)

    assert answer.status_code == 201
    assert answer.json()["participant_id"] == story.officer.pk
    attendee = SendAttendee.objects.get(case=case)
    assert (attendee.participant_id, attendee.attends_as, attendee.authority_confirmed) == (
        story.officer.pk,
        "la",
        True,
    )
    assert _audited(case, "send.attendee_added") == 1
    # Twice is refused, naming the field.
    _refused(staff.post(url, officer), "participant_id")
    assert SendAttendee.objects.filter(case=case).count() == 1


def test_an_attendee_accepts_the_terms(service, other_service):
    story = prepared(service)
    case = story.case
    attendee = SendAttendee.objects.filter(case=case).order_by("pk").first()
    assert attendee is not None
    url = f"{_base(case)}/attendees/{attendee.pk}/terms"
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(url).status_code == 404
    # An attendee of another case is not found on this one; a nonsense id names the field.
    elsewhere = prepared(other_service)
    theirs = SendAttendee.objects.filter(case=elsewhere.case).first()
    assert theirs is not None
    staff = token_client(service.mediator)
    assert staff.post(f"{_base(case)}/attendees/{theirs.pk}/terms").status_code == 404
    _refused(staff.post(f"{_base(case)}/attendees/0/terms"), "attendee_id")
    assert _state(case) == before

    answer = staff.post(url)

    assert answer.status_code == 200 and answer.json()["terms_confirmed_at"]
    attendee.refresh_from_db()
    assert attendee.terms_confirmed_at is not None
    assert _audited(case, "send.terms_confirmed") == 1
    before = _state(case)
    again = staff.post(url)
    assert again.status_code == 422 and "already" in again.json()["detail"]
    assert _state(case) == before


# Preparation ------------------------------------------------------------------------------


def test_a_case_mediator_logs_a_call(service, other_service):
    story = send_case(service)
    preliminary(service, story)
    case = story.case
    url = f"{_base(case)}/calls"
    when = (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0)
    call = {"participant_id": story.parent.pk, "called_at": when.isoformat(), "summary": "Spoke."}
    before = _state(case)
    # Like the page: the coordinator (case staff, not its mediator) is told there is no such
    # case, as are the parties and other services.
    for client in [token_client(service.coordinator), *_outsiders(service, other_service, story)]:
        assert client.post(url, call).status_code == 404
    mediator = token_client(service.mediator)
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    _refused(mediator.post(url, {**call, "called_at": future}), "called_at")
    _refused(mediator.post(url, {**call, "called_at": "2026-12-01T10:00:00"}), "called_at")
    _refused(mediator.post(url, {**call, "summary": ""}), "summary")
    _refused(mediator.post(url, {**call, "participant_id": 2**40}), "participant_id")
    assert _state(case) == before

    answer = mediator.post(url, call)

    assert answer.status_code == 201
    saved = SendCall.objects.get(case=case)
    assert (saved.participant_id, saved.caller_id, saved.summary) == (
        story.parent.pk,
        service.mediator.pk,
        "Spoke.",
    )
    assert saved.called_at == when
    assert _audited(case, "send.call_logged") == 1
    assert [c["id"] for c in mediator.get(url).json()] == [saved.pk]


def test_the_preparation_is_recorded(service, other_service):
    story = send_case(service)
    preliminary(service, story)  # a 16-year-old
    case = story.case
    url = f"{_base(case)}/preparation"
    body = {
        "views_representation": "Leo's one-page profile, read by his mother.",
        "child_joins_part": True,
        "parent_speaks_for_young_person": True,
    }
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.put(url, body).status_code == 404
    staff = token_client(service.mediator)
    _refused(staff.put(url, {**body, "views_representation": ""}), "views_representation")
    _refused(staff.put(url, {**body, "child_joins_part": "perhaps"}), "child_joins_part")
    assert _state(case) == before

    answer = staff.put(url, body)

    assert answer.status_code == 200
    assert answer.json()["permission_needed"] is True
    record = SendRecord.objects.get(case=case)
    assert record.views_representation == body["views_representation"]
    assert record.child_joins_part and record.parent_speaks_for_young_person
    assert _audited(case, "send.preparation_recorded") == 1


def test_a_parent_speaks_for_a_child_under_16_without_permission(service):
    story = send_case(service)
    preliminary(service, story, child_date_of_birth=dt.date(2016, 3, 1))
    before = _state(story.case)

    answer = token_client(service.mediator).put(
        f"{_base(story.case)}/preparation",
        {"views_representation": "A drawing.", "parent_speaks_for_young_person": True},
    )

    _refused(answer, "parent_speaks_for_young_person")
    assert _state(story.case) == before


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "permission.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf"
    )


def test_the_young_persons_signed_permission_is_uploaded(service, other_service):
    story = prepared(service)
    case = story.case
    url = API + f"{_base(case)}/permission"
    assert services.permission_needed(SendRecord.objects.get(case=case))
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.client.post(url, {"file": _pdf()}).status_code == 404
    staff = token_client(service.mediator).client
    text = SimpleUploadedFile("permission.txt", b"I agree", content_type="text/plain")
    _refused(staff.post(url, {"file": text}), "file")
    _refused(staff.post(url, {}), "file")
    assert _state(case) == before

    answer = staff.post(url, {"file": _pdf()})

    assert answer.status_code == 200 and answer.json()["permission_needed"] is False
    record = SendRecord.objects.get(case=case)
    assert record.permission_received_at is not None and record.permission_version is not None
    assert not services.permission_needed(record)
    assert _audited(case, "send.permission_received") == 1


def test_the_young_person_is_asked_to_sign_their_permission_online(service, other_service):
    story = prepared(service)
    case = story.case
    url = f"{_base(case)}/permission/request"
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(url, {"young_person_id": story.young.pk}).status_code == 404
    staff = token_client(service.mediator)
    # Only the young person may be asked: the parent cannot sign it for him.
    _refused(staff.post(url, {"young_person_id": story.parent.pk}), "young_person_id")
    _refused(staff.post(url, {"young_person": story.young.pk}), "young_person_id")
    assert _state(case) == before

    answer = staff.post(url, {"young_person_id": story.young.pk})

    assert answer.status_code == 201 and answer.json()["signer_ids"] == [story.young.pk]
    packet = SigningPacket.objects.get(case_id=case.pk, purpose=services.PERMISSION_PURPOSE)
    assert answer.json()["packet_id"] == packet.pk and packet.status == "open"
    assert list(packet.required.values_list("pk", flat=True)) == [story.young.pk]
    assert _audited(case, "send.permission_requested") == 1


# The meeting ------------------------------------------------------------------------------


def test_the_run_sheet_puts_the_local_authority_last(service, other_service):
    story = prepared(service)
    case = story.case

    answer = token_client(service.mediator).get(f"{_base(case)}/run-sheet")

    assert answer.status_code == 200
    slots = {s["code"]: s["speakers"] for s in answer.json()}
    codes = [s["code"] for s in answer.json()]
    assert codes.index("family") < codes.index("school") < codes.index("la")
    assert slots["family"] == ["Joanne Harrison"] and slots["la"] == ["Mark Bennett"]
    for user in (story.parent_user, story.officer_user, other_service.coordinator):
        assert token_client(user).get(f"{_base(case)}/run-sheet").status_code == 404


def test_a_case_mediator_stops_the_meeting(service, other_service):
    story = prepared(service)
    case = story.case
    url = f"{_base(case)}/stop"
    body = {"term": "courtesy", "note": "Personal remarks after two reminders."}
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(url, body).status_code == 404
    # The coordinator sees the case but only its mediators stop the meeting.
    assert token_client(service.coordinator).post(url, body).status_code == 403
    mediator = token_client(service.mediator)
    _refused(mediator.post(url, {**body, "term": "rudeness"}), "term")
    _refused(mediator.post(url, {**body, "note": ""}), "note")
    _refused(mediator.post(url, {"term": "courtesy"}), "note")
    assert _state(case) == before

    answer = mediator.post(url, body)

    assert answer.status_code == 200 and answer.json()["stopped_term"] == "courtesy"
    record = SendRecord.objects.get(case=case)
    assert record.stopped_at is not None and record.stopped_note == body["note"]
    assert _audited(case, "send.meeting_stopped") == 1


# The outcome -------------------------------------------------------------------------------


def test_the_mediation_outcome_is_issued_after_the_meeting(service, other_service):
    story = prepared(service)
    case = story.case
    url = f"{_base(case)}/outcome"
    body = {"agreement": "part", "ehc_wording_note": "The SEND team words section F."}
    mediator = token_client(service.mediator)
    # Before the meeting it is refused, saying why.
    early = mediator.post(url, body)
    assert early.status_code == 422 and "meeting" in early.json()["detail"]
    services.meeting_ended(service.mediator, case, timezone.now())
    services.send_action_add(
        actor=service.mediator,
        case=case,
        description="Amend section F.",
        owner="la",
        timescale="send.la_action_amend_plan",
    )
    before = _state(case)
    for outsider in _outsiders(service, other_service, story):
        assert outsider.post(url, body).status_code == 404
    _refused(mediator.post(url, {**body, "agreement": "maybe"}), "agreement")
    _refused(mediator.post(url, {**body, "ehc_wording_note": "x" * 5001}), "ehc_wording_note")
    assert _state(case) == before

    answer = mediator.post(url, body)

    assert answer.status_code == 200 and answer.json()["agreement"] == "part"
    record = SendRecord.objects.get(case=case)
    assert record.outcome_issued_at is not None and record.outcome_version is not None
    assert record.ehc_wording_note == body["ehc_wording_note"]
    assert _clock(case, services.OUTCOME).status == DeadlineStatus.MET
    assert _clock(case, services.CERT_AFTER).status == DeadlineStatus.OPEN
    assert _audited(case, "send.outcome_issued") == 1
    # The family reads the outcome and the wording note; not the staff's fields.
    mine = token_client(story.parent_user).get(_base(case)).json()
    assert mine["outcome_issued_at"] and mine["ehc_wording_note"] == body["ehc_wording_note"]
    assert mine["child_name"] is None and mine["views_representation"] is None


# Reads: the record, the clocks, the commissioner report -------------------------------------


def test_the_record_shows_staff_the_steps_and_parties_only_the_familys_view(service):
    story = prepared(service)
    case = story.case

    staff = token_client(service.coordinator).get(_base(case)).json()

    assert staff["child_name"] == "Leo Harrison"
    assert staff["views_representation"] == "Leo's one-page profile."
    assert staff["parent_speaks_for_young_person"] is True and staff["permission_needed"] is True
    for user in (story.parent_user, story.officer_user):
        seen = token_client(user).get(_base(case)).json()
        for field in ("child_name", "views_representation", "permission_needed", "stopped_at"):
            assert seen[field] is None, (user.email, field)


def test_the_clocks_of_a_send_case(service, other_service):
    story = prepared(service)
    case = story.case
    # A deadline of the case that is not a SEND clock, even one shared with the parent.
    from accord.deadlines.services import deadline_create_due

    deadline_create_due(
        actor=service.coordinator,
        case=case,
        rule_code="custom",
        due_at=timezone.now() + dt.timedelta(days=3),
        owner=service.mediator,
        title="Send the parent the venue map",
        concerns_participant=story.parent,
        visible_to_participants=True,
    )

    staff = token_client(service.coordinator).get(f"{_base(case)}/clocks")

    assert staff.status_code == 200
    codes = {c["rule_code"]: c["status"] for c in staff.json()}
    assert codes == {
        services.ADVICE: "met",
        services.ARRANGE: "open",
        services.HEALTH: "open",
    }
    # The parent sees the clocks shared with them, without the staff's fields; the LA officer
    # none of the family's; another service nothing at all.
    family = token_client(story.parent_user).get(f"{_base(case)}/clocks").json()
    assert {c["id"] for c in family} == {
        d.pk for d in Deadline.objects.filter(case=case, rule_code__startswith="send.")
    }
    assert all(c["rule_code"] is None for c in family)
    assert token_client(story.officer_user).get(f"{_base(case)}/clocks").json() == []
    assert token_client(other_service.coordinator).get(f"{_base(case)}/clocks").status_code == 404


def test_the_commissioner_report(service, other_service):
    story = send_case(service)
    preliminary(service, story)
    coordinator = token_client(service.coordinator)

    answer = coordinator.get("/send/report")

    assert answer.status_code == 200
    assert [(r["authority"], r["referred"], r["held"]) for r in answer.json()] == [
        ("Leeds City Council", 1, 0)
    ]
    assert coordinator.get("/send/report", local_authority="Bradford").json() == []
    _refused(coordinator.get("/send/report", start="2026-13-01"), "start")
    _refused(coordinator.get("/send/report", authority="Leeds"), "authority")
    # Mediators, parties and another service do not read this service's report.
    assert token_client(service.mediator).get("/send/report").status_code == 404
    assert token_client(story.parent_user).get("/send/report").status_code == 404
    assert token_client(other_service.coordinator).get("/send/report").json() == []


def test_a_case_of_another_kind_has_no_send_steps(service):
    case = next(c for c in service.cases.values() if c.kind != "send")
    staff = token_client(service.coordinator)
    for path in ("attendees", "run-sheet"):
        assert staff.get(f"{_base(case)}/{path}").status_code == 404
    assert staff.post(f"{_base(case)}/not-arranged").status_code == 404
    assert not SendRecord.objects.filter(case=case).exists()
