"""The SEND steps end to end through the services: the long path and the declined path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.calendar import london_date
from accord.cases.models import Case
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline, DeadlineStatus
from accord.documents.models import DocumentShare
from accord.mediation import services as mediation
from accord.send import services
from accord.send.models import SendAction, SendAttendee, SendCall, SendCertificate, SendRecord
from accord.send.tests.helpers import SECRET_CALL, preliminary, send_case, signed_agreement
from accord.testing import journey

pytestmark = pytest.mark.django_db


def _stage(case: Case) -> str:
    return Case.objects.get(pk=case.pk).stage


def _clock(case: Case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, rule_code=code)


def _book(service: Any, story: Any, days: int) -> Any:
    return mediation.session_book(
        actor=service.coordinator,
        case=story.case,
        format="joint",
        starts_at=journey.future(days, 10),
        mode="in_person",
        place="Civic Hall, Room 2",
        attendees=[story.parent, story.officer, story.school],
        mediators=[service.mediator],
    )


def test_a_future_decision_date_is_refused_and_nothing_is_saved(service):
    story = send_case(service)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        preliminary(service, story, decision_notice_date=tomorrow)
    assert "cannot be in the future" in caught.value.field_errors["decision_notice_date"][0]
    assert not SendRecord.objects.exists()
    assert not Deadline.objects.filter(case=story.case).exists()


def test_the_send_part_is_refused_on_other_kinds(service):
    from accord.send.services import send_record_preliminary

    with pytest.raises(ValidationFailed, match="SEND"):
        send_record_preliminary(
            actor=service.coordinator,
            case=service.case,
            la_decision="plan_contents",
            decision_notice_date=timezone.localdate(),
            commissioning_la="Leeds",
            child_name="X",
            child_date_of_birth=dt.date(2015, 1, 1),
            issues=["education"],
        )


def test_the_long_path_from_decision_to_certificate(service):
    story = send_case(service)
    case = story.case

    # 1. Preliminary: the adviser clock runs from the decision notice, shared with the family.
    record = preliminary(service, story)
    assert record.rights_holder == "parent"
    advice = _clock(case, "send.mediation_advice_contact")
    assert advice.visible_to_participants and advice.concerns_participant == story.parent
    decided = timezone.localdate() - dt.timedelta(days=10)
    assert london_date(advice.due_at) == _add_months(decided, 2)

    services.send_choice_record(actor=service.coordinator, case=case, wants_mediation=True)
    assert _stage(case) == "arranging"
    assert advice.__class__.objects.get(pk=advice.pk).status == DeadlineStatus.MET
    arrange = _clock(case, "send.arrange_mediation")
    assert (london_date(arrange.due_at) - timezone.localdate()).days == 30
    assert _clock(case, "send.health_notify").visible_to_participants

    # 2. Arranging: attendees with authority, then the 5-working-day notice.
    with pytest.raises(ValidationFailed) as caught:
        services.send_attendee_add(
            actor=service.coordinator, case=case, participant=story.officer, attends_as="la"
        )
    assert "authority" in caught.value.field_errors["authority_confirmed"][0]
    assert not SendAttendee.objects.exists()
    for person, role in ((story.parent, "parent"), (story.school, "school")):
        services.send_attendee_add(
            actor=service.coordinator, case=case, participant=person, attends_as=role
        )
    services.send_attendee_add(
        actor=service.coordinator,
        case=case,
        participant=story.officer,
        attends_as="la",
        authority_confirmed=True,
    )
    with pytest.raises(ValidationFailed, match="5 working days"):
        _book(service, story, 1)
    assert not case.mediation_sessions.exists()
    session = _book(service, story, 12)
    assert _stage(case) == "preparation"

    # 3. Preparation: the mediator's call log, the child's views, the 16-year-old's permission.
    services.send_call_log(
        actor=service.mediator,
        case=case,
        participant=story.parent,
        called_at=timezone.now() - dt.timedelta(hours=1),
        summary=SECRET_CALL,
    )
    with pytest.raises(NotPermitted):
        services.send_call_log(
            actor=service.coordinator,
            case=case,
            participant=story.parent,
            called_at=timezone.now(),
            summary="x",
        )
    services.send_preparation_record(
        actor=service.mediator,
        case=case,
        views_representation="A one-page profile Leo wrote with his tutor, read by his mother.",
        child_joins_part=False,
        parent_speaks_for_young_person=True,
    )
    signed_agreement(service, story)

    # 4. The meeting: terms first, then the permission, then it may start.
    with pytest.raises(ValidationFailed, match="Terms of Engagement"):
        journey.start_session(service.mediator, session)
    for attendee in SendAttendee.objects.filter(case=case):
        services.send_terms_confirm(actor=service.mediator, case=case, attendee=attendee)
    with pytest.raises(ValidationFailed, match="written permission"):
        journey.start_session(service.mediator, session)
    packet = services.send_permission_request(
        actor=service.mediator, case=case, young_person=story.young
    )
    journey.sign_online(packet, story.young)
    journey.start_session(service.mediator, session)
    assert _stage(case) == "meeting"
    journey.finish_session(service.mediator, session)
    assert _stage(case) == "outcome"
    record.refresh_from_db()
    ended = record.meeting_ended_at
    assert ended is not None
    outcome_clock = _clock(case, "send.outcome_service_standard")
    assert outcome_clock.due_at == ended + dt.timedelta(hours=24)

    # 5. Outcome: two LA actions with reg 44 due dates; an action with no owner is refused.
    with pytest.raises(ValidationFailed) as caught:
        services.send_action_add(
            actor=service.mediator, case=case, description="Something", owner=""
        )
    assert "owner" in caught.value.field_errors
    amend = services.send_action_add(
        actor=service.mediator,
        case=case,
        description="Amend section F to add weekly speech and language therapy.",
        owner="la",
        owner_name="SEND team",
        timescale="send.la_action_amend_plan",
    )
    visit = services.send_action_add(
        actor=service.mediator,
        case=case,
        description="Arrange a visit to Oakfield High with the SENCo.",
        owner="la",
        timescale="send.la_action_not_tribunal",
    )
    assert amend.due_at is not None and visit.due_at is not None and amend.deadline is not None
    assert london_date(amend.due_at) == london_date(ended) + dt.timedelta(weeks=5)
    assert london_date(visit.due_at) == london_date(ended) + dt.timedelta(weeks=2)
    assert amend.deadline.concerns_participant == story.officer
    assert SendAction.objects.count() == 2
    services.send_outcome_issue(
        actor=service.mediator,
        case=case,
        agreement="part",
        ehc_wording_note="The LA officer words section F.",
    )
    record.refresh_from_db()
    assert record.outcome_version is not None
    shared_with = set(
        DocumentShare.objects.filter(version=record.outcome_version).values_list(
            "participant_id", flat=True
        )
    )
    assert {story.parent.pk, story.officer.pk, story.school.pk} <= shared_with
    assert _clock(case, "send.outcome_service_standard").status == DeadlineStatus.MET
    assert _stage(case) == "certificate"

    # 6. Certificate, with the appeal deadline: the later of the two limits.
    certificate = services.send_certificate_issue(actor=service.mediator, case=case)
    assert certificate.kind == "after_mediation"
    from_decision = _add_months(decided, 2)
    from_certificate = _add_months(timezone.localdate(), 1)
    assert certificate.appeal_deadline == max(from_decision, from_certificate)
    assert _clock(case, "send.certificate_after_mediation").status == DeadlineStatus.MET
    appeal = _clock(case, "send.appeal_deadline")
    assert appeal.visible_to_participants and appeal.concerns_participant == story.parent

    # The family sees the actions' status and due dates and the appeal deadline in the portal.
    services.send_action_done(actor=service.mediator, action=visit, note="Visited on Monday.")
    client = Client()
    client.force_login(story.parent_user)
    page = client.get(reverse("portal:case", kwargs={"pk": case.pk})).content.decode()
    assert "Appeal deadline" in page
    assert f"{certificate.appeal_deadline:%B %Y}" in page
    assert "Amend section F" in page and "Done" in page and "To do" in page
    assert SECRET_CALL not in page


def _add_months(day: dt.date, n: int) -> dt.date:
    from accord.calendar import add_months

    return add_months(day, n)


def test_the_declined_path_gives_the_advisers_certificate_within_3_working_days(service):
    story = send_case(service)
    preliminary(service, story, issues=["education"])
    services.send_choice_record(actor=service.coordinator, case=story.case, wants_mediation=False)
    assert _stage(story.case) == "certificate"
    clock = _clock(story.case, "send.certificate_no_mediation")
    assert clock.visible_to_participants
    certificate = services.send_certificate_issue(actor=service.coordinator, case=story.case)
    assert certificate.kind == "no_mediation"
    assert _clock(story.case, "send.certificate_no_mediation").status == DeadlineStatus.MET
    with pytest.raises(ValidationFailed, match="already been issued"):
        services.send_certificate_issue(actor=service.coordinator, case=story.case)
    assert SendCertificate.objects.count() == 1


def test_could_not_arrange_starts_the_certificate_clock_and_consent_allows_short_notice(service):
    story = send_case(service)
    preliminary(service, story, issues=["education"])
    services.send_choice_record(actor=service.coordinator, case=story.case, wants_mediation=True)
    services.send_not_arranged_record(actor=service.coordinator, case=story.case)
    assert _clock(story.case, "send.certificate_not_arranged").is_open
    services.send_short_notice_consent_record(
        actor=service.coordinator, case=story.case, note="Agreed by phone on Monday."
    )
    assert _book(service, story, 1).pk


def test_the_call_log_is_for_the_mediators_only(service):
    from accord.send.selectors import staff_view

    story = send_case(service)
    preliminary(service, story)
    services.send_choice_record(actor=service.coordinator, case=story.case, wants_mediation=True)
    services.send_call_log(
        actor=service.mediator,
        case=story.case,
        participant=story.parent,
        called_at=timezone.now(),
        summary=SECRET_CALL,
    )
    assert SendCall.objects.count() == 1
    assert staff_view(user=service.mediator, case=story.case).calls
    assert not staff_view(user=service.coordinator, case=story.case).calls
    client = Client()
    client.force_login(service.coordinator)
    page = client.get(reverse("send:case", kwargs={"case_pk": story.case.pk}))
    assert page.status_code == 200 and SECRET_CALL not in page.content.decode()
    client.force_login(service.mediator)
    assert (
        SECRET_CALL
        in client.get(reverse("send:case", kwargs={"case_pk": story.case.pk})).content.decode()
    )
    client.force_login(story.parent_user)
    assert client.get(reverse("send:case", kwargs={"case_pk": story.case.pk})).status_code in (
        302,
        403,
        404,
    )
