"""Subject-access and erasure requests: asking (staff or portal), producing the export, and
reviewing and carrying out an erasure through the retention mechanism (`erasure.erase`).

Service admins handle requests. Audit events carry ids, counts and a hash, never the content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.calendar import london_date
from accord.cases.models import Participant
from accord.complaints.dates import due_from
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.selectors import is_service_admin
from accord.records import erasure, subject_access
from accord.records.models import (
    ErasureRequest,
    RecordKind,
    RequestStatus,
    RetentionAction,
    RetentionRun,
    SubjectAccessRequest,
)
from accord.records.retention import held_cases

SAR_RULE = "records.subject_access"


def _require_admin(actor: Any, organisation_id: int) -> None:
    if not is_service_admin(actor, organisation_id):
        raise NotPermitted("Only a service admin handles data-protection requests.")


def _own_participation(actor: Any, participant: Participant) -> bool:
    return bool(
        getattr(actor, "pk", None) and participant.user_id == actor.pk and participant.portal_access
    )


def _check_received(received_on: Any) -> dt.date:
    if not isinstance(received_on, dt.date) or isinstance(received_on, dt.datetime):
        raise ValidationFailed(
            "The request could not be recorded.",
            field_errors={"received_on": ["Enter the date the request was received."]},
        )
    if received_on > london_date(timezone.now()):
        raise ValidationFailed(
            "The request could not be recorded.",
            field_errors={"received_on": ["The date received cannot be in the future."]},
        )
    return received_on


@transaction.atomic
def subject_access_request_make(
    *, actor: Any, participant: Participant, received_on: dt.date | None = None
) -> SubjectAccessRequest:
    """Record a subject-access request: by a service admin, or the person from the portal."""
    via_portal = _own_participation(actor, participant)
    if not via_portal:
        _require_admin(actor, participant.organisation_id)
    day = london_date(timezone.now()) if via_portal else _check_received(received_on)
    if SubjectAccessRequest.objects.filter(
        participant=participant, status=RequestStatus.OPEN
    ).exists():
        raise ValidationFailed("A request for this person's data is already open.")
    request = SubjectAccessRequest.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        received_on=day,
        due_at=due_from(organisation=participant.organisation, code=SAR_RULE, start=day),
        via_portal=via_portal,
    )
    audit_record(
        organisation_id=participant.organisation_id,
        actor=actor,
        action="records.sar_received",
        target=request,
        details={"request_id": request.pk, "via_portal": via_portal},
    )
    return request


def subject_access_export_produce(*, actor: Any, request: SubjectAccessRequest) -> bytes:
    """Build the person's ZIP export and mark the request answered; returns the ZIP bytes.

    The ZIP (with its PDF summary and the shared documents read from storage) is built before
    the short transaction that marks the request answered, which gathers the person's data
    again and builds the ZIP again if it changed meanwhile (accord.documents.produce), so the
    recorded checksum is always that of what was handed over.
    """
    from accord.documents.produce import render_then_store

    def look(lock: bool) -> tuple[SubjectAccessRequest, Participant, subject_access.Export]:
        requests = SubjectAccessRequest.objects.all()
        found = (requests.select_for_update() if lock else requests).get(pk=request.pk)
        _require_admin(actor, found.organisation_id)
        participant = Participant.objects.select_related("organisation").get(
            pk=found.participant_id
        )
        return found, participant, subject_access.gather(participant)

    def render(seen: tuple[SubjectAccessRequest, Participant, subject_access.Export]) -> bytes:
        _, participant, export = seen
        return subject_access.build_zip(export, organisation_name=participant.organisation.name)

    return render_then_store(
        look=look,
        render=render,
        store=lambda now, data: _export_store(actor, now[0], now[2], data),
        says=lambda seen: [seen[1].organisation.name, seen[2].as_json()],
        refusal="The person's data kept changing while the export was being made. Try again.",
    )


def _export_store(
    actor: Any, request: SubjectAccessRequest, export: subject_access.Export, data: bytes
) -> bytes:
    """The short write half of `subject_access_export_produce`, with the request locked."""
    first = request.status == RequestStatus.OPEN
    request.status = RequestStatus.DONE
    request.produced_at = timezone.now()
    request.produced_by = actor
    request.export_sha256 = subject_access.sha256(data)
    request.save(
        update_fields=["status", "produced_at", "produced_by", "export_sha256", "updated_at"]
    )
    audit_record(
        organisation_id=request.organisation_id,
        actor=actor,
        action="records.sar_exported",
        target=request,
        details={
            "request_id": request.pk,
            "sha256": request.export_sha256,
            "withheld": {w.category: w.count for w in export.withheld},
            "first": first,
        },
    )
    return data


@transaction.atomic
def erasure_request_make(
    *, actor: Any, participant: Participant, received_on: dt.date | None = None
) -> ErasureRequest:
    """Record a request to erase a person's data: by a service admin, or from the portal."""
    via_portal = _own_participation(actor, participant)
    if not via_portal:
        _require_admin(actor, participant.organisation_id)
    day = london_date(timezone.now()) if via_portal else _check_received(received_on)
    if ErasureRequest.objects.filter(participant=participant, status=RequestStatus.OPEN).exists():
        raise ValidationFailed("A request to erase this person's data is already open.")
    request = ErasureRequest.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        received_on=day,
        via_portal=via_portal,
    )
    audit_record(
        organisation_id=participant.organisation_id,
        actor=actor,
        action="records.erasure_requested",
        target=request,
        details={"request_id": request.pk, "via_portal": via_portal},
    )
    return request


#: Kinds an erasure on request erases (the person's own records); the rest are kept, and why.
ERASED_ON_REQUEST = ("case_file", "complaints")
KEPT_ON_REQUEST = {
    "financial": "Financial records are kept for the service's legal minimum (accounting law).",
    "safeguarding": "Safeguarding records are kept to protect children and adults at risk.",
    "invoices": "Invoices are kept for the service's legal minimum (accounting law).",
    "audit": erasure.NEVER_ERASED["audit"],
}


@dataclass
class ErasureReview:
    erase: list[tuple[str, int]] = field(default_factory=list)
    keep: list[tuple[str, str]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


def erasure_review(request: ErasureRequest) -> ErasureReview:
    """What carrying out the request would erase, and what it keeps and why."""
    participant = Participant.objects.select_related("organisation").get(pk=request.participant_id)
    mine = subject_access.participations(participant)
    held = held_cases(participant.organisation, london_date(timezone.now()))
    review = ErasureReview()
    for p in mine:
        if p.case_id in held:
            review.held.append(f"Case {p.case.reference}: {held[p.case_id]}")
        elif p.case.closed_at is None:
            review.held.append(f"Case {p.case.reference}: the case is still open")
        else:
            review.case_ids.append(p.case_id)
            review.person_ids.append(p.pk)
    labels = dict(RecordKind.choices)
    for kind in ERASED_ON_REQUEST:
        review.erase.append((labels[kind], erasure.count(kind, review.case_ids, review.person_ids)))
        for name in erasure.kept_in_person_erasure(kind):
            review.keep.append((f"{labels[kind]}: {name}", "They belong to the whole case."))
    for kind, why in KEPT_ON_REQUEST.items():
        review.keep.append((labels[kind], why))
    older = legacy_named_events(review.case_ids, review.person_ids)
    if older:
        review.keep.append(
            (
                f"Audit trail: {older} older event(s) whose label holds this person's name",
                "Written before audit labels named participants by role and id. A label is "
                "hashed into the audit chain, so changing it would break verification; it is "
                "never shown (timelines and the admin name the person as they are today, "
                'which after erasure is "Erased person").',
            )
        )
    return review


def legacy_named_events(case_ids: list[int], person_ids: list[int]) -> int:
    """Audit events about these participants labelled the old way, "Name (Role)" (new ones are
    "Party 12"): kept, sealed in the chain and never displayed."""
    from accord.audit.models import AuditEvent

    if not case_ids:
        return 0
    return (
        AuditEvent.objects.filter(
            case_id__in=case_ids,
            target_type="cases.participant",
            target_id__in=[str(pk) for pk in person_ids],
            target_label__contains=" (",
        )
        .order_by()
        .count()
    )


def _locked_open(actor: Any, request: ErasureRequest) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    _require_admin(actor, request.organisation_id)
    if request.status != RequestStatus.OPEN:
        raise ValidationFailed("This request has already been decided.")
    return request


@transaction.atomic
def erasure_request_carry_out(
    *, actor: Any, request: ErasureRequest, note: str = ""
) -> RetentionRun:
    """Erase the person's own records in their closed, unheld cases (the retention mechanism)."""
    request = _locked_open(actor, request)
    review = erasure_review(request)
    if not review.case_ids:
        raise ValidationFailed(
            "Nothing can be erased yet: every case of this person is open or held."
        )
    run = RetentionRun.objects.create(
        organisation_id=request.organisation_id,
        started_at=timezone.now(),
        trigger="erasure_request",
        actor=actor,
    )
    summary: dict[str, int] = {}
    actions: list[RetentionAction] = []
    for kind in ERASED_ON_REQUEST:
        summary[kind] = erasure.erase(kind, review.case_ids, review.person_ids)
        actions.extend(
            RetentionAction(
                run=run, case_id=pk, kind=kind, done="person", reason="Erasure on request"
            )
            for pk in review.case_ids
        )
    RetentionAction.objects.bulk_create(actions)
    run.summary = summary
    run.save(update_fields=["summary"])
    request.status = RequestStatus.DONE
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decision_note = (note or "").strip()[:2000]
    request.run = run
    request.save(
        update_fields=["status", "decided_at", "decided_by", "decision_note", "run", "updated_at"]
    )
    audit_record(
        organisation_id=request.organisation_id,
        actor=actor,
        action="records.erasure_carried_out",
        target=request,
        details={"request_id": request.pk, "run_id": run.pk, "rows": summary},
    )
    return run


@transaction.atomic
def erasure_request_refuse(*, actor: Any, request: ErasureRequest, note: str) -> ErasureRequest:
    """Refuse the request, with the reason given to the person."""
    request = _locked_open(actor, request)
    note = (note or "").strip() if isinstance(note, str) else ""
    if not note:
        raise ValidationFailed(
            "The request was not refused.", field_errors={"note": ["Say why it is refused."]}
        )
    request.status = RequestStatus.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decision_note = note[:2000]
    request.save(
        update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
    )
    audit_record(
        organisation_id=request.organisation_id,
        actor=actor,
        action="records.erasure_refused",
        target=request,
        details={"request_id": request.pk},
    )
    return request


def participant_for_admin(*, user: Any, participant_id: Any) -> Participant:
    """A participant of a service the user administers (404 otherwise)."""
    try:
        participant = Participant.objects.select_related("case", "organisation").get(
            pk=int(participant_id)
        )
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such person.") from None
    if not is_service_admin(user, participant.organisation_id):
        raise NotFoundOrHidden("No such person.")
    return participant
