"""Every children page action through /api/v1/: the page's service and policy, the real effect,
the other party or another service refused, and bad input a 422 naming the field with nothing
saved. What the child said in private never reaches a parent, nor staff other than the
consultant and the case's mediators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.children import estimates, schedules, services
from accord.children.models import (
    CaseChild,
    ChildConsultant,
    ChildOffer,
    MaintenanceEstimate,
    OfferStatus,
    SchoolTerm,
)
from accord.children.tests.conftest import born_years_ago
from accord.safeguarding.models import SafeguardingConcern

pytestmark = pytest.mark.django_db

NOTES = "CHILD-NOTES-SECRET: worried about moving schools."
FEEDBACK = "Maya would like to keep her Saturday swimming."


def _consented(service: Any, family: Any, name: str = "Maya Smith") -> ChildOffer:
    child = services.child_add(
        actor=service.coordinator,
        case=family,
        full_name=name,
        date_of_birth=born_years_ago(12),
    )
    offer = services.child_offer_make(actor=service.coordinator, child=child)
    services.consent_answer(actor=service.parties["alice"], offer=offer, answer="consent")
    services.consent_answer(actor=service.parties["bob"], offer=offer, answer="consent")
    offer.refresh_from_db()
    return offer


def _booked(service: Any, family: Any, parents: Any, consultant: Any) -> ChildOffer:
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    services.child_meeting_book(
        actor=service.coordinator,
        offer=offer,
        starts_at=timezone.now() + dt.timedelta(days=3),
        mode="in_person",
        place="Room 2, 5 High Street",
        brought_by=parents["alice"],
    )
    # The meeting took place an hour ago.
    ChildOffer.objects.filter(pk=offer.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    offer.refresh_from_db()
    return offer


def _met(service: Any, family: Any, parents: Any, consultant: Any, approved: bool) -> ChildOffer:
    offer = _booked(service, family, parents, consultant)
    return services.child_meeting_record(
        actor=consultant, offer=offer, notes=NOTES, feedback=FEEDBACK, child_approved=approved
    )


def _url(family: Any, offer: ChildOffer, action: str) -> str:
    return f"/cases/{family.pk}/children/offers/{offer.pk}/{action}"


def _weekday_in_future() -> dt.datetime:
    """A Wednesday at 15:00 London time, two to three weeks ahead."""
    day = timezone.localdate() + dt.timedelta(days=14)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))


# Recording the children named on the enquiry ---------------------------------------------------


def _enquiry_children(family: Any) -> None:
    from accord.intake.models import Child, Enquiry

    enquiry = Enquiry.objects.filter(case=family).first() or Enquiry.objects.create(
        organisation=family.organisation,
        case=family,
        source="staff",
        urgency="routine",
        submitted_at=timezone.now(),
    )
    Child.objects.create(enquiry=enquiry, full_name="No date of birth")
    Child.objects.create(enquiry=enquiry, full_name="Sam Smith", date_of_birth=dt.date(2014, 2, 2))


def test_import_records_the_enquirys_children_once(service, family):
    _enquiry_children(family)
    staff = token_client(service.coordinator)
    made = staff.post(f"/cases/{family.pk}/children/import")
    assert made.status_code == 201
    assert [c["full_name"] for c in made.json()] == ["Sam Smith"]
    assert made.json()[0]["date_of_birth"] == "2014-02-02"
    assert list(CaseChild.objects.values_list("full_name", flat=True)) == ["Sam Smith"]
    assert AuditEvent.objects.filter(action="children.children_imported").count() == 1
    again = staff.post(f"/cases/{family.pk}/children/import")
    assert again.status_code == 201 and again.json() == []
    assert CaseChild.objects.count() == 1


def test_import_is_refused_to_a_parent_and_another_service(service, other_service, family):
    _enquiry_children(family)
    for user in (service.parties["alice"], other_service.coordinator):
        response = token_client(user).post(f"/cases/{family.pk}/children/import")
        assert response.status_code == 404
    assert not CaseChild.objects.exists()


def test_import_on_a_case_without_children_is_not_found(service):
    civil = service.cases["civil"]
    response = token_client(service.coordinator).post(f"/cases/{civil.pk}/children/import")
    assert response.status_code == 404
    assert not CaseChild.objects.exists()


# The child consultant ----------------------------------------------------------------------------


def test_the_consultant_is_assigned(service, family, consultant):
    offer = _consented(service, family)
    response = token_client(service.coordinator).post(
        _url(family, offer, "consultant"), {"consultant_id": consultant.pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["consultant_id"] == consultant.pk
    assert body["consultant_name"] == consultant.full_name
    offer.refresh_from_db()
    assert offer.consultant_id == consultant.pk
    event = AuditEvent.objects.get(action="children.consultant_assigned")
    assert event.details["user_id"] == consultant.pk


def test_the_consultant_is_chosen_by_the_case_staff_only(
    service, other_service, family, consultant
):
    offer = _consented(service, family)
    for user in (service.parties["bob"], other_service.coordinator, other_service.admin):
        response = token_client(user).post(
            _url(family, offer, "consultant"), {"consultant_id": consultant.pk}
        )
        assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.consultant_id is None


def test_an_untrained_or_unknown_consultant_is_refused_naming_the_field(service, family):
    offer = _consented(service, family)
    staff = token_client(service.coordinator)
    untrained = staff.post(
        _url(family, offer, "consultant"), {"consultant_id": service.mediator.pk}
    )
    assert untrained.status_code == 422
    assert "trained" in untrained.json()["errors"]["consultant_id"][0]
    typo = staff.post(_url(family, offer, "consultant"), {"consultant_id": "nine"})
    assert typo.status_code == 422 and "consultant_id" in typo.json()["errors"]
    offer.refresh_from_db()
    assert offer.consultant_id is None
    assert not AuditEvent.objects.filter(action="children.consultant_assigned").exists()


# Booking the child's meeting -------------------------------------------------------------------


def _meeting(parent: Any, **over: Any) -> dict[str, Any]:
    data = {
        "starts_at": _weekday_in_future().isoformat(),
        "duration_minutes": 45,
        "mode": "in_person",
        "place": "Room 2, 5 High Street",
        "brought_by_id": parent.pk,
        "confirm_warnings": True,
        "confirm_reason": "Checked with the parents.",
    }
    data.update(over)
    return data


def test_the_meeting_is_booked_and_only_the_bringing_parent_learns_where(
    service, family, parents, consultant
):
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    when = _weekday_in_future()
    response = token_client(service.coordinator).post(
        _url(family, offer, "meeting"), _meeting(parents["alice"])
    )
    assert response.status_code == 200
    assert response.json()["brought_by_id"] == parents["alice"].pk
    offer.refresh_from_db()
    assert offer.starts_at == when and offer.duration_minutes == 45
    assert offer.place == "Room 2, 5 High Street" and offer.brought_by_id == parents["alice"].pk
    assert AuditEvent.objects.filter(action="children.meeting_booked").count() == 1
    alice = token_client(service.parties["alice"]).get(f"/cases/{family.pk}/children/offers")
    bob = token_client(service.parties["bob"]).get(f"/cases/{family.pk}/children/offers")
    assert alice.json()[0]["bringing"] is True
    assert alice.json()[0]["meeting_place"] == "Room 2, 5 High Street"
    assert bob.json()[0]["bringing"] is False and bob.json()[0]["meeting_place"] == ""
    assert bob.json()[0]["meeting_mode"] == "in_person"
    for field in ("consultant_id", "consultant_name", "brought_by_id", "concern_raised"):
        assert bob.json()[0][field] is None


def test_a_parent_cannot_book_the_meeting(service, other_service, family, parents, consultant):
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    for user in (service.parties["alice"], other_service.coordinator):
        response = token_client(user).post(
            _url(family, offer, "meeting"), _meeting(parents["alice"])
        )
        assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.starts_at is None


def test_bad_meeting_input_names_each_field_and_saves_nothing(service, family, parents, consultant):
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    staff = token_client(service.coordinator)
    bad = staff.post(
        _url(family, offer, "meeting"),
        _meeting(parents["alice"], mode="car", place=" ", duration_minutes=300),
    )
    assert bad.status_code == 422
    assert {"mode", "place", "duration_minutes"} <= set(bad.json()["errors"])
    # Someone of another case cannot bring the child: named as the request named it.
    carol = service.cases["civil"].participants.get(full_name="Carol Brown")
    stranger = staff.post(_url(family, offer, "meeting"), _meeting(carol))
    assert stranger.status_code == 422 and "brought_by_id" in stranger.json()["errors"]
    naive = staff.post(_url(family, offer, "meeting"), _meeting(parents["alice"], starts_at="x"))
    assert naive.status_code == 422 and "starts_at" in naive.json()["errors"]
    offer.refresh_from_db()
    assert offer.starts_at is None and offer.place == "" and offer.brought_by_id is None
    assert not AuditEvent.objects.filter(action="children.meeting_booked").exists()


CLASH_REASON = "Sam can only come the day Maya does: their father drives both."


def test_the_meeting_is_booked_over_the_consultants_clash_with_a_reason_kept_on_the_offer(
    service, family, parents, consultant
):
    when = _weekday_in_future()
    maya = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=maya, consultant=consultant)
    services.child_meeting_book(
        actor=service.coordinator,
        offer=maya,
        starts_at=when,
        mode="in_person",
        place="Room 2, 5 High Street",
        brought_by=parents["alice"],
    )
    sam = _consented(service, family, name="Sam Jones")
    services.consultant_assign(actor=service.coordinator, offer=sam, consultant=consultant)
    staff = token_client(service.coordinator)
    url = _url(family, sam, "meeting")
    # The consultant is already with Maya then: refused until confirmed, with a reason.
    unconfirmed = staff.post(url, _meeting(parents["bob"], confirm_warnings=False))
    assert unconfirmed.status_code == 422
    warnings = unconfirmed.json()["errors"]["confirm_warnings"]
    assert any(w.startswith("Clash: the mediator is already booked") for w in warnings)
    no_reason = staff.post(url, _meeting(parents["bob"], confirm_reason=" "))
    assert no_reason.status_code == 422 and "confirm_reason" in no_reason.json()["errors"]
    sam.refresh_from_db()
    assert sam.starts_at is None and sam.warnings_reason == ""

    response = staff.post(url, _meeting(parents["bob"], confirm_reason=CLASH_REASON))
    assert response.status_code == 200
    sam.refresh_from_db()
    assert sam.starts_at == when and sam.brought_by_id == parents["bob"].pk
    assert sam.warnings_reason == CLASH_REASON
    event = AuditEvent.objects.get(action="appointment.warnings_confirmed")
    assert event.target_id == str(sam.pk)
    assert event.details == {"warning_count": 1, "clash": True, "with_reason": True}
    # The reason can name people: it is on the offer, never in the audit trail.
    assert "Sam" not in str(event.details)


def test_the_meeting_is_moved_without_clashing_with_itself(service, family, parents, consultant):
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    staff = token_client(service.coordinator)
    url = _url(family, offer, "meeting")
    first = staff.post(url, _meeting(parents["alice"], confirm_warnings=False))
    assert first.status_code == 200
    later = _weekday_in_future() + dt.timedelta(minutes=15)
    moved = staff.post(
        url, _meeting(parents["alice"], starts_at=later.isoformat(), confirm_warnings=False)
    )
    assert moved.status_code == 200, moved.json()
    offer.refresh_from_db()
    assert offer.starts_at == later and offer.warnings_reason == ""
    assert not AuditEvent.objects.filter(action="appointment.warnings_confirmed").exists()


# Recording the meeting -------------------------------------------------------------------------


def test_the_consultant_records_the_meeting_and_no_parent_reads_the_notes(
    service, family, parents, consultant
):
    offer = _booked(service, family, parents, consultant)
    recorded = token_client(consultant).post(
        _url(family, offer, "record"),
        {"notes": NOTES, "feedback": FEEDBACK, "child_approved": True},
    )
    assert recorded.status_code == 200
    assert recorded.json()["notes"] == NOTES and recorded.json()["status"] == "met"
    offer.refresh_from_db()
    assert offer.notes == NOTES and offer.feedback == FEEDBACK
    assert offer.held_at is not None and offer.feedback_approved_at is not None
    event = AuditEvent.objects.get(action="children.meeting_recorded")
    assert "CHILD-NOTES-SECRET" not in str(event.details) and FEEDBACK not in str(event.details)
    # Not shared yet: neither parent reads the notes nor the feedback; the coordinator
    # (case staff, not the consultant or a mediator) reads neither either, as on the page.
    for who in ("alice", "bob"):
        body = token_client(service.parties[who]).get(f"/cases/{family.pk}/children/offers")
        assert "CHILD-NOTES-SECRET" not in body.content.decode()
        assert FEEDBACK not in body.content.decode()
    seen = token_client(service.coordinator).get(f"/cases/{family.pk}/children/offers").json()[0]
    assert seen["notes"] is None and seen["feedback"] == "" and seen["feedback_approved"] is True
    mediator = token_client(service.mediator).get(f"/cases/{family.pk}/children/offers").json()
    assert mediator[0]["notes"] == NOTES


def test_only_the_consultant_or_a_mediator_records(
    service, other_service, family, parents, consultant
):
    offer = _booked(service, family, parents, consultant)
    body = {"notes": "Overwritten", "feedback": "", "child_approved": False}
    for user in (
        service.coordinator,
        service.supervisor,
        service.parties["alice"],
        other_service.mediator,
    ):
        assert token_client(user).post(_url(family, offer, "record"), body).status_code == 404
    offer.refresh_from_db()
    assert offer.notes == "" and offer.held_at is None


def test_bad_record_input_names_the_field_and_saves_nothing(service, family, parents, consultant):
    offer = _booked(service, family, parents, consultant)
    api = token_client(consultant)
    empty = api.post(_url(family, offer, "record"), {"notes": "", "child_approved": False})
    assert empty.status_code == 422 and "notes" in empty.json()["errors"]
    approved_nothing = api.post(
        _url(family, offer, "record"), {"notes": NOTES, "feedback": "", "child_approved": True}
    )
    assert approved_nothing.status_code == 422
    assert "feedback" in approved_nothing.json()["errors"]
    too_long = api.post(_url(family, offer, "record"), {"notes": "x" * 10_001})
    assert too_long.status_code == 422 and "notes" in too_long.json()["errors"]
    offer.refresh_from_db()
    assert offer.notes == "" and offer.status == OfferStatus.CONSENTED
    assert not AuditEvent.objects.filter(action="children.meeting_recorded").exists()


# Sharing the approved feedback -----------------------------------------------------------------


def test_the_approved_feedback_is_shared_with_the_parents(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant, approved=True)
    shared = token_client(consultant).post(_url(family, offer, "share"))
    assert shared.status_code == 200 and shared.json()["status"] == "fed_back"
    offer.refresh_from_db()
    assert offer.feedback_shared_at is not None and offer.status == OfferStatus.FED_BACK
    assert AuditEvent.objects.filter(action="children.feedback_shared").count() == 1
    bob = token_client(service.parties["bob"]).get(f"/cases/{family.pk}/children/offers")
    assert bob.json()[0]["feedback"] == FEEDBACK
    assert bob.json()[0]["notes"] is None
    assert "CHILD-NOTES-SECRET" not in bob.content.decode()


def test_a_parent_or_the_coordinator_cannot_share(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant, approved=True)
    for user in (service.coordinator, service.parties["alice"]):
        assert token_client(user).post(_url(family, offer, "share")).status_code == 404
    offer.refresh_from_db()
    assert offer.feedback_shared_at is None


def test_feedback_the_child_did_not_approve_is_not_shared(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant, approved=False)
    refused = token_client(consultant).post(_url(family, offer, "share"))
    assert refused.status_code == 422 and "child approved" in refused.json()["detail"]
    offer.refresh_from_db()
    assert offer.feedback_shared_at is None and offer.status == OfferStatus.MET
    alice = token_client(service.parties["alice"]).get(f"/cases/{family.pk}/children/offers")
    assert alice.json()[0]["feedback"] == ""


# A safeguarding concern from the meeting --------------------------------------------------------


def test_a_case_mediator_raises_a_concern_from_the_meeting(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant, approved=False)
    raised = token_client(service.mediator).post(
        _url(family, offer, "concern"), {"allegation": "Said she is scared to go home."}
    )
    assert raised.status_code == 201
    concern = SafeguardingConcern.objects.get(pk=raised.json()["concern_id"])
    assert concern.case_id == family.pk and concern.subject_kind == "child"
    offer.refresh_from_db()
    assert offer.concern_id == concern.pk and raised.json()["offer"]["concern_raised"] is True
    assert AuditEvent.objects.filter(action="children.concern_raised").count() == 1
    # The concern opens the notes to the supervisor; never to a parent.
    supervisor = token_client(service.supervisor).get(f"/cases/{family.pk}/children/offers")
    assert supervisor.json()[0]["notes"] == NOTES
    alice = token_client(service.parties["alice"]).get(f"/cases/{family.pk}/children/offers")
    assert alice.json()[0]["concern_raised"] is None
    assert "scared" not in alice.content.decode()


def test_a_concern_is_not_raised_by_a_parent_or_the_coordinator(
    service, family, parents, consultant
):
    offer = _met(service, family, parents, consultant, approved=False)
    body = {"allegation": "Something."}
    for user in (service.parties["bob"], service.coordinator):
        assert token_client(user).post(_url(family, offer, "concern"), body).status_code == 404
    # The consultant outside the case team is told to have the case's mediator raise it.
    outside = token_client(consultant).post(_url(family, offer, "concern"), body)
    assert outside.status_code == 422 and "raised by its mediator" in outside.json()["detail"]
    assert not SafeguardingConcern.objects.exists()


def test_a_concern_without_an_allegation_is_refused(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant, approved=False)
    api = token_client(service.mediator)
    missing = api.post(_url(family, offer, "concern"), {"immediate_danger": True})
    assert missing.status_code == 422 and "allegation" in missing.json()["errors"]
    unknown = api.post(_url(family, offer, "concern"), {"allegation": "x", "colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["errors"]
    assert not SafeguardingConcern.objects.exists()
    offer.refresh_from_db()
    assert offer.concern_id is None


# The consultant reaches the case's children without being on its team -------------------------


def test_the_consultant_lists_the_offers_they_hold(
    service, other_service, family, parents, consultant
):
    _met(service, family, parents, consultant, approved=False)
    api = token_client(consultant)
    offers = api.get(f"/cases/{family.pk}/children/offers")
    assert offers.status_code == 200 and offers.json()[0]["notes"] == NOTES
    assert [c["full_name"] for c in api.get(f"/cases/{family.pk}/children").json()] == [
        "Maya Smith"
    ]
    # Staff of another service learn nothing of the case.
    other = token_client(other_service.mediator).get(f"/cases/{family.pk}/children/offers")
    assert other.status_code == 404


# The mediators' child-inclusive training ------------------------------------------------------


def _profile(service: Any) -> Any:
    from accord.organisations.models import MediatorProfile

    profile, _ = MediatorProfile.objects.get_or_create(
        organisation=service.organisation, user=service.mediator2
    )
    return profile


def test_an_admin_lists_and_records_a_mediators_training(service):
    profile = _profile(service)
    admin = token_client(service.admin)
    saved = admin.put(
        f"/child-consultants/{profile.pk}", {"trained": True, "dbs_checked_on": "2025-03-01"}
    )
    assert saved.status_code == 200 and saved.json()["trained"] is True
    record = ChildConsultant.objects.get(profile=profile)
    assert record.trained and record.dbs_checked_on == dt.date(2025, 3, 1)
    assert AuditEvent.objects.filter(action="children.consultant_set").count() == 1
    listed = {row["profile_id"]: row for row in admin.get("/child-consultants").json()}
    assert listed[profile.pk]["trained"] is True
    assert services.is_trained_consultant(service.mediator2, service.organisation.pk)


def test_only_the_services_admins_touch_training(service, other_service):
    profile = _profile(service)
    assert token_client(service.mediator).get("/child-consultants").status_code == 404
    for user in (service.mediator, other_service.admin, service.parties["alice"]):
        response = token_client(user).put(f"/child-consultants/{profile.pk}", {"trained": True})
        assert response.status_code == 404
    assert not ChildConsultant.objects.filter(profile=profile).exists()


def test_bad_training_input_names_the_field(service):
    profile = _profile(service)
    admin = token_client(service.admin)
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    late = admin.put(
        f"/child-consultants/{profile.pk}", {"trained": True, "dbs_checked_on": future}
    )
    assert late.status_code == 422 and "dbs_checked_on" in late.json()["errors"]
    vague = admin.put(f"/child-consultants/{profile.pk}", {"trained": "perhaps"})
    assert vague.status_code == 422 and "trained" in vague.json()["errors"]
    assert not ChildConsultant.objects.filter(profile=profile).exists()


# Schedules: one with its month, and two compared -----------------------------------------------


def _schedule(service: Any, family: Any, actor: Any = None, **over: Any) -> Any:
    data: dict[str, Any] = {
        "actor": actor or service.mediator,
        "case": family,
        "name": "2-2-5-5",
        "pattern": "2-2-5-5",
        "anchor": dt.date(2027, 1, 4),
    }
    data.update(over)
    return schedules.schedule_save(**data)


def test_a_schedule_is_read_with_its_month(service, family):
    schedule = _schedule(service, family)
    response = token_client(service.parties["bob"]).get(
        f"/cases/{family.pk}/schedules/{schedule.pk}", month="2027-01"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2027-01" and body["name"] == "2-2-5-5"
    # From the anchor (Monday 4 January) to the end of the month, the 2-2-5-5 rotation.
    assert body["days"][0] == {"on": "2027-01-04", "carer": "A"}
    assert "".join(d["carer"] for d in body["days"][:14]) == "AABBAAAAABBBBB"
    assert len(body["days"]) == 28
    assert sum(p["nights"] for p in body["next_12_months"]) in (365, 366)


def test_a_parent_does_not_read_the_other_parents_own_proposal(service, other_service, family):
    own = _schedule(service, family, actor=service.parties["alice"], name="Mine")
    bob = token_client(service.parties["bob"])
    assert bob.get(f"/cases/{family.pk}/schedules/{own.pk}").status_code == 404
    assert bob.get(f"/cases/{family.pk}/schedules/compare", a=own.pk, b=own.pk).status_code == 404
    staff = token_client(other_service.mediator)
    assert staff.get(f"/cases/{family.pk}/schedules/{own.pk}").status_code == 404
    alice = token_client(service.parties["alice"])
    assert alice.get(f"/cases/{family.pk}/schedules/{own.pk}").status_code == 200


def test_two_schedules_are_compared_day_by_day(service, family):
    first = _schedule(service, family)
    second = _schedule(service, family, name="Alternate weeks", pattern="alternating_weeks")
    response = token_client(service.mediator).get(
        f"/cases/{family.pk}/schedules/compare", a=first.pk, b=second.pk, month="2027-01"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first"]["id"] == first.pk and body["second"]["id"] == second.pk
    # 2-2-5-5 AABBAAAAABBBBB against AAAAAAABBBBBBB: days 3, 4, 8 and 9 of each fortnight differ.
    first_fortnight = body["days"][:14]
    assert [d["on"][-2:] for d in first_fortnight if d["differs"]] == ["06", "07", "11", "12"]
    assert body["differing"] == sum(1 for d in body["days"] if d["differs"])
    # Without a choice: the first two schedules.
    default = token_client(service.mediator).get(f"/cases/{family.pk}/schedules/compare")
    assert default.json()["first"]["id"] == first.pk


@pytest.mark.parametrize("month", ["2027-13", "January", "1999-12", "2027-1-1"])
def test_a_bad_month_names_the_field(service, family, month):
    schedule = _schedule(service, family)
    api = token_client(service.mediator)
    one = api.get(f"/cases/{family.pk}/schedules/{schedule.pk}", month=month)
    assert one.status_code == 422 and "month" in one.json()["errors"]
    _schedule(service, family, name="Second")
    two = api.get(f"/cases/{family.pk}/schedules/compare", month=month)
    assert two.status_code == 422 and "month" in two.json()["errors"]


def test_each_parent_reads_their_own_time_handover_to_handover(service, family):
    schedule = _schedule(service, family)
    alice = token_client(service.parties["alice"])
    response = alice.get(f"/cases/{family.pk}/schedules/{schedule.pk}/time")
    assert response.status_code == 200
    body = response.json()
    assert body["parent"] == "A" and body["name"] == "Alice Smith"
    # 2-2-5-5 from Monday 4 January: A has the 4th and 5th, then the 8th to the 12th.
    london = timezone.get_current_timezone()
    starts = [dt.datetime.fromisoformat(b["start"]).astimezone(london) for b in body["blocks"][:2]]
    ends = [dt.datetime.fromisoformat(b["end"]).astimezone(london) for b in body["blocks"][:2]]
    assert [(d.day, d.hour) for d in starts] == [(4, 18), (8, 18)]
    assert [(d.day, d.hour) for d in ends] == [(6, 18), (13, 18)]
    staff = token_client(service.mediator)
    bobs = staff.get(f"/cases/{family.pk}/schedules/{schedule.pk}/time", parent="B").json()
    assert bobs["name"] == "Bob Jones" and bobs["blocks"][0]["start"] != body["blocks"][0]["start"]


def test_a_parent_does_not_ask_for_the_other_parents_time(service, other_service, family):
    schedule = _schedule(service, family)
    bob = token_client(service.parties["bob"])
    url = f"/cases/{family.pk}/schedules/{schedule.pk}/time"
    assert bob.get(url, parent="A").status_code == 404
    assert bob.get(url).json()["parent"] == "B"
    assert token_client(other_service.mediator).get(url).status_code == 404
    bad = token_client(service.mediator).get(url, parent="C")
    assert bad.status_code == 422 and "parent" in bad.json()["errors"]


def test_the_parents_read_the_agreed_figure_and_nothing_else(service, other_service, family):
    estimate = _estimate(service, family)
    alice = token_client(service.parties["alice"])
    url = f"/cases/{family.pk}/maintenance/agreed"
    assert alice.get(url).json() == {"agreed": False, "weekly": "", "estimate_only": True}
    estimates.estimate_agree(actor=service.mediator, estimate=estimate)
    body = alice.get(url).json()
    assert body == {"agreed": True, "weekly": str(estimate.weekly), "estimate_only": True}
    # The income behind it stays with the case team, as on the page.
    assert "650" not in alice.get(url).content.decode()
    assert alice.get(f"/cases/{family.pk}/maintenance").status_code == 404
    assert token_client(other_service.mediator).get(url).status_code == 404
    civil = service.cases["civil"]
    assert (
        token_client(service.mediator2).get(f"/cases/{civil.pk}/maintenance/agreed").status_code
        == 404
    )


# Maintenance: what an estimate starts from, one estimate, the agreed figure -------------------


def _estimate(service: Any, family: Any) -> MaintenanceEstimate:
    pytest.importorskip("accord.maintenance")
    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(8)
    )
    return estimates.estimate_make(
        actor=service.mediator,
        case=family,
        paying_parent=schedules.parents_of(family)[1],
        gross_weekly_income="650.00",
        qualifying_children=1,
    )


def test_an_estimate_is_read_and_agreed(service, family):
    first = _estimate(service, family)
    second = estimates.estimate_make(
        actor=service.mediator,
        case=family,
        paying_parent=schedules.parents_of(family)[1],
        gross_weekly_income="700.00",
        qualifying_children=1,
    )
    estimates.estimate_agree(actor=service.mediator, estimate=first)
    api = token_client(service.mediator)
    read = api.get(f"/cases/{family.pk}/maintenance/{second.pk}")
    assert read.status_code == 200
    assert read.json()["gross_weekly_income"] == "700.00" and read.json()["agreed"] is False
    agreed = api.post(f"/cases/{family.pk}/maintenance/{second.pk}/agree")
    assert agreed.status_code == 200 and agreed.json()["agreed"] is True
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.agreed_at is not None and first.agreed_at is None
    assert estimates.agreed_estimate(family) == second
    assert AuditEvent.objects.filter(action="children.estimate_agreed").count() == 2


def test_a_parent_neither_reads_nor_agrees_an_estimate(service, other_service, family):
    estimate = _estimate(service, family)
    for user in (service.parties["alice"], other_service.mediator):
        api = token_client(user)
        assert api.get(f"/cases/{family.pk}/maintenance/{estimate.pk}").status_code == 404
        assert api.get(f"/cases/{family.pk}/maintenance/inputs").status_code == 404
        assert api.post(f"/cases/{family.pk}/maintenance/{estimate.pk}/agree").status_code == 404
    estimate.refresh_from_db()
    assert estimate.agreed_at is None


def test_an_estimate_of_another_case_is_not_found(service, family):
    estimate = _estimate(service, family)
    civil = service.cases["civil"]
    # Its lead mediator opens the civil case, but the estimate is not one of its.
    assert token_client(service.mediator2).get(f"/cases/{civil.pk}/schedules").status_code == 200
    api = token_client(service.mediator2)
    assert api.post(f"/cases/{civil.pk}/maintenance/{estimate.pk}/agree").status_code == 404
    api = token_client(service.mediator)
    assert api.post(f"/cases/{family.pk}/maintenance/0/agree").status_code == 422
    estimate.refresh_from_db()
    assert estimate.agreed_at is None


def test_the_estimate_names_the_paying_parent_field_it_was_sent(service, family):
    pytest.importorskip("accord.maintenance")
    services.child_add(
        actor=service.coordinator, case=family, full_name="Maya", date_of_birth=born_years_ago(8)
    )
    carol = service.cases["civil"].participants.get(full_name="Carol Brown")
    refused = token_client(service.mediator).post(
        f"/cases/{family.pk}/maintenance",
        {"paying_parent_id": carol.pk, "gross_weekly_income": "650", "qualifying_children": 1},
    )
    assert refused.status_code == 422 and "paying_parent_id" in refused.json()["errors"]
    assert not MaintenanceEstimate.objects.exists()


def test_the_inputs_show_the_agreed_schedule_and_each_parents_disclosed_income(service, family):
    schedule = _schedule(service, family)
    schedules.schedule_agree(actor=service.mediator, schedule=schedule)
    inputs = token_client(service.mediator).get(f"/cases/{family.pk}/maintenance/inputs")
    assert inputs.status_code == 200
    body = inputs.json()
    assert body["agreed_schedule_id"] == schedule.pk
    assert [p["name"] for p in body["parents"]] == ["Alice Smith", "Bob Jones"]
    # A case about the children only has no financial disclosure: no income to offer.
    assert all(p["disclosure_weekly"] == "" for p in body["parents"])
    civil = service.cases["civil"]
    assert (
        token_client(service.mediator2).get(f"/cases/{civil.pk}/maintenance/inputs").status_code
        == 404
    )


# School terms: removing one --------------------------------------------------------------------


def _term(service: Any, name: str, start: dt.date) -> SchoolTerm:
    return schedules.term_add(
        actor=service.admin,
        organisation_id=service.organisation.pk,
        name=name,
        start=start,
        end=start + dt.timedelta(days=40),
    )


def test_an_admin_removes_a_term(service):
    autumn = _term(service, "Autumn", dt.date(2026, 9, 2))
    _term(service, "Spring", dt.date(2027, 1, 5))
    response = token_client(service.admin).delete(f"/school-terms/{autumn.pk}")
    assert response.status_code == 200
    assert [t["name"] for t in response.json()] == ["Spring"]
    assert list(SchoolTerm.objects.values_list("name", flat=True)) == ["Spring"]
    assert AuditEvent.objects.filter(action="children.term_removed").count() == 1


def test_only_the_services_admins_remove_its_terms(service, other_service):
    autumn = _term(service, "Autumn", dt.date(2026, 9, 2))
    for user in (service.mediator, other_service.admin):
        assert token_client(user).delete(f"/school-terms/{autumn.pk}").status_code == 404
    assert SchoolTerm.objects.filter(pk=autumn.pk).exists()


def test_removing_a_term_that_is_not_there(service):
    autumn = _term(service, "Autumn", dt.date(2026, 9, 2))
    admin = token_client(service.admin)
    assert admin.delete(f"/school-terms/{autumn.pk + 1000}").status_code == 404
    assert admin.delete("/school-terms/nine").status_code == 422
    assert SchoolTerm.objects.count() == 1
