"""The MIAM API: the rules of the pages; screening never reaches anyone outside its audience."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.meetings import services
from accord.meetings.models import MiamCertificate
from accord.meetings.tests.helpers import book, held, issue, party

pytestmark = pytest.mark.django_db

SECRETS = ("SECRET-NOTE-7", "SECRET-REASON-7", "SECRET-WORKER-7", "SECRET-SIGNPOST-7")


def _screen_and_decide(service: Any, miam: Any) -> None:
    services.screening_save(
        actor=service.mediator,
        miam=miam,
        participant=party(service),
        answers={
            "physical_abuse": "yes",
            "physical_abuse_notes": SECRETS[0],
            "childrens_services": "yes",
            "consent_to_contact_social_worker": True,
            "social_worker_details": SECRETS[2],
        },
    )
    services.suitability_decide(
        actor=service.mediator,
        case=service.case,
        route="not_suitable",
        reasons=SECRETS[1],
        signposting=SECRETS[3],
    )


def test_the_case_team_lists_miams_with_attendees_and_checklist(service):
    miam = held(service)
    body = token_client(service.coordinator).get(f"/cases/{service.case.pk}/miams").json()
    assert [m["id"] for m in body] == [miam.pk]
    assert body[0]["attendees"] == [{"participant_id": party(service).pk, "name": "Alice Smith"}]
    assert body[0]["status"] == "held" and body[0]["joint"] is False
    covered = {item["item"]: item["covered"] for item in body[0]["checklist"]}
    assert covered["covered_options"] and not covered["covered_costs"]


def test_a_party_sees_only_the_miams_they_attend_and_no_one_else(service):
    alices = book(service)
    bobs = book(service, "Bob Jones")
    joint = book(service, attendees=[party(service), party(service, "Bob Jones")], joint=True)
    body = token_client(service.parties["alice"]).get(f"/cases/{service.case.pk}/miams").json()
    assert sorted(m["id"] for m in body) == sorted([alices.pk, joint.pk])
    assert bobs.pk not in [m["id"] for m in body]
    for miam in body:
        assert miam["attendees"] == [{"participant_id": party(service).pk, "name": "Alice Smith"}]
        assert miam["checklist"] is None and miam["joint"] is None
    assert "Bob" not in json.dumps(body)
    carol = token_client(service.parties["carol"])
    assert carol.get(f"/cases/{service.case.pk}/miams").status_code == 404


def test_screenings_only_for_the_restricted_audience(service, other_service):
    miam = held(service)
    _screen_and_decide(service, miam)
    url = f"/cases/{service.case.pk}/miams/{miam.pk}/screenings"
    for user in (service.mediator, service.supervisor, service.safeguarding_lead):
        body = token_client(user).get(url).json()
        assert body[0]["participant_id"] == party(service).pk
        answers = {a["question"]: a for a in body[0]["answers"]}
        assert answers["physical_abuse"] == {
            "question": "physical_abuse",
            "label": "Physical abuse",
            "answer": "yes",
            "notes": SECRETS[0],
        }
        assert body[0]["suggested_route"] in {"shuttle", "not_suitable", "refer"}
    for user in (
        service.coordinator,
        service.admin,
        service.parties["alice"],
        service.parties["bob"],
        other_service.admin,
    ):
        response = token_client(user).get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such case.", "errors": {}}


def test_the_parties_see_no_screening_or_suitability_data_anywhere_in_the_api(service):
    miam = held(service)
    _screen_and_decide(service, miam)
    issue(service, miam, outcome="not_suitable")
    case = service.case.pk
    for who in ("alice", "bob"):
        api = token_client(service.parties[who])
        assert api.get(f"/cases/{case}/miams/{miam.pk}/screenings").status_code == 404
        assert api.get(f"/cases/{case}/suitability").status_code == 404
        seen = ""
        for path in (
            f"/cases/{case}",
            f"/cases/{case}/participants",
            f"/cases/{case}/miams",
            f"/cases/{case}/miam-certificates",
        ):
            response = api.get(path)
            assert response.status_code == 200
            seen += response.content.decode()
        for secret in SECRETS:
            assert secret not in seen
        assert "physical_abuse" not in seen and "screening" not in seen.lower()


def test_suitability_reasons_only_for_the_restricted_audience(service):
    _screen_and_decide(service, held(service))
    url = f"/cases/{service.case.pk}/suitability"
    restricted = token_client(service.supervisor).get(url).json()["decision"]
    assert restricted["route"] == "not_suitable" and restricted["reasons"] == SECRETS[1]
    team = token_client(service.coordinator).get(url).json()["decision"]
    assert team["route"] == "not_suitable"
    assert team["reasons"] is None and team["signposting"] is None
    assert SECRETS[1] not in json.dumps(team)


def test_no_suitability_decision_yet_is_null(service):
    body = token_client(service.coordinator).get(f"/cases/{service.case.pk}/suitability").json()
    assert body == {"decision": None}


def _certificate_payload(service: Any, miam: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "miam_id": miam.pk,
        "participant_id": party(service).pk,
        "outcome": "go_ahead",
        "court_application": "c100",
        "signed_name": service.mediator.full_name,
        "confirm": True,
    }
    data.update(overrides)
    return data


def test_the_mediator_issues_a_certificate_through_the_api(service):
    miam = held(service)
    api = token_client(service.mediator)
    response = api.post(
        f"/cases/{service.case.pk}/miam-certificates", _certificate_payload(service, miam)
    )
    assert response.status_code == 201
    body = response.json()
    certificate = MiamCertificate.objects.get()
    assert body["id"] == certificate.pk and body["fmc_urn"] == "FMC1234"
    assert body["download_url"] == f"/documents/{certificate.document_version_id}/download/"
    assert body["valid_until"] == certificate.valid_until.isoformat()
    listed = api.get(f"/cases/{service.case.pk}/miam-certificates").json()
    assert [c["id"] for c in listed] == [certificate.pk]


def test_refused_certificates_through_the_api_change_nothing(service, other_service):
    miam = held(service)
    url = f"/cases/{service.case.pk}/miam-certificates"
    payload = _certificate_payload(service, miam)
    mediator = token_client(service.mediator)
    wrong = mediator.post(url, {**payload, "signed_name": "Not Me", "outcome": "legacy_exemption"})
    assert wrong.status_code == 422
    assert set(wrong.json()["errors"]) == {"signed_name", "outcome"}
    bob = mediator.post(url, {**payload, "participant_id": party(service, "Bob Jones").pk})
    assert bob.status_code == 422 and "participant_id" in bob.json()["errors"]
    coordinator = token_client(service.coordinator).post(
        url, {**payload, "signed_name": service.coordinator.full_name}
    )
    assert coordinator.status_code == 403
    for user in (service.parties["alice"], other_service.mediator):
        assert token_client(user).post(url, payload).status_code == 404
    assert not MiamCertificate.objects.exists()


def test_a_party_lists_only_their_own_certificates(service):
    miam = held(service)
    mine = issue(service, miam)
    alice = token_client(service.parties["alice"]).get(
        f"/cases/{service.case.pk}/miam-certificates"
    )
    assert [c["id"] for c in alice.json()] == [mine.pk]
    bob = token_client(service.parties["bob"]).get(f"/cases/{service.case.pk}/miam-certificates")
    assert bob.json() == []


def test_the_api_moves_and_cancels_a_miam_for_the_team_and_hides_it_from_parties(service):
    from accord.meetings.models import Miam
    from accord.testing.journey import future

    miam = book(service, starts_at=future(3))
    path = f"/cases/{service.case.pk}/miams/{miam.pk}"
    alice = token_client(service.parties["alice"])
    assert alice.post(f"{path}/cancel", {"reason": "x"}).status_code == 404
    staff = token_client(service.coordinator)
    new = future(5, 14)
    past = staff.post(
        f"{path}/move",
        {"starts_at": "2020-01-06T10:00:00+00:00", "mode": "video", "place": "https://v.example/a"},
    )
    assert past.status_code == 422 and "starts_at" in past.json()["errors"]
    moved = staff.post(
        f"{path}/move",
        {"starts_at": new.isoformat(), "mode": "video", "place": "https://v.example/b"},
    )
    assert moved.status_code == 200, moved.json()
    assert Miam.objects.get().sequence == 1
    empty = staff.post(f"{path}/cancel", {"reason": " "})
    assert empty.status_code == 422 and Miam.objects.get().status == "booked"
    done = staff.post(f"{path}/cancel", {"reason": "Asked to stop."})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
