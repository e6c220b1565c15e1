"""Booking MIAMs and recording them as held: the rules, the deadline and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline
from accord.meetings import services
from accord.meetings.models import Miam, MiamStatus
from accord.meetings.tests.helpers import book, hold, party, soon
from accord.safeguarding.services import CasePaused

pytestmark = pytest.mark.django_db


def test_booking_a_miam_records_it_for_one_party_with_defaults_and_audits(service):
    miam = book(service)
    assert miam.status == MiamStatus.BOOKED
    assert miam.duration_minutes == 45
    assert [p.full_name for p in miam.attendees.all()] == ["Alice Smith"]
    event = AuditEvent.objects.get(action="miam.booked", target_id=str(miam.pk))
    assert event.case_id == service.case.pk
    assert event.details["attendee_ids"] == [party(service).pk]


def test_first_miam_on_a_family_case_sets_the_15_business_day_deadline_once(service):
    book(service)
    book(service, name="Bob Jones")
    deadlines = Deadline.objects.filter(case=service.case, rule_code=services.MIAM_DEADLINE_RULE)
    assert deadlines.count() == 1
    assert deadlines.get().starts_at == service.case.opened_at
    assert deadlines.get().owner == service.mediator


def test_miam_on_a_civil_case_is_refused_and_sets_no_family_deadline(service):
    carol = service.cases["civil"].participants.get()
    with pytest.raises(ValidationFailed, match="MIAMs apply only to family mediation"):
        services.miam_book(
            actor=service.coordinator,
            case=service.cases["civil"],
            attendees=[carol],
            mediator=service.mediator2,
            starts_at=soon(),
            mode="phone",
            place="07700 900123",
        )
    assert not Deadline.objects.filter(rule_code=services.MIAM_DEADLINE_RULE).exists()


def test_two_parties_need_a_joint_request(service):
    both = [party(service), party(service, "Bob Jones")]
    with pytest.raises(ValidationFailed) as exc:
        book(service, attendees=both)
    assert "attendees" in exc.value.field_errors
    miam = book(service, attendees=both, joint=True)
    assert miam.attendees.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(minutes=1)}, "starts_at"),
        ({"starts_at": dt.datetime(2030, 1, 1, 10, 0)}, "starts_at"),
        ({"mode": "carrier_pigeon"}, "mode"),
        ({"place": "   "}, "place"),
        ({"place": "x" * 501}, "place"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 1000}, "duration_minutes"),
        ({"attendees": []}, "attendees"),
    ],
)
def test_bad_bookings_are_refused_with_a_field_error_and_nothing_saved(service, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        book(service, **overrides)
    assert field in exc.value.field_errors
    assert not Miam.objects.exists()
    assert not Deadline.objects.filter(rule_code=services.MIAM_DEADLINE_RULE).exists()


def test_a_non_mediator_cannot_be_the_miams_mediator(service):
    for person in (service.coordinator, service.supervisor):
        with pytest.raises(ValidationFailed) as exc:
            book(service, mediator=person)
        assert "mediator" in exc.value.field_errors
    assert not Miam.objects.exists()


def test_a_mediator_of_another_service_is_refused(service, other_service):
    with pytest.raises(ValidationFailed) as exc:
        book(service, mediator=other_service.mediator)
    assert "mediator" in exc.value.field_errors


def test_a_participant_of_another_case_is_refused(service):
    carol = service.cases["civil"].participants.get()
    with pytest.raises(ValidationFailed) as exc:
        book(service, attendees=[carol])
    assert "attendees" in exc.value.field_errors
    assert not Miam.objects.exists()


def test_a_paused_case_cannot_have_a_miam_booked(service):
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    with pytest.raises(CasePaused):
        book(service)
    assert not Miam.objects.exists()


def test_who_may_book(service, other_service):
    with pytest.raises(NotFoundOrHidden):
        book(service, actor=other_service.coordinator)
    with pytest.raises(NotFoundOrHidden):
        book(service, actor=service.parties["bob"])
    with pytest.raises(NotPermitted):
        book(service, actor=service.supervisor)
    assert not Miam.objects.exists()
    assert book(service, actor=service.mediator).pk


def test_recording_a_miam_held_keeps_the_checklist_and_audits(service):
    miam = book(service)
    hold(miam)
    services.miam_record_held(
        actor=service.mediator, miam=miam, covered=["covered_options", "covered_costs"]
    )
    miam.refresh_from_db()
    assert miam.status == MiamStatus.HELD
    assert miam.covered_options and miam.covered_costs
    assert not miam.covered_suitability
    event = AuditEvent.objects.get(action="miam.held")
    assert event.details["covered"] == ["covered_costs", "covered_options"]


def test_a_miam_cannot_be_recorded_held_before_it_starts_or_twice(service):
    miam = book(service)
    with pytest.raises(ValidationFailed):
        services.miam_record_held(actor=service.mediator, miam=miam, covered=[])
    hold(miam)
    services.miam_record_held(actor=service.mediator, miam=miam, covered=[])
    with pytest.raises(ValidationFailed):
        services.miam_record_held(actor=service.mediator, miam=miam, covered=[])
    assert AuditEvent.objects.filter(action="miam.held").count() == 1


def test_unknown_checklist_items_are_refused(service):
    miam = book(service)
    hold(miam)
    with pytest.raises(ValidationFailed) as exc:
        services.miam_record_held(actor=service.mediator, miam=miam, covered=["covered_cake"])
    assert "covered" in exc.value.field_errors
    miam.refresh_from_db()
    assert miam.status == MiamStatus.BOOKED


def test_the_first_miam_held_meets_the_miam_target_and_says_when(service):
    miam = book(service)
    deadline = Deadline.objects.get(case=service.case, rule_code="miam.within_15_business_days")
    assert deadline.status == "open"
    hold(miam)
    services.miam_record_held(actor=service.mediator, miam=miam, covered=["covered_options"])
    deadline.refresh_from_db()
    assert deadline.status == "met"
    assert deadline.resolution_note.startswith("First MIAM held on ")
    assert "after the target date" not in deadline.resolution_note
    assert AuditEvent.objects.filter(action="deadline.met", case_id=service.case.pk).exists()


def test_a_miam_held_after_the_target_date_still_closes_the_target_but_says_it_was_late(service):
    miam = book(service)
    Deadline.objects.filter(case=service.case).update(due_at=timezone.now() - dt.timedelta(days=3))
    hold(miam)
    services.miam_record_held(actor=service.mediator, miam=miam, covered=["covered_options"])
    deadline = Deadline.objects.get(case=service.case, rule_code="miam.within_15_business_days")
    assert deadline.status == "met"
    assert deadline.resolution_note.endswith("after the target date.")
