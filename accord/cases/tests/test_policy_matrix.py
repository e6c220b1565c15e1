"""The case policy as a table: every role against every action and every write service.

For each role the test checks that `policy.can` gives the expected answer, that
`policy.restrict` selects the case exactly when `can` says yes, and that each write service
either does its work (allowed) or refuses with 404/403 and changes nothing at all (denied).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from accord.accounts.models import Invitation, User
from accord.audit.models import AuditEvent
from accord.cases import policy, services
from accord.cases.models import Case, Participant
from accord.cases.selectors import participant_views
from accord.core.errors import NotFoundOrHidden, NotPermitted
from accord.organisations.models import Role
from accord.testing.factories import staff_member

Y, N = True, False

RULE_ACTIONS = (
    "view",
    "view_workspace",
    "change",
    "move_stage",
    "manage_participants",
    "manage_team",
    "view_restricted",
    "view_confidential_address",
)
SERVICE_ACTIONS = (
    "case_change_stage",
    "case_update_details",
    "case_assign_team",
    "participant_add",
    "participant_update",
    "participant_invite_to_portal",
)
ACTIONS = RULE_ACTIONS + SERVICE_ACTIONS

# fmt: off
#: Expected answers for the family case of the first service. Columns, in ACTIONS order:
#:  1 view  2 view_workspace  3 change  4 move_stage  5 manage_participants  6 manage_team
#:  7 view_restricted  8 view_confidential_address; then the write services:
#:  9 case_change_stage  10 case_update_details  11 case_assign_team  12 participant_add
#: 13 participant_update  14 participant_invite_to_portal
EXPECTED: dict[str, tuple[bool, ...]] = {
    #                         1  2  3  4  5  6  7  8     9 10 11 12 13 14
    "anonymous":             (N, N, N, N, N, N, N, N,    N, N, N, N, N, N),
    "party_this_case":       (Y, N, N, N, N, N, N, N,    N, N, N, N, N, N),
    "party_other_case":      (N, N, N, N, N, N, N, N,    N, N, N, N, N, N),
    "lead_mediator":         (Y, Y, Y, Y, Y, N, Y, Y,    Y, Y, N, Y, Y, Y),
    "co_mediator":           (Y, Y, Y, Y, Y, N, Y, Y,    Y, Y, N, Y, Y, Y),
    "case_supervisor":       (Y, Y, N, N, N, N, Y, Y,    N, N, N, N, N, N),
    "mediator_not_on_case":  (N, N, N, N, N, N, N, N,    N, N, N, N, N, N),
    "coordinator":           (Y, Y, Y, Y, Y, Y, N, N,    Y, Y, Y, Y, Y, Y),
    "service_admin":         (Y, Y, Y, Y, Y, Y, N, N,    Y, Y, Y, Y, Y, Y),
    "safeguarding_lead":     (Y, Y, N, N, N, N, Y, N,    N, N, N, N, N, N),
    "admin_other_org":       (N, N, N, N, N, N, N, N,    N, N, N, N, N, N),
}
# fmt: on


@pytest.fixture
def world(service, other_service) -> dict[str, Any]:
    """Everyone in the table, the family case with a co-mediator, and a solicitor to invite."""
    case = service.case
    co_mediator = staff_member(service.organisation, Role.MEDIATOR, name="ACC Co-mediator")
    services.case_assign_team(
        actor=service.coordinator,
        case=case,
        lead_mediator=service.mediator,
        co_mediator=co_mediator,
        supervisor=service.supervisor,
    )
    solicitor = services.participant_add(
        actor=service.coordinator,
        case=case,
        role="solicitor",
        full_name="Sol Icitor",
        email="sol@firm.example",
    )
    people = {
        "anonymous": AnonymousUser(),
        "party_this_case": service.parties["alice"],
        "party_other_case": service.parties["carol"],
        "lead_mediator": service.mediator,
        "co_mediator": co_mediator,
        "case_supervisor": service.supervisor,
        "mediator_not_on_case": service.mediator2,
        "coordinator": service.coordinator,
        "service_admin": service.admin,
        "safeguarding_lead": service.safeguarding_lead,
        "admin_other_org": other_service.admin,
    }
    return {
        "service": service,
        "other_service": other_service,
        "case_id": case.pk,
        "people": people,
        "bob": Participant.objects.get(case=case, full_name="Bob Jones"),
        "alice": Participant.objects.get(case=case, full_name="Alice Smith"),
        "solicitor": solicitor,
    }


def test_the_table_covers_every_rule_of_the_policy():
    assert set(RULE_ACTIONS) == set(policy.RULES)
    assert all(len(row) == len(ACTIONS) for row in EXPECTED.values())


def snapshot(case_id: int) -> tuple:
    """Everything a write service on this case could change."""
    return (
        Case.objects.filter(pk=case_id).values().get(),
        list(Participant.objects.filter(case_id=case_id).order_by("pk").values()),
        AuditEvent.objects.count(),
        User.objects.count(),
        Invitation.objects.count(),
    )


def call_service(name: str, actor: Any, world: dict[str, Any]) -> None:
    """Call one write service with input that is valid, so only permission can refuse it."""
    case = Case.objects.get(pk=world["case_id"])
    service = world["service"]
    if name == "case_change_stage":
        services.case_change_stage(
            actor=actor, case=case, to_stage="willingness", reason="Both parties contacted."
        )
    elif name == "case_update_details":
        services.case_update_details(actor=actor, case=case, title="Smith / Jones 2", summary="")
    elif name == "case_assign_team":
        services.case_assign_team(
            actor=actor,
            case=case,
            lead_mediator=service.mediator,
            co_mediator=None,
            supervisor=service.supervisor,
        )
    elif name == "participant_add":
        services.participant_add(actor=actor, case=case, role="party", full_name="Dee New")
    elif name == "participant_update":
        services.participant_update(actor=actor, participant=world["bob"], phone="0113 496 0999")
    elif name == "participant_invite_to_portal":
        services.participant_invite_to_portal(
            actor=actor, participant=world["solicitor"], base_url="https://accord.example"
        )
    else:
        raise AssertionError(f"No call for {name}")


@pytest.mark.parametrize("role", list(EXPECTED))
def test_policy_matrix(world, role):
    user = world["people"][role]
    case = Case.objects.get(pk=world["case_id"])
    expected = dict(zip(ACTIONS, EXPECTED[role], strict=True))
    mismatches = []
    for action in RULE_ACTIONS:
        allowed = policy.can(user, action, case)
        selected = policy.restrict(Case.objects.all(), user, action).filter(pk=case.pk).exists()
        if allowed != expected[action]:
            mismatches.append(f"can({action}) is {allowed}, expected {expected[action]}")
        if selected != allowed:
            mismatches.append(f"restrict({action}) is {selected} but can() is {allowed}")
    can_view = policy.can(user, "view", case)
    for name in SERVICE_ACTIONS:
        before = snapshot(case.pk)
        if expected[name]:
            with transaction.atomic():
                call_service(name, user, world)
                after = snapshot(case.pk)
                transaction.set_rollback(True)  # undo, so the next action starts the same
            if after == before or after[2] <= before[2]:
                mismatches.append(f"{name} was allowed but changed nothing or was not audited")
            continue
        error = NotFoundOrHidden if not can_view else NotPermitted
        try:
            call_service(name, user, world)
        except error:
            pass
        except Exception as exc:  # any other outcome is a mismatch, reported with the rest
            mismatches.append(f"{name} raised {type(exc).__name__}, expected {error.__name__}")
        else:
            mismatches.append(f"{name} was allowed, expected {error.__name__}")
        if snapshot(case.pk) != before:
            mismatches.append(f"{name} was refused but changed something")
    assert mismatches == []


@pytest.mark.parametrize("role", list(EXPECTED))
def test_can_and_restrict_agree_on_every_case(world, role):
    """Beyond the table: the two forms agree for every case of both services."""
    user = world["people"][role]
    cases = list(Case.objects.all())
    assert len(cases) == 4
    for action in policy.RULES:
        selected = set(
            policy.restrict(Case.objects.all(), user, action).values_list("pk", flat=True)
        )
        for case in cases:
            assert policy.can(user, action, case) == (case.pk in selected), (action, case)


# fmt: off
#: Who may see Alice's contact details, her confidential address, and Bob's ordinary address.
#:                           alice contact  alice address  bob address
VISIBILITY: dict[str, tuple[bool, bool, bool]] = {
    "anonymous":             (N,            N,             N),
    "party_this_case":       (Y,            Y,             N),  # Alice herself
    "other_party_same_case": (N,            N,             Y),  # Bob
    "party_other_case":      (N,            N,             N),
    "lead_mediator":         (Y,            Y,             Y),
    "co_mediator":           (Y,            Y,             Y),
    "case_supervisor":       (Y,            Y,             Y),
    "mediator_not_on_case":  (N,            N,             N),
    "coordinator":           (Y,            N,             Y),
    "service_admin":         (Y,            N,             Y),
    "safeguarding_lead":     (Y,            N,             Y),
    "admin_other_org":       (N,            N,             N),
}
# fmt: on


@pytest.mark.parametrize("role", list(VISIBILITY))
def test_participant_contact_and_address_visibility(world, role):
    people = dict(world["people"], other_party_same_case=world["service"].parties["bob"])
    user = people[role]
    case = Case.objects.get(pk=world["case_id"])
    alice, bob = world["alice"], world["bob"]
    assert alice.confidential_address
    seen = (
        policy.can_see_participant_contact(user, alice, case),
        policy.can_see_participant_address(user, alice, case),
        policy.can_see_participant_address(user, bob, case),
    )
    assert seen == VISIBILITY[role]


def test_the_other_party_gets_alices_details_blanked_not_just_hidden(world):
    bob_user = world["service"].parties["bob"]
    case = Case.objects.get(pk=world["case_id"])
    views = {view.full_name: view for view in participant_views(user=bob_user, case=case)}
    alice = views["Alice Smith"]
    assert (alice.email, alice.phone, alice.address) == ("", "", "")
    assert alice.safe_contact_methods == [] and alice.safe_contact_notes == ""
    assert alice.confidential_address is False  # even the flag would say there is something
    assert views["Bob Jones"].address == "2 Open Road, Leeds"


def test_the_coordinator_sees_that_an_address_is_withheld(world):
    coordinator = world["people"]["coordinator"]
    case = Case.objects.get(pk=world["case_id"])
    alice = next(
        view
        for view in participant_views(user=coordinator, case=case)
        if view.full_name == "Alice Smith"
    )
    assert alice.email == "alice@riverside.example"
    assert alice.address == "" and alice.address_withheld
