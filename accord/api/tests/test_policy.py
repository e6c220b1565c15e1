"""The case policy through the API: who sees which case, and who may change it.

Every denied write is checked to leave cases, participants, tokens and the audit trail as they
were.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import ApiClient, session_client, snapshot, token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant

#: who -> (sees the family case?, may change it?); "hidden" means 404, "denied" 403.
MATRIX = {
    "anonymous": "anonymous",
    "alice": "visible_read_only",  # a party of the family case
    "carol": "hidden",  # a party of the civil case in the same service
    "mediator": "allowed",  # lead mediator of the family case
    "mediator2": "hidden",  # mediator of the same service, not on the family case
    "coordinator": "allowed",
    "supervisor": "visible_read_only",  # the case's supervisor (PPC)
    "safeguarding_lead": "visible_read_only",
    "other_admin": "hidden",  # service admin of another organisation
}

READ_STATUS = {"anonymous": 401, "hidden": 404, "visible_read_only": 200, "allowed": 200}
WRITE_STATUS = {"anonymous": 401, "hidden": 404, "visible_read_only": 403}


def person(who: str, service: Any, other_service: Any) -> Any:
    """The user behind a row of the matrix (None for anonymous)."""
    if who == "anonymous":
        return None
    if who == "other_admin":
        return other_service.admin
    if who in service.parties:
        return service.parties[who]
    return getattr(service, who)


def client_for(user: Any, auth: str = "token") -> ApiClient:
    from django.test import Client

    if user is None:
        return ApiClient(Client())
    return token_client(user) if auth == "token" else session_client(user)


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("who", MATRIX)
def test_reading_a_case_follows_the_policy(who, auth, service, other_service):
    api = client_for(person(who, service, other_service), auth)
    case = service.case
    expected = READ_STATUS[MATRIX[who]]

    detail = api.get(f"/cases/{case.pk}")
    participants = api.get(f"/cases/{case.pk}/participants")
    listing = api.get("/cases")

    assert detail.status_code == expected
    assert participants.status_code == expected
    if expected == 401:
        assert listing.status_code == 401
        return
    assert listing.status_code == 200
    listed = {item["id"] for item in listing.json()["items"]}
    assert (case.pk in listed) == (expected == 200)
    if expected == 404:
        assert detail.json() == {"detail": "No such case.", "errors": {}}
        assert service.case.reference not in listing.content.decode()


@pytest.mark.parametrize("who", MATRIX)
def test_moving_a_case_follows_the_policy_and_denials_change_nothing(who, service, other_service):
    api = client_for(person(who, service, other_service))
    before = snapshot()

    response = api.post(
        f"/cases/{service.case.pk}/stage", {"to_stage": "willingness", "reason": "Both agreed."}
    )

    if MATRIX[who] == "allowed":
        assert response.status_code == 200, response.content
        assert response.json()["stage"] == "willingness"
        assert Case.objects.get(pk=service.case.pk).stage == "willingness"
        assert AuditEvent.objects.filter(action="case.stage_changed").count() == 1
    else:
        assert response.status_code == WRITE_STATUS[MATRIX[who]], response.content
        assert set(response.json()) == {"detail", "errors"}
        assert snapshot() == before


@pytest.mark.parametrize("who", MATRIX)
def test_adding_a_participant_follows_the_policy_and_denials_change_nothing(
    who, service, other_service
):
    api = client_for(person(who, service, other_service))
    before = snapshot()

    response = api.post(
        f"/cases/{service.case.pk}/participants",
        {"role": "solicitor", "full_name": "Sam Law", "email": "sam@law.example"},
    )

    if MATRIX[who] == "allowed":
        assert response.status_code == 201, response.content
        assert response.json()["full_name"] == "Sam Law"
        assert response.json()["email"] == "sam@law.example"
        assert Participant.objects.filter(case=service.case, full_name="Sam Law").exists()
        assert AuditEvent.objects.count() == before["audit_events"] + 1
    else:
        assert response.status_code == WRITE_STATUS[MATRIX[who]], response.content
        assert snapshot() == before


@pytest.mark.parametrize("who", MATRIX)
def test_changing_a_participant_follows_the_policy_and_denials_change_nothing(
    who, service, other_service
):
    api = client_for(person(who, service, other_service))
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    before = snapshot()

    response = api.patch(f"/participants/{bob.pk}", {"phone": "0113 496 0000"})

    if MATRIX[who] == "allowed":
        assert response.status_code == 200, response.content
        assert response.json()["phone"] == "0113 496 0000"
        bob.refresh_from_db()
        assert bob.phone == "0113 496 0000"
    else:
        assert response.status_code == WRITE_STATUS[MATRIX[who]], response.content
        assert snapshot() == before


def test_parties_see_only_their_own_cases_in_the_list(service):
    alice_cases = token_client(service.parties["alice"]).get("/cases").json()
    carol_cases = token_client(service.parties["carol"]).get("/cases").json()

    assert [item["id"] for item in alice_cases["items"]] == [service.case.pk]
    assert [item["id"] for item in carol_cases["items"]] == [service.cases["civil"].pk]
    assert alice_cases["count"] == carol_cases["count"] == 1


def test_a_party_gets_no_staff_only_case_fields(service):
    Case.objects.filter(pk=service.case.pk).update(summary="Alice fears Bob; screen carefully.")

    party_view = token_client(service.parties["bob"]).get(f"/cases/{service.case.pk}")
    staff_view = token_client(service.mediator).get(f"/cases/{service.case.pk}")

    assert party_view.status_code == staff_view.status_code == 200
    assert "Alice fears Bob" not in party_view.content.decode()
    assert party_view.json()["summary"] is None
    assert party_view.json()["team"]["supervisor"] is None
    assert party_view.json()["can_move_stage"] is False
    assert party_view.json()["allowed_next_stages"] == []
    assert staff_view.json()["summary"] == "Alice fears Bob; screen carefully."
    assert staff_view.json()["team"]["supervisor"] == service.supervisor.full_name


def test_the_case_detail_offers_the_moves_the_workflow_allows(service):
    detail = token_client(service.mediator).get(f"/cases/{service.case.pk}").json()

    assert detail["stage"] == "enquiry"
    assert detail["stage_label"] == "Enquiry"
    # Worked out from the case's records (the first of the team's next steps), not the stage.
    assert detail["next_step"] == detail["next_steps"][0]["text"]
    assert detail["next_step"] != "Record the enquiry and run the conflict check."
    assert detail["can_move_stage"] is True
    assert [s["code"] for s in detail["allowed_next_stages"]] == ["willingness", "miam", "closed"]
    assert detail["team"]["lead_mediator"] == service.mediator.full_name


def test_only_the_case_team_sees_a_confidential_address(service):
    """Coordinators see contact details but not a confidential address; the team sees both."""
    path = f"/cases/{service.case.pk}/participants"
    team = {p["full_name"]: p for p in token_client(service.mediator).get(path).json()}
    coordinator = {p["full_name"]: p for p in token_client(service.coordinator).get(path).json()}

    assert team["Alice Smith"]["address"] == "1 Hidden Lane, Leeds"
    assert coordinator["Alice Smith"]["address"] == ""
    assert coordinator["Alice Smith"]["address_withheld"] is True
    assert coordinator["Alice Smith"]["email"] == "alice@riverside.example"


def test_a_party_may_see_their_own_details_in_full(service):
    alice = service.parties["alice"]
    rows = token_client(alice).get(f"/cases/{service.case.pk}/participants").json()
    own = next(row for row in rows if row["full_name"] == "Alice Smith")

    assert own["email"] == "alice@riverside.example"
    assert own["address"] == "1 Hidden Lane, Leeds"
    assert own["has_portal_access"] is None  # a staff-only field, even about oneself


def test_a_participant_of_a_hidden_case_answers_404_to_patch(service, other_service):
    carol = Participant.objects.get(
        full_name="Carol Brown", case__organisation=service.organisation
    )
    api = token_client(other_service.admin)
    before = snapshot()

    response = api.patch(f"/participants/{carol.pk}", {"full_name": "Changed"})

    assert response.status_code == 404
    assert response.json()["detail"] == "No such case."
    assert snapshot() == before
