"""Case and participant services: stage moves, references, input checks, and a clean audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services
from accord.cases.models import Case, Participant
from accord.cases.workflows import WORKFLOWS
from accord.core.errors import NotPermitted, ValidationFailed
from accord.organisations.models import Role
from accord.testing.factories import staff_member

YEAR = timezone.localdate().year


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def move(service, case: Case, to_stage: str, reason: str = "Agreed at the call.") -> Case:
    return services.case_change_stage(
        actor=service.coordinator, case=fresh(case), to_stage=to_stage, reason=reason
    )


def unchanged(case: Case, events_before: int) -> None:
    """A refused change left the case and the audit trail as they were."""
    assert fresh(case).updated_at == case.updated_at
    assert AuditEvent.objects.count() == events_before


# Stage moves -------------------------------------------------------------------------------


def test_a_stage_move_is_saved_with_who_and_why(service):
    case = move(service, service.case, "willingness", "  Alice asked us to write to Bob.  ")
    assert case.stage == "willingness"
    assert case.stage_changed_at >= case.opened_at
    event = AuditEvent.objects.filter(case_id=case.pk).latest("sequence")
    assert event.action == "case.stage_changed"
    assert event.actor_id == service.coordinator.pk
    assert event.details == {
        "from": "enquiry",
        "to": "willingness",
        "reason": "Alice asked us to write to Bob.",
    }


def test_a_move_the_workflow_does_not_allow_is_refused_with_the_allowed_stages(service):
    case, before = fresh(service.case), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        move(service, case, "agreement")
    assert excinfo.value.message == (
        "A case at “Enquiry” cannot move to “Agreement to Mediate”. "
        "Allowed next stages: Inviting the other party, MIAM, Closed."
    )
    assert excinfo.value.field_errors["to_stage"] == [excinfo.value.message]
    unchanged(case, before)


@pytest.mark.parametrize("stage", ["nonsense", "certificate", ""])
def test_a_stage_from_another_workflow_or_none_at_all_is_refused(service, stage):
    case, before = fresh(service.case), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="is not a stage of family mediation") as excinfo:
        move(service, case, stage)
    assert "to_stage" in excinfo.value.field_errors
    unchanged(case, before)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(service, reason):
    case, before = fresh(service.case), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        move(service, case, "willingness", reason)
    assert excinfo.value.field_errors == {"reason": ["Enter a reason."]}
    unchanged(case, before)


def test_an_overlong_reason_is_refused(service):
    case, before = fresh(service.case), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        move(service, case, "willingness", "x" * 2001)
    assert excinfo.value.field_errors["reason"] == ["The reason must be 2,000 characters or fewer."]
    unchanged(case, before)


def test_closing_and_reopening_a_family_case(service):
    closed = move(service, service.case, "closed", "Parties reconciled.")
    assert closed.is_closed and closed.closed_at is not None
    with pytest.raises(ValidationFailed, match=r"Allowed next stages: Mediation sessions\."):
        move(service, closed, "enquiry")
    reopened = move(service, closed, "mediation", "They want to try again.")
    assert reopened.stage == "mediation" and reopened.closed_at is None


def test_a_closed_send_case_cannot_reopen(service):
    case = services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="send",
        title="Parent / County Council",
    )
    move(service, case, "closed", "Family withdrew.")
    with pytest.raises(ValidationFailed, match=r"Allowed next stages: none\."):
        move(service, case, "enquiry")


@pytest.mark.parametrize("kind", sorted(WORKFLOWS))
def test_every_workflow_can_be_walked_from_enquiry_to_closed(service, kind):
    case = services.case_open(
        actor=service.coordinator, organisation=service.organisation, kind=kind, title="Walk"
    )
    for stage in WORKFLOWS[kind].stages[1:]:
        case = move(service, case, stage.code)
        assert case.stage == stage.code
    assert case.is_closed
    moves = AuditEvent.objects.filter(case_id=case.pk, action="case.stage_changed").count()
    assert moves == len(WORKFLOWS[kind].stages) - 1


# References --------------------------------------------------------------------------------


def test_each_service_numbers_its_own_cases_from_one(service, other_service):
    assert service.case.reference == f"ACC-{YEAR}-000001"
    assert other_service.case.reference == f"NOR-{YEAR}-000001"
    assert service.cases["civil"].reference == f"ACC-{YEAR}-000002"


def test_references_restart_each_year_and_stay_unique(service):
    last_year = dt.datetime(YEAR - 1, 12, 31, 23, 59, tzinfo=dt.UTC)
    old = services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="civil",
        title="Late last year",
        opened_at=last_year,
    )
    assert old.reference == f"ACC-{YEAR - 1}-000001"
    new = services.case_open(
        actor=service.coordinator, organisation=service.organisation, kind="civil", title="Now"
    )
    assert new.reference == f"ACC-{YEAR}-000003"
    references = list(
        Case.objects.filter(organisation=service.organisation).values_list("reference", flat=True)
    )
    assert len(references) == len(set(references)) == 4


def test_the_reference_year_is_the_london_year(service):
    # 23:30 UTC on 31 December is still 31 December in London (GMT): last year.
    moment = dt.datetime(YEAR - 1, 12, 31, 23, 30, tzinfo=dt.UTC)
    case = services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="civil",
        title="New Year's Eve",
        opened_at=moment,
    )
    assert case.reference.startswith(f"ACC-{YEAR - 1}-")


# Opening cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "divorce"}, "kind"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_case_input_is_refused_and_nothing_is_created(service, overrides, field):
    data: dict[str, Any] = {"kind": "civil", "title": "Acme / Brown"}
    data.update(overrides)
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.case_open(actor=service.coordinator, organisation=service.organisation, **data)
    assert field in excinfo.value.field_errors
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)


def test_the_case_team_must_hold_the_right_roles(service, other_service):
    with pytest.raises(ValidationFailed) as excinfo:
        services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind="civil",
            title="Team check",
            lead_mediator=service.coordinator,
            co_mediator=other_service.mediator,
            supervisor=service.mediator,
        )
    errors = excinfo.value.field_errors
    assert errors["lead_mediator"] == ["ACC Coordinator is not a mediator in this service."]
    assert errors["co_mediator"] == ["NOR Mediator is not a mediator in this service."]
    assert errors["supervisor"] == ["ACC Mediator is not a supervisor (ppc) in this service."]


def test_lead_and_co_mediator_must_differ(service):
    with pytest.raises(ValidationFailed) as excinfo:
        services.case_assign_team(
            actor=service.coordinator,
            case=fresh(service.case),
            lead_mediator=service.mediator,
            co_mediator=service.mediator,
            supervisor=service.supervisor,
        )
    assert "co_mediator" in excinfo.value.field_errors


def test_only_coordinators_mediators_and_admins_open_cases(service):
    with pytest.raises(NotPermitted):
        services.case_open(
            actor=service.safeguarding_lead,
            organisation=service.organisation,
            kind="civil",
            title="Not mine to open",
        )


def test_the_supervisor_defaults_from_the_lead_mediators_profile(service):
    case = services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="civil",
        title="Defaults",
        lead_mediator=service.mediator2,
    )
    assert case.supervisor_id == service.supervisor.pk


def test_unchanged_details_record_nothing(service):
    before = AuditEvent.objects.count()
    case = fresh(service.case)
    services.case_update_details(
        actor=service.coordinator, case=case, title=" Smith / Jones ", summary=case.summary
    )
    assert AuditEvent.objects.count() == before


# Participants ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "alice@"}, "email", "Enter an email address in the correct format"),
        ({"email": "two@at@example.org"}, "email", "Enter an email address in the correct format"),
        (
            {"date_of_birth": timezone.localdate() + dt.timedelta(days=1)},
            "date_of_birth",
            "The date of birth must be in the past.",
        ),
        ({"date_of_birth": dt.date(1899, 12, 31)}, "date_of_birth", "after 1900"),
        ({"date_of_birth": "2001-02-03"}, "date_of_birth", "as a real date"),
        (
            {"date_of_birth": dt.datetime(2001, 2, 3, tzinfo=dt.UTC)},
            "date_of_birth",
            "as a real date",
        ),
        ({"safe_contact_methods": ["carrier pigeon"]}, "safe_contact_methods", "from the list"),
        ({"safe_contact_methods": "email"}, "safe_contact_methods", "from the list"),
        ({"safe_contact_methods": {"email": True}}, "safe_contact_methods", "from the list"),
        ({"phone": "call me"}, "phone", "digits, spaces"),
        ({"phone": "0" * 41}, "phone", "digits, spaces"),
        ({"full_name": "  "}, "full_name", "Enter the participant's full name."),
        ({"full_name": "x" * 201}, "full_name", "200 characters or fewer"),
        ({"role": "judge"}, "role", "Choose the participant's role."),
        ({"address": "x" * 1001}, "address", "1,000 characters or fewer"),
        ({"favourite_colour": "blue"}, "favourite_colour", "Not a participant field."),
    ],
)
def test_bad_participant_input_is_refused_and_nothing_is_saved(service, data, field, message):
    fields = {"role": "party", "full_name": "Dee New"}
    fields.update(data)
    participants, events = Participant.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.participant_add(actor=service.coordinator, case=fresh(service.case), **fields)
    assert message in " ".join(excinfo.value.field_errors[field])
    assert (Participant.objects.count(), AuditEvent.objects.count()) == (participants, events)


def test_bad_participant_changes_are_refused_and_nothing_is_saved(service):
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    before = Participant.objects.filter(pk=bob.pk).values().get()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.participant_update(
            actor=service.coordinator, participant=bob, phone="0113 496 0000", email="bob@"
        )
    assert set(excinfo.value.field_errors) == {"email"}
    assert Participant.objects.filter(pk=bob.pk).values().get() == before
    assert AuditEvent.objects.count() == events


def test_participant_input_is_tidied(service):
    participant = services.participant_add(
        actor=service.coordinator,
        case=fresh(service.case),
        role="party",
        full_name="  Dee New ",
        email=" Dee@Example.ORG ",
        safe_contact_methods=["phone", "email", "phone"],
    )
    assert participant.full_name == "Dee New"
    assert participant.email == "dee@example.org"
    assert participant.safe_contact_methods == ["email", "phone"]


SECRETS = {
    "email": "dee.private@example.org",
    "phone": "07700 900123",
    "address": "9 Secret Close, York",
    "safe_contact_notes": "Only after 6pm, never voicemail",
}


def test_contact_details_never_reach_the_audit_trail(service):
    # The lead mediator: a confidential address may only be changed by the case team.
    mediator = service.mediator
    participant = services.participant_add(
        actor=mediator,
        case=fresh(service.case),
        role="party",
        full_name="Dee New",
        date_of_birth=dt.date(1985, 3, 4),
        confidential_address=True,
        safe_contact_methods=["email"],
        **SECRETS,
    )
    services.participant_update(
        actor=mediator,
        participant=participant,
        email="dee.new@example.org",
        phone="07700 900456",
        address="10 Other Street, Hull",
    )
    services.participant_invite_to_portal(
        actor=service.mediator, participant=participant, base_url="https://accord.example"
    )
    updated = AuditEvent.objects.get(action="participant.updated", target_id=str(participant.pk))
    assert updated.details == {"fields": ["email", "phone", "address"]}
    secrets = [*SECRETS.values(), "dee.new@example.org", "07700 900456", "10 Other Street", "1985"]
    for event in AuditEvent.objects.all():
        text = json.dumps(
            [event.details, event.actor_label, event.target_label, event.target_id],
            ensure_ascii=False,
        )
        for secret in secrets:
            assert secret not in text, (event.action, secret)


def test_a_co_mediator_from_the_service_can_be_added_to_the_team(service):
    co = staff_member(service.organisation, Role.MEDIATOR, name="ACC Co")
    case = services.case_assign_team(
        actor=service.coordinator,
        case=fresh(service.case),
        lead_mediator=service.mediator,
        co_mediator=co,
        supervisor=service.supervisor,
    )
    event = AuditEvent.objects.filter(case_id=case.pk).latest("sequence")
    assert event.action == "case.team_changed"
    assert event.details["after"]["co_mediator"] == co.pk
