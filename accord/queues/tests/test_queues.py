"""Each queue: what is in it, and what is not (other services, other mediators' cases, hidden
records), with the dashboard count always agreeing with the list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.meetings.models import Miam
from accord.organisations import services as org_services
from accord.organisations.models import Role
from accord.queues.registry import queue_for
from accord.queues.selectors import queue_counts, queue_list
from accord.queues.tests import helpers as h
from accord.testing.factories import staff_member


def rows(user, code):
    """The queue's rows for the user, checking the dashboard count agrees with the list."""
    queue = queue_for(user, code)
    assert queue is not None, f"{code} is not one of the user's queues"
    listing = queue_list(user=user, queue=queue)
    count = {c.queue.code: c.count for c in queue_counts(user=user)}[code]
    assert count == listing.total == len(listing.rows)
    return listing.rows


def cases_in(user, code):
    return [row.case.pk for row in rows(user, code)]


def alice(service):
    return Participant.objects.get(case=service.case, full_name="Alice Smith")


def bob(service):
    return Participant.objects.get(case=service.case, full_name="Bob Jones")


# Coordinator ----------------------------------------------------------------------------------


def test_enquiries_awaiting_the_conflict_check(service, other_service):
    waiting = h.enquiry(service.case, urgency="urgent")
    decided = h.open_case(service, title="Decided")
    h.enquiry(decided, conflict_decision="no_conflict")
    closed = h.open_case(service, title="Closed")
    h.enquiry(closed)
    Case.objects.filter(pk=closed.pk).update(stage="closed")
    h.enquiry(other_service.case)
    found = rows(service.coordinator, "enquiries-awaiting-conflict-check")
    assert [r.case.pk for r in found] == [waiting.case_id]
    assert found[0].flag == "Urgent"
    assert cases_in(other_service.coordinator, "enquiries-awaiting-conflict-check") == [
        other_service.case.pk
    ]


def test_invitations_awaiting_an_answer_and_lapsed_are_separate_and_current_only(
    service, other_service
):
    waiting = h.invitation(service.case, bob(service))
    old = h.invitation(service.case, alice(service), status="lapsed")
    lapsed = h.invitation(service.cases["civil"], h.party(service.cases["civil"]), "lapsed")
    # Alice was invited again: her old lapsed invitation is no longer work to do.
    again = h.invitation(service.case, alice(service))
    old.superseded_by = again
    old.save(update_fields=["superseded_by"])
    h.invitation(service.case, bob(service), status="willing")
    h.invitation(other_service.case, h.party(other_service.case))
    awaiting = rows(service.coordinator, "invitations-awaiting-answer")
    assert sorted(r.label for r in awaiting) == ["Alice Smith", "Bob Jones"]
    assert {r.case.pk for r in awaiting} == {waiting.case_id, again.case_id}
    assert cases_in(service.coordinator, "invitations-lapsed") == [lapsed.case_id]


def test_parties_without_a_miam_booked_or_held_on_family_cases_only(service, other_service):
    # Before the conflict check no one is owed a MIAM yet.
    assert rows(service.coordinator, "parties-without-miam") == []
    Case.objects.filter(pk__in=[service.case.pk, other_service.case.pk]).update(stage="miam")
    Case.objects.filter(pk=service.cases["civil"].pk).update(stage="willingness")
    h.miam(service.case, service.mediator, [alice(service)], status="held")
    h.miam(service.case, service.mediator, [bob(service)], status="cancelled")
    # The civil case has a party but no MIAM part: it never appears.
    h.party(service.cases["civil"], "Civil Party")
    found = rows(service.coordinator, "parties-without-miam")
    assert [r.label for r in found] == ["Bob Jones"]
    h.miam(service.case, service.mediator, [bob(service)])
    assert rows(service.coordinator, "parties-without-miam") == []
    assert [r.label for r in rows(other_service.coordinator, "parties-without-miam")] == [
        "Alice Smith",
        "Bob Jones",
    ]
    # Once the case has moved past the MIAMs it is no longer work for the coordinator.
    Case.objects.filter(pk=other_service.case.pk).update(stage="mediation")
    assert rows(other_service.coordinator, "parties-without-miam") == []


# Mediator -------------------------------------------------------------------------------------


def test_appointments_today_and_this_week_are_the_mediators_own(service, other_service):
    now = timezone.localtime()
    today = now.replace(hour=23, minute=0) if now.hour < 23 else now
    in_three_days = now + dt.timedelta(days=3)
    miam_today = h.miam(service.case, service.mediator, [alice(service)], starts_at=today)
    h.miam(service.case, service.mediator, [bob(service)], starts_at=in_three_days)
    h.miam(
        service.case,
        service.mediator,
        [bob(service)],
        starts_at=now + dt.timedelta(days=9),
    )
    h.miam(service.case, service.mediator, [bob(service)], starts_at=today, status="cancelled")
    co_led = h.open_case(service, lead=service.mediator2, co_mediator=service.mediator)
    session = h.session(co_led, [service.mediator2, service.mediator], in_three_days)
    h.miam(service.cases["civil"], service.mediator2, [], starts_at=today)
    assert [r.label for r in rows(service.mediator, "appointments-today")] == ["MIAM"]
    assert rows(service.mediator, "appointments-today")[0].url.endswith(f"#miam-{miam_today.pk}")
    week = rows(service.mediator, "appointments-this-week")
    assert [r.label for r in week] == ["MIAM", "MIAM", "Joint session"]
    assert [r.when for r in week] == sorted(r.when for r in week)
    assert f"/sessions/{session.pk}/" in week[2].url
    assert len(rows(service.mediator2, "appointments-this-week")) == 2
    assert rows(other_service.mediator, "appointments-this-week") == []


def test_screenings_to_record_are_for_held_miams_on_the_mediators_own_cases(service):
    held = h.miam(service.case, service.mediator, [alice(service), bob(service)], status="held")
    h.screening(held, alice(service), service.mediator)
    h.miam(service.case, service.mediator, [alice(service)], status="booked")
    found = rows(service.mediator, "screenings-to-record")
    assert [r.label for r in found] == ["Screen Bob Jones"]
    assert f"/miams/{held.pk}/screening/{bob(service).pk}/" in found[0].url
    # The other mediator is not on the family case: they see nothing of it.
    assert rows(service.mediator2, "screenings-to-record") == []


def test_suitability_decisions_wait_for_a_held_miam_and_go_once_decided(service):
    assert rows(service.mediator, "suitability-to-decide") == []
    h.miam(service.case, service.mediator, [alice(service)], status="held")
    assert cases_in(service.mediator, "suitability-to-decide") == [service.case.pk]
    assert rows(service.mediator2, "suitability-to-decide") == []
    h.suitability(service.case, service.mediator)
    assert rows(service.mediator, "suitability-to-decide") == []


def test_drafts_to_finish_are_drafts_on_the_mediators_cases(service, other_service):
    draft = h.outcome(service.case, service.mediator)
    h.outcome(service.case, service.mediator, status="withdrawn", kind="parenting_plan")
    h.outcome(service.cases["civil"], service.mediator2, kind="settlement")
    h.outcome(other_service.case, other_service.mediator)
    found = rows(service.mediator, "drafts-to-finish")
    assert [r.url for r in found] == [f"/cases/{service.case.pk}/outcomes/{draft.pk}/"]


def test_deadlines_on_the_mediators_cases_and_those_they_own(service, other_service):
    mine = h.deadline(service.case, service.coordinator, title="On my case")
    # Owned, but on a case they cannot open: it stays hidden.
    h.deadline(service.cases["civil"], service.mediator, title="Owned by me")
    h.deadline(service.cases["civil"], service.mediator2, title="Someone else's")
    met = h.deadline(service.case, service.mediator, title="Met already")
    met.status, met.resolved_at = "met", timezone.now()
    met.save(update_fields=["status", "resolved_at"])
    h.deadline(other_service.case, other_service.mediator, title="Other service")
    assert [r.label for r in rows(service.mediator, "my-deadlines")] == [mine.title]
    # The civil case's lead sees every deadline on it, whoever owns it.
    assert sorted(r.label for r in rows(service.mediator2, "my-deadlines")) == [
        "Owned by me",
        "Someone else's",
    ]


# Supervisor -----------------------------------------------------------------------------------


def test_outcomes_awaiting_approval_are_those_the_supervisor_may_approve(service, other_service):
    from accord.outcomes.services import may_approve

    trainee = h.outcome(
        service.cases["civil"], service.mediator2, "awaiting_approval", "settlement"
    )
    h.outcome(service.case, service.mediator, status="draft")
    h.outcome(other_service.case, other_service.mediator, "awaiting_approval")
    # A case with another supervisor, drafted by a mediator someone else supervises.
    elsewhere = staff_member(service.organisation, Role.SUPERVISOR)
    stranger = staff_member(service.organisation, Role.MEDIATOR, supervisor=elsewhere)
    h.outcome(
        h.open_case(service, lead=stranger, supervisor=elsewhere), stranger, "awaiting_approval"
    )
    found = rows(service.supervisor, "outcomes-awaiting-approval")
    assert [r.url for r in found] == [f"/cases/{trainee.case_id}/outcomes/{trainee.pk}/"]
    assert may_approve(service.supervisor, trainee, trainee.case)
    assert len(rows(elsewhere, "outcomes-awaiting-approval")) == 1


# Safeguarding lead ----------------------------------------------------------------------------


def test_a_raised_concern_reaches_the_safeguarding_leads_queue_and_no_one_elses(
    client, service, other_service
):
    from accord.safeguarding.tests.helpers import ALLEGATION, raise_concern

    concern = raise_concern(service)
    found = rows(service.safeguarding_lead, "open-safeguarding-concerns")
    assert [r.url for r in found] == [
        f"/cases/{service.case.pk}/safeguarding/concerns/{concern.pk}/"
    ]
    assert rows(other_service.safeguarding_lead, "open-safeguarding-concerns") == []
    client.force_login(service.safeguarding_lead)
    page = client.get("/queues/open-safeguarding-concerns/").content.decode()
    assert service.case.reference in page
    # The list names the concern, never what is alleged.
    assert ALLEGATION not in page
    for who in (service.coordinator, service.mediator, service.supervisor, service.admin):
        assert queue_for(who, "open-safeguarding-concerns") is None


def test_a_safeguarding_lead_of_another_service_sees_nothing_here(service, other_service):
    from accord.safeguarding.tests.helpers import raise_concern

    raise_concern(service)
    org_services.membership_grant(
        actor=other_service.admin,
        organisation=other_service.organisation,
        user=service.coordinator,
        role=Role.SAFEGUARDING_LEAD,
    )
    from accord.organisations.selectors import forget_cached_roles

    forget_cached_roles(service.coordinator)
    # A coordinator here and safeguarding lead there: the concern here stays out of their list.
    assert rows(service.coordinator, "open-safeguarding-concerns") == []


def test_self_referral_and_referral_deadlines(service):
    from accord.safeguarding import services as sg
    from accord.safeguarding.tests.helpers import decide, parent, raise_concern

    concern = raise_concern(service)
    assert rows(service.safeguarding_lead, "referral-deadlines") == []
    decide(service, concern)
    referral = sg.self_referral_offer(
        actor=service.mediator, concern=concern, parent=parent(service)
    )
    found = rows(service.safeguarding_lead, "referral-deadlines")
    assert [r.label for r in found] == ["Self-referral by Alice Smith to be confirmed"]
    assert referral.deadline is not None
    assert found[0].when == referral.deadline.due_at


# Service admin --------------------------------------------------------------------------------


def test_staff_without_two_factor_are_listed_for_their_services_admin(service, other_service):
    newcomer = staff_member(service.organisation, Role.COORDINATOR, name="New Starter", mfa=False)
    staff_member(other_service.organisation, Role.MEDIATOR, name="Elsewhere", mfa=False)
    found = rows(service.admin, "staff-without-two-factor")
    assert [r.label for r in found] == ["New Starter"]
    assert str(newcomer.pk) in found[0].url


def test_nothing_here_depends_on_a_miam_existing_for_counting(service):
    # A queue with no items counts 0 (the count subquery of an empty result is not NULL).
    assert Miam.objects.count() == 0
    counts = {c.queue.code: c.count for c in queue_counts(user=service.mediator)}
    assert set(counts.values()) == {0}


def test_suitability_overrides_by_supervisees_reach_their_supervisor_only(service, other_service):
    from accord.mediation.suitability import override_record
    from accord.testing.factories import ready_for_sessions

    ready_for_sessions(service.case, route="shuttle")
    ready_for_sessions(other_service.case, route="shuttle")
    override_record(
        actor=service.mediator, case=service.case, reason="Both parties asked to meet together."
    )
    override_record(
        actor=other_service.mediator, case=other_service.case, reason="Asked for a joint meeting."
    )
    found = rows(service.supervisor, "supervisee-overrides")
    assert [r.case.pk for r in found] == [service.case.pk]
    assert found[0].detail == f"By {service.mediator.full_name}"
    assert "asked" not in found[0].label.lower()  # the reason stays on the case
    elsewhere = staff_member(service.organisation, Role.SUPERVISOR)
    assert rows(elsewhere, "supervisee-overrides") == []
    assert queue_for(service.coordinator, "supervisee-overrides") is None
