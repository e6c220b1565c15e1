"""The safeguarding workflow at service level: raise, decide, self-referral clock, refer, pause."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline, DeadlineStatus, Reminder, ReminderKind
from accord.safeguarding import services
from accord.safeguarding.models import (
    CaseHold,
    ConcernStatus,
    Disclosure,
    LegalBasis,
    Referral,
    ReferralMaker,
    ReferralStatus,
    SafeguardingConcern,
)
from accord.safeguarding.tests.helpers import (
    AGENCY,
    ALLEGATION,
    REFERENCE,
    SHARED,
    SUBJECT,
    Clock,
    decide,
    london,
    offer,
    parent,
    raise_concern,
    record_referral,
)

pytestmark = pytest.mark.django_db


def _restricted_events(case: Case) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="safeguarding.").order_by(
            "sequence"
        )
    )


def _deadline(deadline_id: int | None) -> Deadline:
    assert deadline_id is not None
    return Deadline.objects.get(pk=deadline_id)


# The dates the tests rely on, checked against the holidays package itself.


def test_the_christmas_2026_dates_are_what_the_tests_assume() -> None:
    england = holidays.country_holidays("GB", subdiv="ENG", years=2026)
    assert dt.date(2026, 12, 18).strftime("%A") == "Friday"
    assert dt.date(2026, 12, 24).strftime("%A") == "Thursday"
    assert dt.date(2026, 12, 25) in england  # Christmas Day, a Friday
    assert dt.date(2026, 12, 26) in england  # Boxing Day falls on Saturday ...
    assert dt.date(2026, 12, 28) in england  # ... so Monday 28th is the substitute day
    assert dt.date(2026, 12, 29) not in england
    assert dt.date(2026, 12, 21) not in england


# Raising


def test_any_staff_member_on_the_case_may_raise_a_concern(service, clock: Clock) -> None:
    for person in (
        service.coordinator,
        service.admin,
        service.mediator,
        service.supervisor,
        service.safeguarding_lead,
    ):
        concern = raise_concern(service, actor=person)
        assert concern.raised_by == person
        assert concern.status == ConcernStatus.OPEN
    assert SafeguardingConcern.objects.filter(case=service.case).count() == 5


def test_raising_writes_a_restricted_audit_event_without_the_allegation(service) -> None:
    concern = raise_concern(service, immediate_danger=True, action_taken="999 called at 14:05")
    [event] = _restricted_events(service.case)
    assert event.action == "safeguarding.concern_raised"
    assert event.visibility == "restricted"
    assert event.details == {
        "concern_id": concern.pk,
        "source": "screening",
        "subject_kind": "child",
        "immediate_danger": True,
        "told": [service.supervisor.pk, service.safeguarding_lead.pk],
    }
    flat = f"{event.details} {event.target_label} {event.actor_label}"
    for secret in (ALLEGATION, SUBJECT, "999 called", "Bob Jones"):
        assert secret not in flat


def test_raising_tells_the_restricted_audience_without_saying_what_about(service) -> None:
    from accord.deadlines.models import OutboundEmail

    raise_concern(
        service,
        actor=service.coordinator,
        immediate_danger=True,
        action_taken="999 called at 14:05",
    )
    emails = list(OutboundEmail.objects.order_by("to_email"))
    assert sorted(e.to_email for e in emails) == sorted(
        [service.mediator.email, service.supervisor.email, service.safeguarding_lead.email]
    )
    for email in emails:
        assert service.case.reference in email.subject
        assert "ACC Coordinator" in email.body
        assert "urgent" in email.body
        text = f"{email.subject} {email.body}"
        for secret in (ALLEGATION, SUBJECT, "999 called", "Bob Jones", "Smith / Jones"):
            assert secret not in text
        assert "safeguarding" not in text.lower()
    [event] = _restricted_events(service.case)
    assert sorted(event.details["told"]) == sorted(
        [service.mediator.pk, service.supervisor.pk, service.safeguarding_lead.pk]
    )


def test_the_raiser_is_not_emailed_and_a_refused_concern_emails_nobody(service) -> None:
    from accord.deadlines.models import OutboundEmail

    with pytest.raises(ValidationFailed):
        raise_concern(service, actor=service.coordinator, allegation="")
    assert not OutboundEmail.objects.exists()
    raise_concern(service, actor=service.mediator)
    assert service.mediator.email not in set(
        OutboundEmail.objects.values_list("to_email", flat=True)
    )


def test_immediate_danger_needs_the_action_taken(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        raise_concern(service, immediate_danger=True, action_taken="  ")
    assert "999" in caught.value.field_errors["action_taken"][0]
    assert not SafeguardingConcern.objects.exists()
    assert not _restricted_events(service.case)


def test_a_concern_names_what_is_alleged_about_whom_and_by_whom(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        raise_concern(
            service, allegation="", subject_name="", alleged_by="", source="x", subject_kind="pet"
        )
    assert set(caught.value.field_errors) == {
        "allegation",
        "subject_name",
        "alleged_by",
        "source",
        "subject_kind",
    }
    assert not SafeguardingConcern.objects.exists()


def test_a_party_or_another_service_cannot_raise_a_concern(service, other_service) -> None:
    for outsider in (service.parties["alice"], service.parties["carol"], other_service.mediator):
        with pytest.raises(NotFoundOrHidden):
            raise_concern(service, actor=outsider)
    assert not SafeguardingConcern.objects.exists()
    assert not _restricted_events(service.case)


def test_the_database_refuses_immediate_danger_without_action(service) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SafeguardingConcern.objects.create(
            organisation=service.organisation,
            case=service.case,
            raised_by=service.mediator,
            raised_at=timezone.now(),
            source="other",
            allegation="x",
            subject_kind="child",
            subject_name="x",
            alleged_by="x",
            immediate_danger=True,
            action_taken="",
        )


# Deciding


def test_the_threshold_decision_is_the_mediators_with_supervisor_or_lead(service) -> None:
    concern = raise_concern(service)
    decision = decide(service, concern)
    assert decision.consulted_role == "supervisor"
    lead_decision = decide(service, concern, consulted=service.safeguarding_lead)
    assert lead_decision.consulted_role == "safeguarding_lead"


def test_the_decision_must_consult_the_supervisor_or_the_safeguarding_lead(service) -> None:
    concern = raise_concern(service)
    for wrong in (service.coordinator, service.admin, service.mediator2, service.mediator):
        with pytest.raises(ValidationFailed) as caught:
            decide(service, concern, consulted=wrong)
        assert "consulted" in caught.value.field_errors
    assert not concern.threshold_decisions.exists()


def test_significant_harm_always_means_a_referral(service) -> None:
    concern = raise_concern(service)
    with pytest.raises(ValidationFailed) as caught:
        decide(service, concern, met=True, referral_needed=False)
    assert "referral_needed" in caught.value.field_errors
    with pytest.raises(ValidationFailed) as caught:
        decide(service, concern, reasons=" ")
    assert "reasons" in caught.value.field_errors
    assert not concern.threshold_decisions.exists()


def test_only_the_cases_mediator_records_the_threshold_decision(service) -> None:
    concern = raise_concern(service)
    for reader in (service.supervisor, service.safeguarding_lead):
        with pytest.raises(NotPermitted):
            services.threshold_decide(
                actor=reader,
                concern=concern,
                consulted=service.supervisor,
                threshold_met=True,
                referral_needed=True,
                reasons="r",
            )
    for outsider in (service.coordinator, service.admin, service.mediator2):
        with pytest.raises(NotFoundOrHidden):
            services.threshold_decide(
                actor=outsider,
                concern=concern,
                consulted=service.supervisor,
                threshold_met=True,
                referral_needed=True,
                reasons="r",
            )
    assert not concern.threshold_decisions.exists()


def test_a_decision_cannot_be_dated_in_the_future_or_before_the_concern(service) -> None:
    concern = raise_concern(service)
    with pytest.raises(ValidationFailed) as caught:
        decide(service, concern, decided_at=timezone.now() + dt.timedelta(days=1))
    assert "decided_at" in caught.value.field_errors
    with pytest.raises(ValidationFailed):
        decide(service, concern, decided_at=concern.raised_at - dt.timedelta(hours=1))
    assert not concern.threshold_decisions.exists()


# The self-referral clock


def test_a_friday_afternoon_decision_gives_the_parent_until_monday_at_ten(
    service, clock: Clock
) -> None:
    clock.set(london(2026, 12, 18, 14, 0))
    concern = raise_concern(service)
    clock.set(london(2026, 12, 18, 15, 0))
    decide(service, concern)
    referral = offer(service, concern)
    expected = london(2026, 12, 21, 10, 0)
    assert referral.due_at == expected
    assert referral.due_at.utcoffset() == dt.timedelta(0)  # GMT in December
    deadline = _deadline(referral.deadline_id)
    assert deadline.due_at == expected
    assert deadline.rule_code == "safeguarding.self_referral"
    assert deadline.visibility == "restricted"
    assert deadline.visible_to_participants is False
    assert deadline.owner == service.mediator
    assert deadline.concerns_participant == parent(service)
    assert referral.status == ReferralStatus.OFFERED
    assert referral.made_by == ReferralMaker.PARENT


def test_a_christmas_eve_decision_skips_christmas_and_the_boxing_day_substitute(
    service, clock: Clock
) -> None:
    clock.set(london(2026, 12, 24, 11, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    assert referral.due_at == london(2026, 12, 29, 10, 0)


def test_the_clock_runs_from_the_decision_not_from_the_offer(service, clock: Clock) -> None:
    clock.set(london(2026, 12, 18, 9, 0))
    concern = raise_concern(service)
    clock.set(london(2026, 12, 18, 11, 0))
    decide(service, concern, decided_at=london(2026, 12, 18, 9, 30))
    clock.set(london(2026, 12, 18, 16, 0))
    referral = offer(service, concern)
    assert referral.due_at == london(2026, 12, 21, 10, 0)


def test_a_self_referral_cannot_be_offered_once_its_time_has_passed(service, clock: Clock) -> None:
    clock.set(london(2026, 12, 18, 9, 0))
    concern = raise_concern(service)
    clock.set(london(2026, 12, 21, 10, 30))
    decide(service, concern, decided_at=london(2026, 12, 18, 9, 30))
    with pytest.raises(ValidationFailed) as caught:
        offer(service, concern)
    assert "10:00 on Monday 21 December 2026" in caught.value.message
    assert not Referral.objects.exists()
    assert not Deadline.objects.filter(case=service.case).exists()


def test_a_self_referral_needs_a_decision_that_a_referral_is_needed(service) -> None:
    concern = raise_concern(service)
    with pytest.raises(ValidationFailed):
        offer(service, concern)
    decide(service, concern, met=False, referral_needed=False)
    with pytest.raises(ValidationFailed):
        offer(service, concern)
    assert not Referral.objects.exists()


def test_a_self_referral_is_offered_to_a_parent_on_this_case(service) -> None:
    concern = raise_concern(service)
    decide(service, concern)
    carol = service.cases["civil"].participants.get()
    with pytest.raises(ValidationFailed) as caught:
        services.self_referral_offer(actor=service.mediator, concern=concern, parent=carol)
    assert "parent" in caught.value.field_errors
    offer(service, concern)
    with pytest.raises(ValidationFailed):
        offer(service, concern)  # one offer at a time
    assert Referral.objects.count() == 1


def test_confirming_the_parents_referral_meets_the_deadline(service, clock: Clock) -> None:
    clock.set(london(2026, 12, 18, 14, 0))
    concern = raise_concern(service)
    clock.set(london(2026, 12, 18, 15, 0))
    decide(service, concern)
    referral = offer(service, concern)
    clock.set(london(2026, 12, 21, 9, 15))
    confirmed = services.self_referral_confirm(
        actor=service.mediator,
        referral=referral,
        agency=AGENCY,
        area="Leeds",
        referred_on=dt.date(2026, 12, 18),
        reference=REFERENCE,
        information_shared=SHARED,
    )
    assert confirmed.status == ReferralStatus.CONFIRMED
    assert confirmed.referred_by_name == "Alice Smith"
    assert _deadline(referral.deadline_id).status == DeadlineStatus.MET
    # The parent referred, not the service: nothing left the mediation through us.
    assert not Disclosure.objects.exists()
    clock.set(london(2026, 12, 21, 10, 5))
    assert services.self_referrals_lapse_due() == 0
    confirmed.refresh_from_db()
    assert confirmed.status == ReferralStatus.CONFIRMED


def test_an_unconfirmed_self_referral_lapses_and_the_mediators_referral_is_escalated(
    service, clock: Clock
) -> None:
    from accord.deadlines.services import deadlines_mark_missed

    clock.set(london(2026, 12, 18, 14, 0))
    concern = raise_concern(service)
    clock.set(london(2026, 12, 18, 15, 0))
    decide(service, concern)
    referral = offer(service, concern)
    clock.set(london(2026, 12, 21, 9, 59))
    assert services.self_referrals_lapse_due() == 0
    clock.set(london(2026, 12, 21, 10, 1))
    assert services.self_referrals_lapse_due() == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_CONFIRMED
    own = _deadline(referral.escalation_deadline_id)
    assert own.due_at == london(2026, 12, 21, 10, 1)  # due at once ...
    assert own.status == DeadlineStatus.MISSED  # ... and escalated at once
    assert own.owner == service.mediator
    assert own.visibility == "restricted"
    assert own.rule_code == services.SERVICE_REFERRAL_RULE
    escalated_to = set(
        Reminder.objects.filter(deadline=own, kind=ReminderKind.ESCALATION).values_list(
            "recipient_id", flat=True
        )
    )
    assert escalated_to == {service.supervisor.pk}
    # The parent's own deadline is the engine's to mark missed, on its next sweep.
    assert deadlines_mark_missed() == 1
    assert _deadline(referral.deadline_id).status == DeadlineStatus.MISSED
    # A second sweep, or a second worker, changes nothing.
    assert services.self_referrals_lapse_due() == 0
    assert Deadline.objects.filter(case=service.case).count() == 2
    events = [e.action for e in _restricted_events(service.case)]
    assert events.count("safeguarding.self_referral_lapsed") == 1
    made = record_referral(service, concern)
    assert made.status == ReferralStatus.MADE
    assert made.made_by == ReferralMaker.SERVICE


def test_a_lapse_after_the_engine_already_marked_the_deadline_missed_still_escalates_the_referral(
    service, clock: Clock
) -> None:
    from accord.deadlines.services import deadlines_mark_missed

    clock.set(london(2026, 12, 18, 15, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    clock.set(london(2026, 12, 21, 10, 0, 30))
    assert deadlines_mark_missed() == 1
    lapsed = services.self_referral_lapse(referral=referral)
    assert lapsed.status == ReferralStatus.NOT_CONFIRMED
    own = _deadline(lapsed.escalation_deadline_id)
    assert own.status == DeadlineStatus.MISSED
    assert Reminder.objects.filter(deadline=own, kind=ReminderKind.ESCALATION).exists()


def test_a_self_referral_deadline_marked_met_by_hand_does_not_lapse_and_takes_late_details(
    service, clock: Clock
) -> None:
    from accord.deadlines.services import deadline_meet

    clock.set(london(2026, 12, 18, 15, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    assert referral.deadline is not None
    deadline_meet(actor=service.mediator, deadline=referral.deadline, note="Alice phoned")
    clock.set(london(2026, 12, 21, 11, 0))
    assert services.self_referrals_lapse_due() == 0
    assert services.self_referral_lapse(referral=referral).status == ReferralStatus.OFFERED
    confirmed = services.self_referral_confirm(
        actor=service.mediator,
        referral=referral,
        agency=AGENCY,
        area="Leeds",
        referred_on=dt.date(2026, 12, 18),
        information_shared=SHARED,
    )
    assert confirmed.status == ReferralStatus.CONFIRMED
    assert not Deadline.objects.filter(rule_code=services.SERVICE_REFERRAL_RULE).exists()


def test_a_self_referral_cannot_lapse_early_or_be_confirmed_late(service, clock: Clock) -> None:
    clock.set(london(2026, 12, 18, 15, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    with pytest.raises(ValidationFailed):
        services.self_referral_lapse(referral=referral)
    clock.set(london(2026, 12, 21, 10, 1))
    with pytest.raises(ValidationFailed) as caught:
        services.self_referral_confirm(
            actor=service.mediator,
            referral=referral,
            agency=AGENCY,
            area="Leeds",
            referred_on=dt.date(2026, 12, 21),
            information_shared=SHARED,
        )
    assert "service's own referral" in caught.value.message
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OFFERED


def test_the_services_referral_is_logged_as_a_child_at_risk_disclosure(service) -> None:
    concern = raise_concern(service)
    referral = record_referral(service, concern, actor=service.safeguarding_lead)
    disclosure = Disclosure.objects.get(referral=referral)
    assert disclosure.legal_basis == LegalBasis.CHILD_AT_RISK
    assert disclosure.recipient_organisation == AGENCY
    assert disclosure.recipient_name == "Duty team"
    assert disclosure.information_shared == SHARED
    assert disclosure.concern == concern
    assert disclosure.recorded_by == service.safeguarding_lead
    actions = [e.action for e in _restricted_events(service.case)]
    assert actions[-2:] == ["safeguarding.referral_recorded", "safeguarding.disclosure_recorded"]
    for event in _restricted_events(service.case):
        assert event.visibility == "restricted"
        for secret in (AGENCY, REFERENCE, SHARED, ALLEGATION):
            assert secret not in str(event.details)


def test_a_referral_needs_agency_area_when_and_what_was_shared(service) -> None:
    concern = raise_concern(service)
    with pytest.raises(ValidationFailed) as caught:
        services.referral_record(
            actor=service.mediator,
            concern=concern,
            agency="",
            area="",
            referred_at=timezone.now() + dt.timedelta(days=2),
            referred_by_name="",
            contact_name="",
            information_shared="",
        )
    assert set(caught.value.field_errors) == {
        "agency",
        "area",
        "referred_at",
        "referred_by_name",
        "contact_name",
        "information_shared",
    }
    assert not Referral.objects.exists()
    assert not Disclosure.objects.exists()


def test_every_disclosure_is_logged_with_its_legal_basis(service) -> None:
    disclosure = services.disclosure_record(
        actor=service.supervisor,
        case=service.case,
        legal_basis=LegalBasis.COURT_ORDER,
        information_shared="The case file, under the order of 1 December",
        recipient_name="HHJ Example",
        recipient_organisation="Leeds Family Court",
        disclosed_at=timezone.now(),
    )
    assert disclosure.legal_basis == "court_order"
    assert disclosure.concern is None
    with pytest.raises(ValidationFailed) as caught:
        services.disclosure_record(
            actor=service.supervisor,
            case=service.case,
            legal_basis="gossip",
            information_shared="x",
            recipient_name="x",
            recipient_organisation="x",
            disclosed_at=timezone.now(),
        )
    assert "legal_basis" in caught.value.field_errors
    assert Disclosure.objects.count() == 1


# Pausing, resuming and ending


def _pause(service, concern: SafeguardingConcern) -> CaseHold:
    return services.investigation_open(
        actor=service.safeguarding_lead,
        concern=concern,
        investigating_agency=AGENCY,
        investigation_reference="S47-1",
        reasons="Section 47 enquiry open",
    )


def _move(service, to_stage: str) -> Case:
    return case_services.case_change_stage(
        actor=service.mediator, case=service.case, to_stage=to_stage, reason="Next step"
    )


def test_an_investigation_pauses_the_case(service) -> None:
    concern = raise_concern(service)
    hold = _pause(service, concern)
    service.case.refresh_from_db()
    concern.refresh_from_db()
    assert service.case.is_paused
    assert concern.status == ConcernStatus.UNDER_INVESTIGATION
    assert hold.is_open
    with pytest.raises(ValidationFailed):
        _pause(service, concern)
    assert CaseHold.objects.count() == 1


def test_a_paused_case_cannot_move_into_sessions_or_outcomes(service) -> None:
    for stage in ("miam", "suitability", "agreement"):
        _move(service, stage)
    concern = raise_concern(service)
    _pause(service, concern)
    with pytest.raises(services.CasePaused) as caught:
        _move(service, "mediation")
    assert "paused for safeguarding" in caught.value.message
    assert "Mediation sessions" in caught.value.message
    service.case.refresh_from_db()
    assert service.case.stage == "agreement"
    # Moves that hold no session are still allowed, and so is closing.
    _move(service, "closed")
    service.case.refresh_from_db()
    assert service.case.stage == "closed"
    with pytest.raises(services.CasePaused):
        _move(service, "mediation")  # reopening into sessions is a move into sessions too


def test_ensure_case_not_paused_refuses_work_on_a_paused_case(service) -> None:
    services.ensure_case_not_paused(service.case, doing="booking a session")
    _pause(service, raise_concern(service))
    service.case.refresh_from_db()
    with pytest.raises(services.CasePaused) as caught:
        services.ensure_case_not_paused(service.case, doing="booking a session")
    assert caught.value.status_code == 409
    assert "booking a session is not possible" in caught.value.message
    assert ALLEGATION not in caught.value.message


def test_resuming_lifts_the_pause_with_a_recorded_decision(service) -> None:
    for stage in ("miam", "suitability", "agreement"):
        _move(service, stage)
    concern = raise_concern(service)
    _pause(service, concern)
    with pytest.raises(NotPermitted):
        services.mediation_resume_or_end(
            actor=service.safeguarding_lead, case=service.case, decision="resume", reasons="x"
        )
    with pytest.raises(ValidationFailed) as caught:
        services.mediation_resume_or_end(
            actor=service.mediator, case=service.case, decision="resume", reasons=""
        )
    assert "reasons" in caught.value.field_errors
    service.case.refresh_from_db()
    assert service.case.is_paused
    hold = services.mediation_resume_or_end(
        actor=service.mediator,
        case=service.case,
        decision="resume",
        reasons="No further action by children's services",
    )
    assert hold.decision == "resume"
    assert hold.decided_by == service.mediator
    service.case.refresh_from_db()
    assert not service.case.is_paused
    _move(service, "mediation")
    service.case.refresh_from_db()
    assert service.case.stage == "mediation"


def test_ending_unpauses_and_closes_the_case_with_a_neutral_reason(service) -> None:
    concern = raise_concern(service)
    _pause(service, concern)
    services.mediation_resume_or_end(
        actor=service.mediator,
        case=service.case,
        decision="end",
        reasons=f"Not safe to continue: {ALLEGATION}",
    )
    service.case.refresh_from_db()
    assert service.case.stage == "closed"
    assert not service.case.is_paused
    stage_event = AuditEvent.objects.filter(
        case_id=service.case.pk, action="case.stage_changed"
    ).get()
    assert stage_event.visibility == "case"
    assert stage_event.details["reason"] == services.NEUTRAL_END_REASON
    assert "safeguarding" not in str(stage_event.details).lower()
    with pytest.raises(ValidationFailed):
        services.mediation_resume_or_end(
            actor=service.mediator, case=service.case, decision="resume", reasons="x"
        )


def test_a_concern_cannot_close_while_its_referral_or_pause_is_outstanding(
    service, clock: Clock
) -> None:
    clock.set(london(2026, 12, 18, 15, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    with pytest.raises(ValidationFailed):
        services.concern_close(actor=service.mediator, concern=concern, reason="done")
    clock.set(london(2026, 12, 21, 10, 1))
    services.self_referral_lapse(referral=referral)
    with pytest.raises(ValidationFailed):
        services.concern_close(actor=service.mediator, concern=concern, reason="done")
    record_referral(service, concern)
    _pause(service, concern)
    with pytest.raises(ValidationFailed):
        services.concern_close(actor=service.mediator, concern=concern, reason="done")
    services.mediation_resume_or_end(
        actor=service.mediator, case=service.case, decision="resume", reasons="Safe to go on"
    )
    closed = services.concern_close(actor=service.mediator, concern=concern, reason="Done")
    assert closed.status == ConcernStatus.CLOSED
    assert closed.closed_at is not None


def test_the_workflow_sends_no_email_to_anyone_but_the_escalation_audience(
    service, clock: Clock
) -> None:
    from accord.safeguarding.tests.helpers import full_workflow

    full_workflow(service, clock)
    recipients = set(
        Reminder.objects.filter(deadline__case=service.case).values_list(
            "recipient__email", flat=True
        )
    )
    allowed = {service.mediator.email, service.supervisor.email, service.safeguarding_lead.email}
    assert recipients <= allowed
    assert recipients
    for message in mail.outbox:
        assert set(message.to) <= allowed
