"""The MIAM pages' remaining actions through the API (issue 15, item 9): recording a MIAM that
already took place, repeat screenings and concerns from a screening (restricted audience only),
and each party's funding. Same services and policy as the pages: parties and other services get
404, staff of the case who may look but not act 403, and screening answers reach nobody outside
the case's mediators, supervisor and safeguarding lead; bad input is a 422 naming the field with
nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.meetings import services
from accord.meetings.models import Funding, Miam, Screening, ScreeningAlert
from accord.meetings.tests.helpers import book, party
from accord.safeguarding.models import SafeguardingConcern
from accord.testing.factories import ready_for_sessions

pytestmark = pytest.mark.django_db

SECRET = "Fear-since-the-handover-Quokka"


def _past(service: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "attendee_ids": [party(service).pk],
        "mediator_id": service.mediator.pk,
        "starts_at": (timezone.now() - dt.timedelta(days=3)).isoformat(),
        "mode": "video",
        "place": "https://video.example/room-3",
        "covered": ["covered_options", "covered_suitability"],
    }
    body.update(overrides)
    return body


def _outsiders(service: Any, other_service: Any) -> dict[str, Any]:
    return {
        "alice": service.parties["alice"],
        "bob": service.parties["bob"],
        "other service": other_service.mediator,
    }


# --- Record a MIAM that already took place --------------------------------------------------


def test_recording_past_miams_saves_them_held_audits_and_moves_the_case_on(service):
    api = token_client(service.coordinator)
    path = f"/cases/{service.case.pk}/miams/record-past"
    answer = api.post(
        path,
        _past(
            service,
            attendee_ids=[party(service).pk, party(service, "Bob Jones").pk],
            joint=True,
        ),
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "held" and body["joint"] is True
    covered = {c["item"] for c in body["checklist"] if c["covered"]}
    assert covered == {"covered_options", "covered_suitability"}
    miam = Miam.objects.get(pk=body["id"])
    assert miam.recorded_after and miam.covered_options and not miam.covered_costs
    event = AuditEvent.objects.get(action="miam.recorded_after")
    assert event.details["attendee_ids"] == sorted(
        [party(service).pk, party(service, "Bob Jones").pk]
    )
    # Every party has now had a MIAM: the case moves on to the suitability decision.
    assert Case.objects.get(pk=service.case.pk).stage == "suitability"


def test_recording_a_past_miam_is_for_those_who_may_change_the_case(service, other_service):
    path = f"/cases/{service.case.pk}/miams/record-past"
    for name, user in _outsiders(service, other_service).items():
        assert token_client(user).post(path, _past(service)).status_code == 404, name
    refused = token_client(service.safeguarding_lead).post(path, _past(service))
    assert refused.status_code == 403
    assert not Miam.objects.exists()
    assert not AuditEvent.objects.filter(action="miam.recorded_after").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": "2099-01-05T10:00:00+00:00"}, "starts_at"),
        ({"attendee_ids": [999_999]}, "attendee_ids"),
        ({"mediator_id": 999_999}, "mediator_id"),
        ({"covered": ["covered_nonsense"]}, "covered"),
        ({"mode": "carrier_pigeon"}, "mode"),
        ({"duration_minutes": 1000}, "duration_minutes"),
        ({"confirm_warnings": True}, "confirm_warnings"),
    ],
)
def test_a_bad_past_miam_is_refused_naming_the_field(service, overrides, field):
    api = token_client(service.coordinator)
    answer = api.post(f"/cases/{service.case.pk}/miams/record-past", _past(service, **overrides))
    assert answer.status_code == 422, answer.json()
    assert field in answer.json()["errors"]
    assert not Miam.objects.exists()


def test_booking_with_the_deprecated_already_held_follows_record_past_exactly(
    service, other_service
):
    """The older way in (POST /miams with already_held) is the same operation: the same
    permission (403 for staff who may only look), the same refusals with the API's field names
    and the same record."""
    book_path = f"/cases/{service.case.pk}/miams"
    body = {**_past(service), "already_held": True}
    refused = token_client(service.safeguarding_lead).post(book_path, body)
    assert refused.status_code == 403
    for name, user in _outsiders(service, other_service).items():
        assert token_client(user).post(book_path, body).status_code == 404, name
    api = token_client(service.coordinator)
    bad = api.post(book_path, {**body, "attendee_ids": [999_999]})
    assert bad.status_code == 422 and "attendee_ids" in bad.json()["errors"]
    future = api.post(book_path, {**body, "starts_at": "2099-01-05T10:00:00+00:00"})
    assert future.status_code == 422 and "starts_at" in future.json()["errors"]
    assert not Miam.objects.exists()
    answer = api.post(book_path, body)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "held"
    assert Miam.objects.get(pk=answer.json()["id"]).recorded_after
    assert AuditEvent.objects.filter(action="miam.recorded_after").count() == 1


def test_two_parties_without_joint_is_refused_naming_attendee_ids(service):
    api = token_client(service.coordinator)
    two = [party(service).pk, party(service, "Bob Jones").pk]
    answer = api.post(
        f"/cases/{service.case.pk}/miams/record-past", _past(service, attendee_ids=two)
    )
    assert answer.status_code == 422
    assert "attendee_ids" in answer.json()["errors"]
    assert not Miam.objects.exists()


# --- Repeat screening (restricted) ----------------------------------------------------------


def _repeat_body(service: Any, **answers: Any) -> dict[str, Any]:
    return {
        "participant_id": party(service).pk,
        "answers": {
            "fear_of_other_party": "yes",
            "fear_of_other_party_notes": SECRET,
            **answers,
        },
    }


def test_the_mediator_screens_a_party_again_and_a_stricter_route_waits_for_a_decision(service):
    ready_for_sessions(service.case, route="joint")
    answer = token_client(service.mediator).post(
        f"/cases/{service.case.pk}/screenings", _repeat_body(service)
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["miam_id"] is None and body["participant_id"] == party(service).pk
    notes = {a["question"]: a["notes"] for a in body["answers"]}
    assert notes["fear_of_other_party"] == SECRET
    assert body["suggested_route"] != "joint" and body["awaits_decision"] is True
    screening = Screening.objects.get(pk=body["id"])
    assert screening.miam_id is None and screening.fear_of_other_party == "yes"
    assert ScreeningAlert.objects.filter(screening=screening, resolved_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="screening.repeated")
    assert event.visibility == "restricted" and SECRET not in str(event.details)


def test_the_safeguarding_lead_may_screen_again(service):
    answer = token_client(service.safeguarding_lead).post(
        f"/cases/{service.case.pk}/screenings", _repeat_body(service)
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["awaits_decision"] is False  # no decision yet to be stricter than


def test_a_repeat_screening_is_hidden_from_everyone_outside_its_audience(service, other_service):
    path = f"/cases/{service.case.pk}/screenings"
    outsiders = {
        **_outsiders(service, other_service),
        "coordinator": service.coordinator,
        "admin": service.admin,
        "trainee off the case": service.mediator2,
    }
    for name, user in outsiders.items():
        answer = token_client(user).post(path, _repeat_body(service))
        assert answer.status_code == 404, name
        assert SECRET not in answer.content.decode()
    assert not Screening.objects.exists()
    assert not AuditEvent.objects.filter(action="screening.repeated").exists()


def test_parties_never_read_a_repeat_screening_anywhere(service):
    token_client(service.mediator).post(
        f"/cases/{service.case.pk}/screenings", _repeat_body(service)
    )
    miam = book(service)
    for who in ("alice", "bob"):
        api = token_client(service.parties[who])
        for path in (
            f"/cases/{service.case.pk}/miams/{miam.pk}/screenings",
            f"/cases/{service.case.pk}/suitability",
            f"/cases/{service.case.pk}/miams",
            f"/cases/{service.case.pk}",
        ):
            assert SECRET not in api.get(path).content.decode(), (who, path)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"participant_id": 999_999, "answers": {}}, "participant_id"),
        ({"answers": {"physical_abuse": "maybe"}}, "physical_abuse"),
        ({"answers": {"injunction": "yes"}}, "injunction"),
        ({"answers": {"consent_to_contact_social_worker": True}}, "social_worker_details"),
        ({"answers": {"physical_abuse_notes": "x" * 5001}}, "physical_abuse_notes"),
    ],
)
def test_a_bad_repeat_screening_is_refused_naming_the_field(service, body, field):
    payload = {"participant_id": party(service).pk, **body}
    answer = token_client(service.mediator).post(f"/cases/{service.case.pk}/screenings", payload)
    assert answer.status_code == 422, answer.json()
    assert field in answer.json()["errors"]
    assert not Screening.objects.exists()


# --- A concern from a screening (restricted) ------------------------------------------------


def _screened(service: Any, risk: str = "yes") -> Screening:
    return services.screening_save(
        actor=service.mediator,
        miam=book(service),
        participant=party(service),
        answers={"risk_to_children": risk, "risk_to_children_notes": SECRET},
    )


def _concern_path(service: Any, screening: Screening) -> str:
    return (
        f"/cases/{service.case.pk}/miams/{screening.miam_id}/screenings/"
        f"{screening.participant_id}/concern"
    )


def test_the_mediator_raises_a_concern_from_a_screening(service):
    screening = _screened(service)
    answer = token_client(service.mediator).post(_concern_path(service, screening))
    assert answer.status_code == 201, answer.json()
    concern = SafeguardingConcern.objects.get()
    assert answer.json()["concern_id"] == concern.pk
    assert answer.json()["screening"]["concern_id"] == concern.pk
    assert concern.source == "screening" and SECRET in concern.allegation
    screening.refresh_from_db()
    assert screening.concern_id == concern.pk
    assert AuditEvent.objects.get(action="screening.concern_raised").visibility == "restricted"
    again = token_client(service.mediator).post(_concern_path(service, screening))
    assert again.status_code == 422
    assert SafeguardingConcern.objects.count() == 1


def test_a_concern_from_a_screening_is_hidden_outside_its_audience(service, other_service):
    screening = _screened(service)
    outsiders = {**_outsiders(service, other_service), "coordinator": service.coordinator}
    for name, user in outsiders.items():
        answer = token_client(user).post(_concern_path(service, screening))
        assert answer.status_code == 404, name
        assert SECRET not in answer.content.decode()
    assert not SafeguardingConcern.objects.exists()
    assert Screening.objects.get(pk=screening.pk).concern_id is None


def test_no_concern_without_a_risk_to_children_or_without_a_screening(service):
    screening = _screened(service, risk="no")
    api = token_client(service.mediator)
    assert api.post(_concern_path(service, screening)).status_code == 422
    bob = party(service, "Bob Jones").pk
    missing = f"/cases/{service.case.pk}/miams/{screening.miam_id}/screenings/{bob}/concern"
    assert api.post(missing).status_code == 404
    assert not SafeguardingConcern.objects.exists()


# --- Funding -------------------------------------------------------------------------------


def _funding_path(service: Any, name: str = "Alice Smith") -> str:
    return f"/cases/{service.case.pk}/funding/{party(service, name).pk}"


def test_legal_aid_for_one_party_funds_the_others_miam_and_first_session(service):
    api = token_client(service.coordinator)
    answer = api.put(
        _funding_path(service),
        {"kind": "legal_aid", "legal_aid_basis": "passported", "legal_aid_outcome": "eligible"},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["kind"] == "legal_aid" and answer.json()["recorded"] is True
    alice = Funding.objects.get(participant=party(service))
    assert alice.legal_aid_outcome == "eligible" and alice.recorded_by == service.coordinator
    bob = Funding.objects.get(participant=party(service, "Bob Jones"))
    assert bob.miam_and_first_session_funded
    event = AuditEvent.objects.get(action="funding.recorded")
    assert event.details["funded_other_participant_ids"] == [party(service, "Bob Jones").pk]
    listed = {
        row["participant"]: row for row in api.get(f"/cases/{service.case.pk}/funding").json()
    }
    assert listed["Bob Jones"]["miam_and_first_session_funded"] is True
    assert listed["Alice Smith"]["legal_aid_basis"] == "passported"


def test_a_voucher_then_private_fees_replace_the_record(service):
    api = token_client(service.coordinator)
    voucher = api.put(_funding_path(service), {"kind": "voucher", "voucher_amount": "500.00"})
    assert voucher.status_code == 200, voucher.json()
    assert voucher.json()["voucher_amount"] == "500.00"
    assert Funding.objects.get().voucher_amount == Decimal("500.00")
    private = api.put(_funding_path(service), {"kind": "private"})
    assert private.status_code == 200
    funding = Funding.objects.get()
    assert funding.kind == "private" and funding.voucher_amount is None


def test_funding_is_for_those_who_may_change_the_case(service, other_service):
    body = {"kind": "private"}
    for name, user in _outsiders(service, other_service).items():
        client = token_client(user)
        assert client.put(_funding_path(service), body).status_code == 404, name
        assert client.get(f"/cases/{service.case.pk}/funding").status_code == 404, name
    assert (
        token_client(service.safeguarding_lead).put(_funding_path(service), body).status_code == 403
    )
    mediator = token_client(service.coordinator)
    civil_party = service.cases["civil"].participants.get(full_name="Carol Brown")
    assert (
        mediator.put(f"/cases/{service.case.pk}/funding/{civil_party.pk}", body).status_code == 404
    )
    assert not Funding.objects.exists()
    assert not AuditEvent.objects.filter(action="funding.recorded").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "lottery"}, "kind"),
        (
            {"kind": "legal_aid", "legal_aid_basis": "hunch", "legal_aid_outcome": "eligible"},
            "legal_aid_basis",
        ),
        ({"kind": "legal_aid", "legal_aid_basis": "passported"}, "legal_aid_outcome"),
        ({"kind": "voucher", "voucher_amount": "12.345"}, "voucher_amount"),
        ({"kind": "voucher", "voucher_amount": "-5"}, "voucher_amount"),
        ({"kind": "voucher", "voucher_amount": "NaN"}, "voucher_amount"),
        ({"kind": "voucher", "voucher_amount": "99999.00"}, "voucher_amount"),
        ({"kind": "voucher"}, "voucher_amount"),
        ({"kind": "private", "voucher_amount": "100.00"}, "voucher_amount"),
    ],
)
def test_bad_funding_is_refused_naming_the_field(service, body, field):
    answer = token_client(service.coordinator).put(_funding_path(service), body)
    assert answer.status_code == 422, answer.json()
    assert field in answer.json()["errors"]
    assert not Funding.objects.exists()


def test_the_case_screenings_list_reads_back_a_repeat_for_its_audience_only(service, other_service):
    path = f"/cases/{service.case.pk}/screenings"
    ready_for_sessions(service.case, route="joint")
    made = token_client(service.mediator).post(path, _repeat_body(service)).json()
    listed = token_client(service.mediator).get(path)
    assert listed.status_code == 200, listed.json()
    rows = listed.json()
    repeat = next(row for row in rows if row["id"] == made["id"])
    assert repeat["miam_id"] is None and repeat["awaits_decision"] is True
    assert {a["question"]: a["notes"] for a in repeat["answers"]}["fear_of_other_party"] == SECRET
    # Every screening of the case, MIAM ones included, oldest first.
    assert {row["id"] for row in rows} == set(
        Screening.objects.filter(case=service.case).values_list("pk", flat=True)
    )
    assert rows[-1]["id"] == made["id"]
    assert token_client(service.safeguarding_lead).get(path).status_code == 200
    outsiders = {
        **_outsiders(service, other_service),
        "coordinator": service.coordinator,
        "admin": service.admin,
        "trainee off the case": service.mediator2,
    }
    for name, user in outsiders.items():
        answer = token_client(user).get(path)
        assert answer.status_code == 404, name
        assert SECRET not in answer.content.decode(), name
