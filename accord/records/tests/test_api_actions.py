"""The records pages' actions through /api/v1/: the retention schedule, the dry-run report,
holds and erasure requests. The page's service and policy (service admins only; anyone else,
supervisors included, 404), the real effect, and bad input a 422 naming the field with nothing
saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.audit.verification import chain_verify
from accord.cases.models import Case, Participant
from accord.records import retention, services
from accord.records.models import (
    ErasureRequest,
    RecordHold,
    RequestStatus,
    RetentionRun,
    RetentionSchedule,
)

pytestmark = pytest.mark.django_db

YEARS = {name: 6 for name in retention.SCHEDULE_FIELDS}


def _close(case: Case, years_ago: int) -> None:
    closed = timezone.now() - dt.timedelta(days=365 * years_ago + 10)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_at=closed)


def _bob(service: Any) -> Participant:
    return Participant.objects.get(case=service.case, full_name="Bob Jones")


def _outsiders(service: Any, other_service: Any) -> list[Any]:
    """Staff who are not the service's admins, a party, and another service's admin."""
    return [
        service.supervisor,
        service.mediator,
        service.coordinator,
        service.parties["bob"],
        other_service.admin,
    ]


# The retention schedule ------------------------------------------------------------------------


def test_the_admin_reads_and_sets_the_schedule(service):
    admin = token_client(service.admin)
    before = admin.get("/records/retention-schedule")
    assert before.status_code == 200
    assert before.json()["saved"] is False and before.json()["case_file_years"] == 6
    wanted = {"legal_minimum_years": 3, **YEARS, "safeguarding_years": 25}
    saved = admin.put("/records/retention-schedule", wanted)
    assert saved.status_code == 200, saved.content
    assert saved.json() == {**wanted, "saved": True}
    schedule = RetentionSchedule.objects.get(organisation=service.organisation)
    assert schedule.safeguarding_years == 25 and schedule.legal_minimum_years == 3
    event = AuditEvent.objects.get(action="records.schedule_set")
    assert event.organisation_id == service.organisation.pk and event.actor_id == service.admin.pk


def test_only_the_services_admins_see_or_set_the_schedule(service, other_service):
    for user in _outsiders(service, other_service)[:-1]:
        client = token_client(user)
        assert client.get("/records/retention-schedule").status_code == 404
        changed = client.put("/records/retention-schedule", {"legal_minimum_years": 1, **YEARS})
        assert changed.status_code == 404
    # Another service's admin sets their own schedule, never this one's.
    other = token_client(other_service.admin).put(
        "/records/retention-schedule", {"legal_minimum_years": 1, **YEARS, "audit_years": 9}
    )
    assert other.status_code == 200
    assert not RetentionSchedule.objects.filter(organisation=service.organisation).exists()
    assert not AuditEvent.objects.filter(
        action="records.schedule_set", organisation=service.organisation
    ).exists()


def test_a_period_below_the_legal_minimum_or_not_a_number_is_refused(service):
    admin = token_client(service.admin)
    below = admin.put(
        "/records/retention-schedule", {"legal_minimum_years": 4, **YEARS, "case_file_years": 2}
    )
    assert below.status_code == 422
    assert "legal minimum" in below.json()["errors"]["case_file_years"][0]
    not_a_number = admin.put(
        "/records/retention-schedule", {"legal_minimum_years": 2, **YEARS, "audit_years": "ten"}
    )
    assert not_a_number.status_code == 422
    assert list(not_a_number.json()["errors"]) == ["audit_years"]
    missing = admin.put("/records/retention-schedule", {"legal_minimum_years": 2})
    assert missing.status_code == 422 and "case_file_years" in missing.json()["errors"]
    too_long = admin.put(
        "/records/retention-schedule", {"legal_minimum_years": 2, **YEARS, "financial_years": 101}
    )
    assert too_long.status_code == 422 and "financial_years" in too_long.json()["errors"]
    assert not RetentionSchedule.objects.exists()
    assert not AuditEvent.objects.filter(action="records.schedule_set").exists()


# The dry-run report ----------------------------------------------------------------------------


def test_the_report_says_what_a_sweep_would_do_and_changes_nothing(service):
    family, civil = service.cases["family"], service.cases["civil"]
    _close(family, 7)
    _close(civil, 7)
    retention.record_hold_place(actor=service.admin, case=civil, reason="legal")
    admin = token_client(service.admin)
    events = AuditEvent.objects.count()
    report = admin.get("/records/retention-report")
    assert report.status_code == 200, report.content
    body = report.json()
    assert body["dry_run"] is True
    case_file = next(k for k in body["kinds"] if k["kind"] == "case_file")
    assert case_file["cases_due"] == 2 and case_file["cases_held"] == 1
    assert case_file["records"] > 0
    audit = next(k for k in body["kinds"] if k["kind"] == "audit")
    assert audit["kept_because"] and audit["records"] == 0
    assert body["held"] == [{"reason": "A legal hold (hold placed by the service)", "cases": 1}]
    assert body["lines"][0].endswith("Dry run: nothing was changed.")
    # Nothing erased, no run recorded, nothing audited.
    assert Participant.objects.filter(case=family, full_name="Alice Smith").exists()
    assert not RetentionRun.objects.exists() and body["recent_runs"] == []
    assert AuditEvent.objects.count() == events


def test_only_the_services_admins_read_the_report(service, other_service):
    _close(service.cases["family"], 7)
    for user in _outsiders(service, other_service)[:-1]:
        assert token_client(user).get("/records/retention-report").status_code == 404
    # Another service's admin reads their own service's report: nothing of this one is due.
    other = token_client(other_service.admin).get("/records/retention-report").json()
    assert all(k["cases_due"] == 0 for k in other["kinds"])


# Record holds ----------------------------------------------------------------------------------


def test_the_admin_places_lists_and_releases_a_hold(service):
    civil = service.cases["civil"]
    admin = token_client(service.admin)
    placed = admin.post(
        "/records/holds", {"case_id": civil.pk, "reason": "legal", "note": "Solicitor's letter."}
    )
    assert placed.status_code == 201, placed.content
    body = placed.json()
    assert body["case_reference"] == civil.reference and body["released_at"] is None
    hold = RecordHold.objects.get(pk=body["id"])
    assert hold.case_id == civil.pk and hold.placed_by_id == service.admin.pk
    assert AuditEvent.objects.filter(action="records.hold_placed").count() == 1
    assert [h["id"] for h in admin.get("/records/holds").json()] == [hold.pk]

    released = admin.post(f"/records/holds/{hold.pk}/release")
    assert released.status_code == 200 and released.json()["released_at"] is not None
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by_id == service.admin.pk
    assert AuditEvent.objects.filter(action="records.hold_released").count() == 1
    assert admin.get("/records/holds").json() == []
    again = admin.post(f"/records/holds/{hold.pk}/release")
    assert again.status_code == 422
    assert AuditEvent.objects.filter(action="records.hold_released").count() == 1


def test_holds_are_for_the_services_admins_only(service, other_service):
    civil = service.cases["civil"]
    hold = retention.record_hold_place(actor=service.admin, case=civil, reason="complaint")
    for user in _outsiders(service, other_service):
        client = token_client(user)
        if user != other_service.admin:
            assert client.get("/records/holds").status_code == 404
            placed = client.post("/records/holds", {"case_id": civil.pk, "reason": "legal"})
            assert placed.status_code == 404
        else:
            assert client.get("/records/holds").json() == []
        assert client.post(f"/records/holds/{hold.pk}/release").status_code == 404
    assert RecordHold.objects.count() == 1
    hold.refresh_from_db()
    assert hold.released_at is None


def test_a_hold_on_another_services_case_or_with_no_reason_is_refused(service, other_service):
    admin = token_client(service.admin)
    elsewhere = admin.post(
        "/records/holds", {"case_id": other_service.cases["civil"].pk, "reason": "legal"}
    )
    assert elsewhere.status_code == 422 and list(elsewhere.json()["errors"]) == ["case_id"]
    bad_reason = admin.post(
        "/records/holds", {"case_id": service.cases["civil"].pk, "reason": "whim"}
    )
    assert bad_reason.status_code == 422 and list(bad_reason.json()["errors"]) == ["reason"]
    long_note = admin.post(
        "/records/holds",
        {"case_id": service.cases["civil"].pk, "reason": "legal", "note": "x" * 2001},
    )
    assert long_note.status_code == 422 and "note" in long_note.json()["errors"]
    assert not RecordHold.objects.exists()
    assert not AuditEvent.objects.filter(action="records.hold_placed").exists()


# Erasure requests ------------------------------------------------------------------------------


def test_the_admin_records_reviews_and_carries_out_an_erasure(service):
    bob = _bob(service)
    admin = token_client(service.admin)
    made = admin.post("/erasure-requests", {"participant_id": bob.pk, "received_on": "2026-12-01"})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "open" and made.json()["participant_name"] == "Bob Jones"
    assert AuditEvent.objects.filter(action="records.erasure_requested").count() == 1
    assert [r["id"] for r in admin.get("/erasure-requests").json()] == [pk]

    # While the case is open nothing can be erased: the review says so and carrying out is 422.
    review = admin.get(f"/erasure-requests/{pk}").json()
    assert review["can_carry_out"] is False
    assert review["not_yet"] == [f"Case {service.case.reference}: the case is still open"]
    assert any(k["what"] == "Safeguarding records" for k in review["kept"])
    early = admin.post(f"/erasure-requests/{pk}/carry-out", {"note": ""})
    assert early.status_code == 422
    assert ErasureRequest.objects.get(pk=pk).status == RequestStatus.OPEN

    _close(service.case, 1)
    review = admin.get(f"/erasure-requests/{pk}").json()
    assert review["can_carry_out"] is True and review["not_yet"] == []
    case_file = next(e for e in review["would_erase"] if e["what"] == "Case file")
    assert case_file["records"] > 0
    done = admin.post(f"/erasure-requests/{pk}/carry-out", {"note": "Asked by letter."})
    assert done.status_code == 200, done.content
    assert done.json()["request"]["status"] == "done"
    assert done.json()["request"]["participant_name"] == "Erased person"
    assert done.json()["erased"]["case_file"] > 0
    bob.refresh_from_db()
    assert bob.full_name == "Erased person" and bob.email == ""
    # Only Bob's: Alice stays.
    assert Participant.objects.filter(case=service.case, full_name="Alice Smith").exists()
    assert AuditEvent.objects.filter(action="records.erasure_carried_out").count() == 1
    assert chain_verify(organisation_id=service.organisation.pk).intact
    again = admin.post(f"/erasure-requests/{pk}/carry-out", {"note": ""})
    assert again.status_code == 422


def test_the_admin_refuses_an_erasure_only_with_a_reason(service):
    request = services.erasure_request_make(
        actor=service.admin, participant=_bob(service), received_on=timezone.localdate()
    )
    admin = token_client(service.admin)
    no_reason = admin.post(f"/erasure-requests/{request.pk}/refuse", {"note": "  "})
    assert no_reason.status_code == 422 and list(no_reason.json()["errors"]) == ["note"]
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    refused = admin.post(
        f"/erasure-requests/{request.pk}/refuse", {"note": "The case is before the court."}
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert request.decision_note == "The case is before the court."
    assert AuditEvent.objects.filter(action="records.erasure_refused").count() == 1


def test_erasure_requests_are_hidden_from_everyone_but_the_services_admins(service, other_service):
    bob = _bob(service)
    request = services.erasure_request_make(
        actor=service.admin, participant=bob, received_on=timezone.localdate()
    )
    _close(service.case, 1)
    for user in _outsiders(service, other_service):
        client = token_client(user)
        assert client.get(f"/erasure-requests/{request.pk}").status_code == 404
        assert client.post(f"/erasure-requests/{request.pk}/carry-out", {}).status_code == 404
        assert (
            client.post(f"/erasure-requests/{request.pk}/refuse", {"note": "No."}).status_code
            == 404
        )
        listed = [r["id"] for r in client.get("/erasure-requests").json()]
        # Bob sees the request about himself, as in the portal; nobody else sees it.
        assert (request.pk in listed) == (user == service.parties["bob"])
    for user in _outsiders(service, other_service)[:3]:
        recorded = token_client(user).post(
            "/erasure-requests", {"participant_id": bob.pk, "received_on": "2026-12-01"}
        )
        assert recorded.status_code == 404
    request.refresh_from_db()
    bob.refresh_from_db()
    assert request.status == RequestStatus.OPEN and bob.full_name == "Bob Jones"
    assert ErasureRequest.objects.count() == 1


def test_recording_an_erasure_refuses_another_services_person_a_bad_date_or_a_duplicate(
    service, other_service
):
    admin = token_client(service.admin)
    carol_elsewhere = Participant.objects.get(
        case=other_service.cases["civil"], full_name="Carol Brown"
    )
    elsewhere = admin.post(
        "/erasure-requests", {"participant_id": carol_elsewhere.pk, "received_on": "2026-12-01"}
    )
    assert elsewhere.status_code == 422
    assert list(elsewhere.json()["errors"]) == ["participant_id"]
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    later = admin.post(
        "/erasure-requests", {"participant_id": _bob(service).pk, "received_on": future}
    )
    assert later.status_code == 422 and list(later.json()["errors"]) == ["received_on"]
    assert not ErasureRequest.objects.exists()
    first = admin.post(
        "/erasure-requests", {"participant_id": _bob(service).pk, "received_on": "2026-12-01"}
    )
    assert first.status_code == 201
    dup = admin.post(
        "/erasure-requests", {"participant_id": _bob(service).pk, "received_on": "2026-12-01"}
    )
    assert dup.status_code == 422
    assert ErasureRequest.objects.count() == 1


def test_a_party_asks_for_their_own_erasure_and_sees_only_their_own(service):
    bob = token_client(service.parties["bob"])
    asked = bob.post(f"/cases/{service.case.pk}/erasure-requests")
    assert asked.status_code == 201, asked.content
    assert asked.json()["via_portal"] is True and asked.json()["status"] == "open"
    made = ErasureRequest.objects.get()
    assert made.participant_id == _bob(service).pk
    assert AuditEvent.objects.filter(action="records.erasure_requested").count() == 1
    assert [r["id"] for r in bob.get("/erasure-requests").json()] == [made.pk]
    assert token_client(service.parties["alice"]).get("/erasure-requests").json() == []
    # Not a party of that case (Carol, or the mediator): 404, nothing recorded.
    for user in (service.parties["carol"], service.mediator):
        refused = token_client(user).post(f"/cases/{service.case.pk}/erasure-requests")
        assert refused.status_code == 404
    # A second open request is refused.
    assert bob.post(f"/cases/{service.case.pk}/erasure-requests").status_code == 422
    assert ErasureRequest.objects.count() == 1
