"""The children of a case and child-inclusive mediation: offer, private consent, meeting, notes,
feedback, safeguarding, and the leak test (pages, API, documents, emails)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.progress import next_steps, party_actions
from accord.children import selectors, services
from accord.children.models import CaseChild, ChildOffer, OfferStatus
from accord.children.tests.conftest import born_years_ago
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.deadlines.models import OutboundEmail

pytestmark = pytest.mark.django_db

NOTES = "CHILD-NOTES-SECRET: worried about moving schools."
FEEDBACK = "Maya would like to keep her Saturday swimming."


def _child(service: Any, family: Any, years: int = 12, name: str = "Maya Smith") -> CaseChild:
    return services.child_add(
        actor=service.coordinator,
        case=family,
        full_name=name,
        date_of_birth=born_years_ago(years),
    )


def _consented(service: Any, family: Any) -> ChildOffer:
    offer = services.child_offer_make(actor=service.coordinator, child=_child(service, family))
    services.consent_answer(actor=service.parties["alice"], offer=offer, answer="consent")
    services.consent_answer(actor=service.parties["bob"], offer=offer, answer="consent")
    offer.refresh_from_db()
    return offer


def _met(service: Any, family: Any, parents: Any, consultant: Any) -> ChildOffer:
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
    ChildOffer.objects.filter(pk=offer.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    offer.refresh_from_db()
    return services.child_meeting_record(
        actor=consultant, offer=offer, notes=NOTES, feedback=FEEDBACK, child_approved=True
    )


# 1. Children as records ------------------------------------------------------------------------


def test_children_are_recorded_and_those_aged_ten_are_flagged(service, family):
    older = _child(service, family, 10, "Maya Smith")
    younger = _child(service, family, 7, "Leo Smith")
    assert selectors.should_be_offered(older)
    assert not selectors.should_be_offered(younger)
    today = timezone.localdate()
    # The flag is on the day of the offer: the day before a 10th birthday, not yet.
    eve = today.replace(year=today.year - 10) + dt.timedelta(days=1)
    almost = services.child_add(
        actor=service.coordinator, case=family, full_name="Zoe", date_of_birth=eve
    )
    assert almost.age_on(today) == 9
    steps = [s.text for s in next_steps(family)]
    assert any("Offer Maya Smith (aged 10)" in s for s in steps)
    assert not any("Leo" in s or "Zoe" in s for s in steps)
    assert AuditEvent.objects.filter(action="children.child_added").count() == 3
    assert younger.case_id == family.pk


@pytest.mark.parametrize(
    ("name", "born", "field"),
    [
        ("", dt.date(2015, 1, 1), "full_name"),
        ("Maya", None, "date_of_birth"),
        ("Maya", dt.date(2999, 1, 1), "date_of_birth"),
        ("x" * 201, dt.date(2015, 1, 1), "full_name"),
    ],
)
def test_bad_child_input_is_refused_and_nothing_saved(service, family, name, born, field):
    with pytest.raises(ValidationFailed) as caught:
        services.child_add(
            actor=service.coordinator, case=family, full_name=name, date_of_birth=born
        )
    assert field in caught.value.field_errors
    assert not CaseChild.objects.exists()


def test_the_part_applies_to_children_cases_only(service):
    with pytest.raises(ValidationFailed, match="family cases about children"):
        services.child_add(
            actor=service.coordinator,
            case=service.cases["civil"],
            full_name="A",
            date_of_birth=dt.date(2015, 1, 1),
        )


def test_children_come_in_from_the_enquiry_once(service, family):
    from accord.intake.models import Child, Enquiry

    enquiry = Enquiry.objects.filter(case=family).first() or Enquiry.objects.create(
        organisation=family.organisation,
        case=family,
        source="staff",
        urgency="routine",
        submitted_at=timezone.now(),
    )
    Child.objects.create(enquiry=enquiry, full_name="No date of birth")
    Child.objects.create(enquiry=enquiry, full_name="Sam", date_of_birth=dt.date(2014, 2, 2))
    assert len(services.children_import_from_enquiry(actor=service.coordinator, case=family)) == 1
    assert services.children_import_from_enquiry(actor=service.coordinator, case=family) == []


# 2. The offer and the parents' private answers ------------------------------------------------


def test_neither_parent_sees_the_others_answer_until_both_answered(service, family):
    offer = services.child_offer_make(actor=service.coordinator, child=_child(service, family))
    alice, bob = service.parties["alice"], service.parties["bob"]
    assert [a.text for a in party_actions(family, offer.case.participants.get(user=alice))]
    services.consent_answer(actor=alice, offer=offer, answer="decline")
    bob_view = selectors.offers_for_party(user=bob, case=family)[0]
    assert bob_view.other_answer == "" and not bob_view.both_answered
    alice_view = selectors.offers_for_party(user=alice, case=family)[0]
    assert alice_view.my_answer == "decline" and alice_view.other_answer == ""
    # The page, the timeline and the outbox say nothing of Alice's answer yet.
    client = Client()
    client.force_login(bob)
    page = client.get(reverse("children:portal", args=[family.pk])).content.decode()
    assert "declin" not in page.lower()
    assert not OutboundEmail.objects.filter(subject__icontains="hearing").exists()
    event = AuditEvent.objects.get(action="children.consent_answered")
    assert "decline" not in str(event.details)
    services.consent_answer(actor=bob, offer=offer, answer="consent")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert selectors.offers_for_party(user=bob, case=family)[0].other_answer == "decline"
    assert OutboundEmail.objects.filter(subject__icontains="hearing").count() == 2
    with pytest.raises(ValidationFailed, match="no longer be changed"):
        services.consent_answer(actor=alice, offer=offer, answer="consent")


def test_only_a_parent_of_the_case_may_answer(service, family):
    offer = services.child_offer_make(actor=service.coordinator, child=_child(service, family))
    with pytest.raises(NotFoundOrHidden):
        services.consent_answer(actor=service.parties["carol"], offer=offer, answer="consent")
    with pytest.raises(ValidationFailed):
        services.consent_answer(actor=service.parties["alice"], offer=offer, answer="maybe")


def test_an_offer_is_made_once(service, family):
    child = _child(service, family)
    services.child_offer_make(actor=service.coordinator, child=child)
    with pytest.raises(ValidationFailed, match="already been offered"):
        services.child_offer_make(actor=service.coordinator, child=child)


# The consultant, the meeting, the notes, the feedback -----------------------------------------


def test_only_a_trained_mediator_may_be_the_consultant(service, family, consultant):
    offer = _consented(service, family)
    with pytest.raises(ValidationFailed, match="trained"):
        services.consultant_assign(
            actor=service.coordinator, offer=offer, consultant=service.mediator
        )
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    assert services.is_trained_consultant(consultant, service.organisation.pk)


def test_the_meeting_needs_consent_and_is_in_the_diary(service, family, parents, consultant):
    from accord.meetings.appointments import appointments_between

    offer = services.child_offer_make(actor=service.coordinator, child=_child(service, family))
    when = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationFailed, match="Both parents must consent"):
        services.child_meeting_book(
            actor=service.coordinator,
            offer=offer,
            starts_at=when,
            mode="in_person",
            place="Room 2",
            brought_by=parents["alice"],
        )
    offer = _met(service, family, parents, consultant)
    assert offer.starts_at is not None
    found = appointments_between(
        service.organisation.pk, offer.starts_at - dt.timedelta(hours=1), when
    )
    assert [a.kind for a in found] == ["child_meeting"]


def test_the_booking_page_books_over_the_bringing_parents_clash_with_a_reason(
    service, family, parents, consultant
):
    from accord.meetings.tests.helpers import book as book_miam

    day = timezone.localdate() + dt.timedelta(days=14)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday: no weekend warning
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))
    book_miam(service, "Alice Smith", starts_at=when)
    offer = _consented(service, family)
    services.consultant_assign(actor=service.coordinator, offer=offer, consultant=consultant)
    client = Client()
    client.force_login(service.coordinator)
    url = reverse("children:book", args=[family.pk, offer.pk])
    form = {
        "starts_at": timezone.localtime(when).strftime("%d/%m/%Y %H:%M"),
        "duration_minutes": "45",
        "mode": "in_person",
        "place": "Room 2, 5 High Street",
        "brought_by": str(parents["alice"].pk),
    }
    # Alice is at her MIAM then: the page shows the clash and books nothing.
    refused = client.post(url, form)
    assert refused.status_code == 422
    assert "Clash: someone attending is already booked" in refused.content.decode()
    offer.refresh_from_db()
    assert offer.starts_at is None

    reason = "Alice asked to come straight from her MIAM, in the same building."
    booked = client.post(url, {**form, "confirm_warnings": "on", "confirm_reason": reason})
    assert booked.status_code == 302
    offer.refresh_from_db()
    assert offer.starts_at == when and offer.warnings_reason == reason
    event = AuditEvent.objects.get(action="appointment.warnings_confirmed", target_id=str(offer.pk))
    assert event.details["clash"] is True and event.details["with_reason"] is True


def test_notes_are_read_by_the_consultant_and_mediators_only(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant)
    offer.refresh_from_db()
    assert selectors.notes_visible(consultant, offer)
    assert selectors.notes_visible(service.mediator, offer)
    assert not selectors.notes_visible(service.supervisor, offer)
    assert not selectors.notes_visible(service.coordinator, offer)
    assert not selectors.notes_visible(service.parties["alice"], offer)
    # A safeguarding concern from the meeting opens the notes to the supervisor.
    with pytest.raises(ValidationFailed, match="raised by its mediator"):
        services.child_meeting_concern_raise(
            actor=consultant, offer=offer, allegation="Said she was hit at home."
        )
    concern = services.child_meeting_concern_raise(
        actor=service.mediator, offer=offer, allegation="Said she was hit at home."
    )
    offer.refresh_from_db()
    assert offer.concern_id == concern.pk and concern.subject_kind == "child"
    assert selectors.notes_visible(service.supervisor, offer)


def test_only_approved_feedback_is_shared(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant)
    offer = services.child_meeting_record(
        actor=consultant, offer=offer, notes=NOTES, feedback=FEEDBACK, child_approved=False
    )
    with pytest.raises(ValidationFailed, match="child approved"):
        services.feedback_share(actor=consultant, offer=offer)
    assert selectors.offers_for_party(user=service.parties["bob"], case=family)[0].feedback == ""
    offer = services.child_meeting_record(
        actor=consultant, offer=offer, notes=NOTES, feedback=FEEDBACK, child_approved=True
    )
    assert selectors.offers_for_party(user=service.parties["bob"], case=family)[0].feedback == ""
    services.feedback_share(actor=consultant, offer=offer)
    assert (
        selectors.offers_for_party(user=service.parties["bob"], case=family)[0].feedback == FEEDBACK
    )


def test_a_parent_cannot_record_or_open_staff_pages(service, family, parents, consultant):
    offer = _met(service, family, parents, consultant)
    with pytest.raises(NotFoundOrHidden):
        services.child_meeting_record(
            actor=service.parties["alice"],
            offer=offer,
            notes="x",
            feedback="",
            child_approved=False,
        )
    client = Client()
    client.force_login(service.parties["alice"])
    for name in ("case", "add"):
        assert client.get(reverse(f"children:{name}", args=[family.pk])).status_code in (
            302,
            403,
            404,
        )


def test_leak_no_parent_ever_sees_the_notes(service, family, parents, consultant):
    """Pages, API, documents and emails: the child's notes never reach a parent."""
    from accord.api.tests.conftest import token_client

    offer = _met(service, family, parents, consultant)
    services.feedback_share(actor=consultant, offer=offer)
    for who in ("alice", "bob"):
        client = Client()
        client.force_login(service.parties[who])
        for url in (
            reverse("children:portal", args=[family.pk]),
            reverse("portal:case", args=[family.pk]),
        ):
            page = client.get(url).content.decode()
            assert "CHILD-NOTES-SECRET" not in page
        assert FEEDBACK in client.get(reverse("children:portal", args=[family.pk])).content.decode()
        api = token_client(service.parties[who])
        body = api.get(f"/cases/{family.pk}/children/offers").content.decode()
        assert "CHILD-NOTES-SECRET" not in body and FEEDBACK in body
    for email in OutboundEmail.objects.all():
        assert "CHILD-NOTES-SECRET" not in email.body + email.subject
    from accord.documents.models import DocumentVersion

    for version in DocumentVersion.objects.filter(document__case=family):
        with version.content.open("rb") as handle:
            assert b"CHILD-NOTES-SECRET" not in handle.read()
    # The supervisor does not read them either (no concern raised).
    client = Client()
    client.force_login(service.supervisor)
    page = client.get(reverse("children:case", args=[family.pk])).content.decode()
    assert "CHILD-NOTES-SECRET" not in page
    client.force_login(consultant)
    page = client.get(reverse("children:case", args=[family.pk])).content.decode()
    assert "CHILD-NOTES-SECRET" in page


def test_staff_pages_walk_the_offer(service, family, parents, consultant):
    client = Client()
    client.force_login(service.coordinator)
    url = reverse("children:add", args=[family.pk])
    response = client.post(url, {"full_name": "", "date_of_birth": "31/02/2015"})
    assert response.status_code == 422 and b"Enter the child" in response.content
    assert not CaseChild.objects.exists()
    response = client.post(url, {"full_name": "Maya Smith", "date_of_birth": "1/1/2013"})
    assert response.status_code == 302
    child = CaseChild.objects.get()
    assert client.post(reverse("children:offer", args=[family.pk, child.pk])).status_code == 302
    page = client.get(reverse("children:case", args=[family.pk])).content.decode()
    assert "Waiting for both parents" in page
    detail = client.get(reverse("cases:detail", args=[family.pk]) + "?section=people")
    assert b"Maya Smith" in detail.content
    parent = Client()
    parent.force_login(service.parties["alice"])
    offer = ChildOffer.objects.get()
    answer_url = reverse("children:answer", args=[family.pk, offer.pk])
    assert parent.post(answer_url, {}).status_code == 422
    assert parent.post(answer_url, {"answer": "consent"}).status_code == 302
    assert b"Hearing your children" in parent.get(reverse("portal:case", args=[family.pk])).content


def test_an_admin_records_a_mediators_training(service):
    from accord.organisations.models import MediatorProfile

    profile, _ = MediatorProfile.objects.get_or_create(
        organisation=service.organisation, user=service.mediator2
    )
    client = Client()
    client.force_login(service.admin)
    assert client.get(reverse("children:consultants")).status_code == 200
    url = reverse("children:consultant_edit", args=[profile.pk])
    bad = client.post(url, {"trained": "on", "dbs_checked_on": "1/1/2999"})
    assert bad.status_code == 422
    assert client.post(url, {"trained": "on", "dbs_checked_on": "1/3/2025"}).status_code == 302
    assert services.is_trained_consultant(service.mediator2, service.organisation.pk)
    client.force_login(service.mediator)
    assert client.get(reverse("children:consultants")).status_code == 404
    with pytest.raises(Exception, match="administrators"):
        services.consultant_set(
            actor=service.mediator, profile=profile, trained=False, dbs_checked_on=None
        )
