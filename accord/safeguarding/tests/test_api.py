"""Safeguarding through the API: the restricted audience reads and acts, through the same services
as the pages; a party, the coordinator and a mediator outside the case get 404 and change nothing;
bad input is a 422 with nothing saved; nothing of the record appears in any other answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from accord.api.tests.conftest import snapshot, token_client
from accord.audit.models import AuditEvent
from accord.safeguarding.models import (
    CaseHold,
    Disclosure,
    Referral,
    SafeguardingConcern,
    ThresholdDecision,
)
from accord.safeguarding.tests.helpers import (
    AGENCY,
    ALLEGATION,
    SUBJECT,
    parent,
    raise_concern,
)

pytestmark = pytest.mark.django_db

RAISE = {
    "source": "session",
    "allegation": ALLEGATION,
    "subject_kind": "child",
    "subject_name": SUBJECT,
    "alleged_by": "Alice Smith, in session",
    "alleged_against": "Bob Jones",
    "immediate_danger": False,
    "action_taken": "",
}


def _counts() -> dict[str, int]:
    return {
        "concerns": SafeguardingConcern.objects.count(),
        "decisions": ThresholdDecision.objects.count(),
        "referrals": Referral.objects.count(),
        "disclosures": Disclosure.objects.count(),
        "holds": CaseHold.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _recent() -> str:
    return timezone.now().isoformat()


def test_the_case_mediator_walks_a_concern_from_raising_to_closing(service: Any) -> None:
    case = service.case
    mediator = token_client(service.mediator)
    raised = mediator.post(f"/cases/{case.pk}/safeguarding/concerns", RAISE)
    assert raised.status_code == 201, raised.json()
    body = raised.json()
    assert body["concern"]["allegation"] == ALLEGATION and body["concern"]["can_decide"] is True
    concern_id = body["concern"]["id"]
    base = f"/cases/{case.pk}/safeguarding/concerns/{concern_id}"

    decided = mediator.post(
        f"{base}/threshold-decisions",
        {
            "consulted_id": service.supervisor.pk,
            "threshold_met": True,
            "referral_needed": True,
            "reasons": "Consistent account of injury.",
        },
    )
    assert decided.status_code == 201, decided.json()
    assert decided.json()["threshold_decisions"][0]["threshold_met"] is True

    offered = mediator.post(f"{base}/self-referrals", {"parent_id": parent(service).pk})
    assert offered.status_code == 201, offered.json()
    referral = offered.json()["referrals"][0]
    assert referral["status"] == "offered" and referral["due_at"]

    confirmed = mediator.post(
        f"/cases/{case.pk}/safeguarding/referrals/{referral['id']}/confirm",
        {
            "agency": AGENCY,
            "area": "Quillshire",
            "referred_on": timezone.localdate().isoformat(),
            "information_shared": "What Alice told us.",
        },
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["referrals"][0]["status"] == "confirmed"

    disclosed = mediator.post(
        f"/cases/{case.pk}/safeguarding/disclosures",
        {
            "concern_id": concern_id,
            "legal_basis": "adult_at_risk",
            "information_shared": "The allegation.",
            "recipient_name": "PC Plum",
            "recipient_organisation": "Quillshire Police",
            "disclosed_at": _recent(),
        },
    )
    assert disclosed.status_code == 201, disclosed.json()
    assert disclosed.json()["concern_id"] == concern_id

    paused = mediator.post(
        f"{base}/investigation",
        {"investigating_agency": AGENCY, "reasons": "Section 47 enquiry open."},
    )
    assert paused.status_code == 201, paused.json()
    record = mediator.get(f"/cases/{case.pk}/safeguarding").json()
    assert record["paused"] is True and len(record["holds"]) == 1
    assert [c["id"] for c in record["concerns"]] == [concern_id]

    resumed = mediator.post(
        f"/cases/{case.pk}/safeguarding/pause/decision",
        {"decision": "resume", "reasons": "Investigation closed, no further action."},
    )
    assert resumed.status_code == 200, resumed.json()
    assert resumed.json()["paused"] is False
    again = mediator.post(
        f"/cases/{case.pk}/safeguarding/pause/decision", {"decision": "resume", "reasons": "x"}
    )
    assert again.status_code == 422

    closed = mediator.post(f"{base}/close", {"reason": "Nothing further for the service."})
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"
    assert mediator.get(base).json()["closed_reason"] == "Nothing further for the service."


def test_the_service_referral_is_recorded_and_logged_as_a_disclosure(service: Any) -> None:
    concern = raise_concern(service)
    lead = token_client(service.safeguarding_lead)
    answer = lead.post(
        f"/cases/{service.case.pk}/safeguarding/concerns/{concern.pk}/referrals",
        {
            "agency": AGENCY,
            "area": "Quillshire",
            "referred_at": _recent(),
            "referred_by_name": "Sam Lead",
            "contact_name": "Duty social worker",
            "information_shared": "The allegation in full.",
        },
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["referrals"][0]["status"] == "made"
    assert len(answer.json()["disclosures"]) == 1


def test_staff_outside_the_audience_may_raise_but_never_read(service: Any) -> None:
    coordinator = token_client(service.coordinator)
    raised = coordinator.post(f"/cases/{service.case.pk}/safeguarding/concerns", RAISE)
    assert raised.status_code == 201, raised.json()
    assert raised.json()["concern"] is None
    assert ALLEGATION not in json.dumps(raised.json())
    assert SafeguardingConcern.objects.filter(case=service.case).count() == 1
    assert coordinator.get(f"/cases/{service.case.pk}/safeguarding").status_code == 404


def test_a_mediator_in_the_audience_but_not_on_the_case_cannot_decide(service: Any) -> None:
    concern = raise_concern(service)
    lead = token_client(service.safeguarding_lead)
    before = _counts()
    answer = lead.post(
        f"/cases/{service.case.pk}/safeguarding/concerns/{concern.pk}/threshold-decisions",
        {
            "consulted_id": service.supervisor.pk,
            "threshold_met": False,
            "referral_needed": False,
            "reasons": "No",
        },
    )
    assert answer.status_code == 403
    assert _counts() == before


@pytest.mark.parametrize("who", ["party", "coordinator", "other_mediator"])
def test_outsiders_see_nothing_and_change_nothing(service: Any, who: str) -> None:
    concern = raise_concern(service, immediate_danger=True, action_taken="999 called at 14:05")
    user = {
        "party": service.parties["alice"],
        "coordinator": service.coordinator,
        "other_mediator": service.mediator2,
    }[who]
    client = token_client(user)
    case = service.case
    base = f"/cases/{case.pk}/safeguarding"
    reads = [base, f"{base}/concerns/{concern.pk}"]
    for path in reads:
        assert client.get(path).status_code == 404, path
    before, snap = _counts(), snapshot()
    writes: list[tuple[str, dict[str, Any]]] = [
        (
            f"{base}/concerns/{concern.pk}/threshold-decisions",
            {
                "consulted_id": service.supervisor.pk,
                "threshold_met": False,
                "referral_needed": False,
                "reasons": "x",
            },
        ),
        (f"{base}/concerns/{concern.pk}/self-referrals", {"parent_id": parent(service).pk}),
        (
            f"{base}/concerns/{concern.pk}/investigation",
            {"investigating_agency": "A", "reasons": "r"},
        ),
        (f"{base}/concerns/{concern.pk}/close", {"reason": "r"}),
        (f"{base}/pause/decision", {"decision": "end", "reasons": "r"}),
        (
            f"{base}/disclosures",
            {
                "legal_basis": "court_order",
                "information_shared": "x",
                "recipient_name": "x",
                "recipient_organisation": "x",
                "disclosed_at": _recent(),
            },
        ),
    ]
    for path, data in writes:
        assert client.post(path, data).status_code == 404, path
    if who == "party":
        assert client.post(f"{base}/concerns", RAISE).status_code == 404
    assert _counts() == before
    assert snapshot()["cases"] == snap["cases"]
    assert SafeguardingConcern.objects.get(pk=concern.pk).status == "open"
    # Nothing of the record leaks through the case endpoints either.
    for path in ["/cases", f"/cases/{case.pk}", f"/cases/{case.pk}/deadlines"]:
        text = client.get(path).content.decode()
        assert ALLEGATION not in text and SUBJECT not in text and "999 called" not in text, path


def test_bad_input_is_refused_with_nothing_saved(service: Any) -> None:
    concern = raise_concern(service)
    mediator = token_client(service.mediator)
    case = service.case
    before = _counts()
    refused = [
        (f"/cases/{case.pk}/safeguarding/concerns", {**RAISE, "source": "rumour"}),
        (f"/cases/{case.pk}/safeguarding/concerns", {**RAISE, "immediate_danger": True}),
        (f"/cases/{case.pk}/safeguarding/concerns", {**RAISE, "surprise": 1}),
        (f"/cases/{case.pk}/safeguarding/concerns", {**RAISE, "subject_name": "A\x00B"}),
        (
            f"/cases/{case.pk}/safeguarding/concerns/{concern.pk}/threshold-decisions",
            {
                "consulted_id": service.mediator.pk,
                "threshold_met": True,
                "referral_needed": False,
                "reasons": "x",
            },
        ),
        (
            f"/cases/{case.pk}/safeguarding/concerns/{concern.pk}/self-referrals",
            {"parent_id": 2**62},
        ),
        (
            f"/cases/{case.pk}/safeguarding/disclosures",
            {
                "concern_id": 2**62,
                "legal_basis": "court_order",
                "information_shared": "x",
                "recipient_name": "x",
                "recipient_organisation": "x",
                "disclosed_at": _recent(),
            },
        ),
        (
            f"/cases/{case.pk}/safeguarding/disclosures",
            {
                "legal_basis": "gossip",
                "information_shared": "x",
                "recipient_name": "x",
                "recipient_organisation": "x",
                "disclosed_at": _recent(),
            },
        ),
        (f"/cases/{case.pk}/safeguarding/pause/decision", {"decision": "end", "reasons": "r"}),
        (f"/cases/{case.pk}/safeguarding/concerns/{concern.pk}/close", {"reason": ""}),
    ]
    for path, data in refused:
        answer = mediator.post(path, data)
        assert answer.status_code == 422, (path, data, answer.json())
        assert answer.json()["detail"]
    assert _counts() == before
