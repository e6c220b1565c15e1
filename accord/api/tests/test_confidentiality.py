"""A party never receives another party's contact details from any API endpoint (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.api.tests.conftest import token_client
from accord.cases import services as case_services
from accord.cases.models import Case, Participant

ALICE_SECRETS = {
    "email": "alice@riverside.example",
    "phone": "07700 900123",
    "address": "1 Hidden Lane, Leeds",
    "date_of_birth": "1984-03-02",
    "safe_contact_notes": "Only call after 6pm",
}


@pytest.fixture
def alice_in_full(service):
    """Alice with every contact field filled in, as the mediator recorded them."""
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    case_services.participant_update(
        actor=service.mediator,
        participant=alice,
        phone=ALICE_SECRETS["phone"],
        date_of_birth=dt.date(1984, 3, 2),
        safe_contact_notes=ALICE_SECRETS["safe_contact_notes"],
        safe_contact_methods=["phone"],
    )
    return alice


def every_response_bob_can_get(service, alice) -> list[tuple[str, bytes]]:
    """The raw bodies of every endpoint Bob (the other party) can call, reads and writes."""
    api = token_client(service.parties["bob"])
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    case_id = service.case.pk
    calls = [
        ("GET /me", api.get("/me")),
        ("GET /tokens", api.get("/tokens")),
        ("GET /cases", api.get("/cases")),
        ("GET /cases?q", api.get("/cases", q="Hidden Lane")),
        ("GET /cases/id", api.get(f"/cases/{case_id}")),
        ("GET participants", api.get(f"/cases/{case_id}/participants")),
        ("POST stage", api.post(f"/cases/{case_id}/stage", {"to_stage": "closed", "reason": "x"})),
        ("POST participant", api.post(f"/cases/{case_id}/participants", {"role": "party"})),
        ("PATCH alice", api.patch(f"/participants/{alice.pk}", {"phone": "1"})),
        ("PATCH alice bad", api.patch(f"/participants/{alice.pk}", {"email": None})),
        ("PATCH bob", api.patch(f"/participants/{bob.pk}", {"phone": "0113 496 0001"})),
        ("DELETE token", api.delete("/tokens/1")),
    ]
    return [(name, response.content) for name, response in calls]


def test_bob_never_receives_alices_contact_details_from_any_endpoint(service, alice_in_full):
    responses = every_response_bob_can_get(service, alice_in_full)

    for name, body in responses:
        text = body.decode()
        for field, value in ALICE_SECRETS.items():
            assert value not in text, f"{name} leaked Alice's {field}"
            assert value.lower() not in text.lower(), f"{name} leaked Alice's {field}"


def test_bob_sees_alice_only_by_name_and_role(service, alice_in_full):
    rows = token_client(service.parties["bob"]).get(f"/cases/{service.case.pk}/participants")
    alice = next(row for row in rows.json() if row["full_name"] == "Alice Smith")

    assert alice["contact_visible"] is False
    assert alice["email"] == alice["phone"] == alice["address"] == alice["safe_contact_notes"] == ""
    assert alice["date_of_birth"] is None
    assert alice["safe_contact_methods"] == []
    assert alice["confidential_address"] is False  # even the flag is withheld
    assert alice["has_portal_access"] is None


def test_the_case_team_does_receive_alices_details(service, alice_in_full):
    """The same request by her mediator shows them, so the absence above is the policy at work."""
    body = token_client(service.mediator).get(f"/cases/{service.case.pk}/participants").content

    for value in ALICE_SECRETS.values():
        assert value in body.decode()


def test_a_party_never_learns_that_a_case_is_paused_for_safeguarding(service):
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    bob = token_client(service.parties["bob"])
    mediator = token_client(service.mediator)

    bob_detail = bob.get(f"/cases/{service.case.pk}").json()
    bob_list = bob.get("/cases").json()

    assert bob_detail["is_paused"] is None
    assert bob_list["items"][0]["is_paused"] is None
    assert mediator.get(f"/cases/{service.case.pk}").json()["is_paused"] is True
    assert mediator.get("/cases", kind="family_children").json()["items"][0]["is_paused"] is True
