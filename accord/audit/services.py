"""Writing audit events: the one way any service records what it changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accord.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    STORED_FIELDS,
    compute_hash,
    normalise_details,
    portable_text,
)
from accord.audit.models import AuditChainHead, AuditEvent, Visibility
from accord.core.bulk import insert_rows
from accord.core.request_context import current_request_id

#: Actions are codes such as "case.stage_changed": no spaces, 80 characters at most.
_ACTION = re.compile(r"\S{1,80}")


def _locked_head(organisation_id: int) -> AuditChainHead:
    """The organisation's chain head, row-locked until the surrounding transaction ends.

    The lock is what keeps the chain a single line on PostgreSQL: a second transaction
    appending to the same organisation waits here until the first commits, then reads the
    head the first one wrote. (SQLite serialises writers with BEGIN IMMEDIATE instead.)
    """
    try:
        return AuditChainHead.objects.select_for_update().get(organisation_id=organisation_id)
    except AuditChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(organisation_id=organisation_id)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        return AuditChainHead.objects.select_for_update().get(organisation_id=organisation_id)


def _label(text: str, limit: int) -> str:
    return portable_text(text)[:limit]


def label_of(obj: Any) -> str:
    """How an event names its actor or target: the object's `audit_label()` where it has one
    (models whose str() holds a participant's name give their role and id instead, because the
    label is hashed into the chain and can never be erased), else its str()."""
    audit_label = getattr(obj, "audit_label", None)
    return str(audit_label()) if callable(audit_label) else str(obj)


def audit_record(
    *,
    organisation_id: int,
    actor: Any,
    action: str,
    target: models.Model,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
    visibility: str = "case",
    actor_label: str = "",
) -> AuditEvent:
    """Append an event to the organisation's chain; must run inside the service's transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.")
    # These are programming errors in the calling service, not user input: fail loudly.
    if not _ACTION.fullmatch(action):
        raise ValueError(f"Audit action {action!r} must be a code like 'case.opened'.")
    if visibility not in Visibility.values:
        raise ValueError(
            f"Audit visibility must be one of {Visibility.values}, not {visibility!r}."
        )
    if target.pk is None:
        raise ValueError("Audit events must name a saved target.")
    head = _locked_head(organisation_id)
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    fields: dict[str, Any] = {
        "organisation_id": organisation_id,
        "sequence": head.last_sequence + 1,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": _label(actor_label or (label_of(actor) if actor_id else "system"), 200),
        "action": action,
        "target_type": target._meta.label_lower,
        "target_id": _label(str(target.pk), 64),
        "target_label": _label(label_of(target), 200),
        "case_id": case_id,
        "visibility": visibility,
        "details": normalise_details(details),
        "request_id": _label(current_request_id(), 64),
    }
    event_hash = compute_hash(fields, head.last_hash or GENESIS_HASH)
    event = AuditEvent(**fields, previous_hash=head.last_hash or GENESIS_HASH, hash=event_hash)
    event.save(force_insert=True)
    head.last_sequence = event.sequence
    head.last_hash = event_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One event for `audit_record_many`: the same fields `audit_record` takes."""

    organisation_id: int
    actor: Any
    action: str
    target: models.Model
    case_id: int | None = None
    details: dict[str, Any] | None = None
    visibility: str = "case"
    actor_label: str = ""


def audit_record_many(entries: list[AuditEntry]) -> int:
    """Append many events in order, locking each organisation's chain head once.

    The chain is exactly what as many `audit_record` calls would build (each event hashed over
    the one before); the events are inserted in a few statements instead of one each, for
    services that change many rows at once (the deadline worker). Must run inside the
    service's transaction.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the service's transaction.")
    heads: dict[int, AuditChainHead] = {}
    rows: list[tuple[Any, ...]] = []
    now = timezone.now()
    request_id = _label(current_request_id(), 64)
    visibilities = set(Visibility.values)  # computed once: the enum's values are rebuilt per call
    for entry in entries:
        if not _ACTION.fullmatch(entry.action):
            raise ValueError(f"Audit action {entry.action!r} must be a code like 'case.opened'.")
        if entry.visibility not in visibilities:
            raise ValueError(f"Audit visibility must be one of {Visibility.values}.")
        if entry.target.pk is None:
            raise ValueError("Audit events must name a saved target.")
        head = heads.get(entry.organisation_id)
        if head is None:
            head = heads[entry.organisation_id] = _locked_head(entry.organisation_id)
        actor = entry.actor
        actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
        fields: dict[str, Any] = {
            "organisation_id": entry.organisation_id,
            "sequence": head.last_sequence + 1,
            "occurred_at": now,
            "actor_id": actor_id,
            "actor_label": _label(
                entry.actor_label or (label_of(actor) if actor_id else "system"), 200
            ),
            "action": entry.action,
            "target_type": entry.target._meta.label_lower,
            "target_id": _label(str(entry.target.pk), 64),
            "target_label": _label(label_of(entry.target), 200),
            "case_id": entry.case_id,
            "visibility": entry.visibility,
            "details": normalise_details(entry.details),
            "request_id": request_id,
        }
        previous = head.last_hash or GENESIS_HASH
        event_hash = compute_hash(fields, previous)
        rows.append((*(fields[name] for name in HASHED_FIELDS), previous, event_hash))
        head.last_sequence = fields["sequence"]
        head.last_hash = event_hash
    # AuditEvent.objects refuses bulk inserts so that app code goes through these functions;
    # the rows go in as plain INSERTs (accord.core.bulk), the chain already computed above.
    insert_rows(AuditEvent, STORED_FIELDS, rows)
    for head in heads.values():
        head.save(update_fields=["last_sequence", "last_hash"])
    return len(rows)
