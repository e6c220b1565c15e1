"""Creating deadlines and moving them to met, missed or waived, with their reminders and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.calendar import LONDON
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines import services
from accord.deadlines.models import Deadline, Reminder
from accord.organisations.models import Membership, Role


def soon(days: float = 10) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_create_from_a_rule_computes_due_and_schedules_reminders(service):
    start = dt.datetime(2026, 12, 23, 11, 0, tzinfo=LONDON)
    deadline = services.deadline_create(
        actor=service.coordinator,
        case=service.case,
        rule_code="send.certificate_no_mediation",
        start=start,
        owner=service.mediator,
    )
    assert deadline.due_at == dt.datetime(2026, 12, 30, 17, 0, tzinfo=LONDON)
    assert deadline.title == "Certificate: mediation not wanted"
    assert deadline.rule is not None and deadline.rule.code == "send.certificate_no_mediation"
    kinds = dict(Reminder.objects.filter(deadline=deadline).values_list("kind", "send_after"))
    assert kinds["due"] == deadline.due_at
    assert kinds["before"] == dt.datetime(2026, 12, 24, 9, 0, tzinfo=LONDON)
    event = AuditEvent.objects.get(action="deadline.created", target_id=str(deadline.pk))
    assert event.case_id == service.case.pk and event.visibility == "case"


def test_create_refuses_bad_input_and_saves_nothing(service, other_service):
    alien = other_service.case.participants.first()
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_create(
            actor=service.mediator,
            case=service.case,
            rule_code="miam.within_15_business_days",
            start=dt.datetime(2026, 12, 1, 10),
            owner=other_service.mediator,
            concerns_participant=alien,
            visibility="restricted",
            visible_to_participants=True,
        )
    errors = caught.value.field_errors
    assert {"start", "owner", "concerns_participant", "visible_to_participants"} <= set(errors)
    assert not Deadline.objects.exists() and not Reminder.objects.exists()


def test_unknown_rule_code_is_a_field_error(service):
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_create(
            actor=service.coordinator,
            case=service.case,
            rule_code="no.such.rule",
            start=timezone.now(),
            owner=service.mediator,
        )
    assert "No rule “no.such.rule”" in caught.value.field_errors["rule_code"][0]


def test_create_due_needs_a_title_and_an_aware_moment(service):
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_create_due(
            actor=service.coordinator,
            case=service.case,
            rule_code="custom",
            due_at=dt.datetime(2026, 12, 1, 10),
            owner=service.mediator,
            title="  ",
        )
    assert {"title", "due_at"} <= set(caught.value.field_errors)


def test_meet_closes_the_deadline_and_cancels_pending_reminders(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    met = services.deadline_meet(actor=service.mediator, deadline=deadline, note="Letters sent")
    assert met.status == "met" and met.resolved_by == service.mediator
    assert met.resolution_note == "Letters sent" and met.resolved_at is not None
    assert not Reminder.objects.filter(deadline=deadline, cancelled_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="deadline.met", target_id=str(deadline.pk)).exists()


def test_a_met_deadline_cannot_be_met_again_or_waived(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    services.deadline_meet(actor=service.mediator, deadline=deadline)
    with pytest.raises(ValidationFailed, match="already met"):
        services.deadline_meet(actor=service.mediator, deadline=deadline)
    with pytest.raises(ValidationFailed, match="cannot be waived"):
        services.deadline_waive(actor=service.mediator, deadline=deadline, reason="Agreed")
    deadline.refresh_from_db()
    assert deadline.status == "met" and deadline.waived_reason == ""


def test_waive_needs_a_reason(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_waive(actor=service.mediator, deadline=deadline, reason="   ")
    assert "reason" in caught.value.field_errors
    deadline.refresh_from_db()
    assert deadline.status == "open"


def test_a_waived_deadline_cannot_be_met(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    waived = services.deadline_waive(
        actor=service.coordinator, deadline=deadline, reason="Parties agreed in writing"
    )
    assert waived.status == "waived" and waived.waived_reason == "Parties agreed in writing"
    with pytest.raises(ValidationFailed, match="was waived"):
        services.deadline_meet(actor=service.mediator, deadline=deadline)
    assert AuditEvent.objects.filter(action="deadline.waived").count() == 1


def test_sweep_marks_past_deadlines_missed_once_and_escalates_to_the_supervisor(
    service, make_deadline
):
    deadline = make_deadline(due_at=soon(1))
    later = make_deadline(due_at=soon(5), title="Later")
    moment = soon(2)
    assert services.deadlines_mark_missed(now=moment) == 1
    assert services.deadlines_mark_missed(now=moment) == 0
    deadline.refresh_from_db()
    later.refresh_from_db()
    assert deadline.status == "missed" and later.status == "open"
    escalations = Reminder.objects.filter(deadline=deadline, kind="escalation")
    assert [r.recipient for r in escalations] == [service.supervisor]
    assert AuditEvent.objects.filter(action="deadline.missed").count() == 1
    with pytest.raises(ValidationFailed, match="was missed"):
        services.deadline_meet(actor=service.mediator, deadline=deadline)


def test_escalation_falls_back_to_service_admins_without_a_case_supervisor(service, make_deadline):
    Case.objects.filter(pk=service.case.pk).update(supervisor=None)
    deadline = make_deadline(due_at=soon(1))
    services.deadlines_mark_missed(now=soon(2))
    recipients = set(
        Reminder.objects.filter(deadline=deadline, kind="escalation").values_list(
            "recipient_id", flat=True
        )
    )
    # Service supervisors not on the case cannot see it, so only the admin hears of it.
    assert recipients == {service.admin.pk}


def test_restricted_escalation_stays_within_the_safeguarding_audience(service, make_deadline):
    Case.objects.filter(pk=service.case.pk).update(supervisor=None)
    deadline = make_deadline(
        due_at=soon(1), actor=service.mediator, visibility="restricted", title="Self-referral"
    )
    services.deadlines_mark_missed(now=soon(2))
    recipients = set(
        Reminder.objects.filter(deadline=deadline, kind="escalation").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {service.safeguarding_lead.pk}
    event = AuditEvent.objects.get(action="deadline.missed")
    assert event.visibility == "restricted"


def test_escalate_now_makes_the_deadline_due_and_missed_at_once(service):
    deadline = services.deadline_create(
        actor=service.mediator,
        case=service.case,
        rule_code="safeguarding.self_referral",
        start=timezone.now(),
        owner=service.mediator,
        visibility="restricted",
        title="Parent's self-referral",
    )
    before = timezone.now()
    escalated = services.deadline_escalate_now(
        actor=service.mediator, deadline=deadline, reason="Parent has not confirmed the referral"
    )
    assert escalated.status == "missed" and escalated.due_at <= timezone.now()
    assert escalated.due_at >= before
    escalation = Reminder.objects.get(deadline=deadline, kind="escalation")
    assert escalation.recipient == service.supervisor and escalation.send_after <= timezone.now()
    assert not Reminder.objects.filter(
        deadline=deadline, kind__in=["before", "due"], cancelled_at__isnull=True
    ).exists()
    # Again: nothing changes and nothing more is recorded.
    services.deadline_escalate_now(actor=service.mediator, deadline=deadline, reason="Again")
    assert AuditEvent.objects.filter(action="deadline.escalated").count() == 1
    assert Reminder.objects.filter(deadline=deadline, kind="escalation").count() == 1


def test_escalate_now_refuses_a_met_deadline_and_needs_a_reason(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    with pytest.raises(ValidationFailed):
        services.deadline_escalate_now(actor=service.mediator, deadline=deadline, reason="")
    services.deadline_meet(actor=service.mediator, deadline=deadline)
    with pytest.raises(ValidationFailed, match="cannot be escalated"):
        services.deadline_escalate_now(actor=service.mediator, deadline=deadline, reason="Late")


# Permissions: every denied write leaves the deadline as it was.


def _unchanged(deadline: Deadline) -> None:
    fresh = Deadline.objects.get(pk=deadline.pk)
    assert (fresh.status, fresh.resolved_at, fresh.waived_reason) == ("open", None, "")


def test_a_party_cannot_meet_or_waive(service, make_deadline):
    hidden = make_deadline(due_at=soon())
    alice = service.parties["alice"]
    alice_participant = Participant.objects.get(case=service.case, user=alice)
    shared = make_deadline(
        due_at=soon(),
        title="Send your documents",
        concerns_participant=alice_participant,
        visible_to_participants=True,
    )
    with pytest.raises(NotFoundOrHidden):
        services.deadline_meet(actor=alice, deadline=hidden)
    with pytest.raises(NotPermitted):
        services.deadline_meet(actor=alice, deadline=shared)
    with pytest.raises(NotPermitted):
        services.deadline_waive(actor=alice, deadline=shared, reason="I do not want to")
    _unchanged(hidden)
    _unchanged(shared)


def test_another_service_gets_not_found(service, other_service, make_deadline):
    deadline = make_deadline(due_at=soon())
    for action in (
        lambda: services.deadline_meet(actor=other_service.admin, deadline=deadline),
        lambda: services.deadline_waive(actor=other_service.admin, deadline=deadline, reason="x"),
        lambda: services.deadline_escalate_now(
            actor=other_service.admin, deadline=deadline, reason="x"
        ),
    ):
        with pytest.raises(NotFoundOrHidden):
            action()
    with pytest.raises(NotFoundOrHidden):
        services.deadline_create_due(
            actor=other_service.admin,
            case=service.case,
            rule_code="custom",
            due_at=soon(),
            owner=other_service.mediator,
            title="Sneaky",
        )
    _unchanged(deadline)
    assert Deadline.objects.count() == 1


def test_restricted_deadlines_are_hidden_from_staff_outside_the_audience(service, make_deadline):
    deadline = make_deadline(due_at=soon(), actor=service.mediator, visibility="restricted")
    with pytest.raises(NotFoundOrHidden):
        services.deadline_meet(actor=service.coordinator, deadline=deadline)
    with pytest.raises(NotPermitted):
        services.deadline_create_due(
            actor=service.coordinator,
            case=service.case,
            rule_code="custom",
            due_at=soon(),
            owner=service.mediator,
            title="Restricted",
            visibility="restricted",
        )
    _unchanged(deadline)
    # The safeguarding lead may act on it.
    services.deadline_meet(actor=service.safeguarding_lead, deadline=deadline)


def test_a_restricted_deadline_needs_an_owner_in_the_audience(service):
    with pytest.raises(ValidationFailed) as caught:
        services.deadline_create_due(
            actor=service.mediator,
            case=service.case,
            rule_code="custom",
            due_at=soon(),
            owner=service.coordinator,
            title="Restricted",
            visibility="restricted",
        )
    assert "owner" in caught.value.field_errors


def test_the_supervisor_may_not_resolve_someone_elses_case_deadline(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    with pytest.raises(NotPermitted):
        services.deadline_waive(actor=service.supervisor, deadline=deadline, reason="Not needed")
    _unchanged(deadline)


def test_the_owner_may_resolve_their_own_deadline(service, make_deadline):
    deadline = make_deadline(due_at=soon(), owner=service.supervisor)
    assert services.deadline_meet(actor=service.supervisor, deadline=deadline).status == "met"


def test_a_former_member_of_staff_cannot_act(service, make_deadline):
    deadline = make_deadline(due_at=soon())
    Membership.objects.filter(user=service.coordinator, role=Role.COORDINATOR).update(
        is_active=False
    )
    coordinator = type(service.coordinator).objects.get(pk=service.coordinator.pk)
    with pytest.raises(NotFoundOrHidden):
        services.deadline_meet(actor=coordinator, deadline=deadline)
    _unchanged(deadline)
