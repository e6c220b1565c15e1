"""Checking stored audit chains against their hashes, one organisation at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from accord.audit.chain import STORED_FIELDS, ChainProblem, verify_events
from accord.audit.models import AuditChainHead, AuditEvent
from accord.audit.protection import trigger_problems

#: Rows fetched per round trip while streaming a chain.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking one organisation's chain."""

    organisation_id: int
    head_sequence: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _stream(organisation_id: int) -> Iterator[dict[str, Any]]:
    """The organisation's events in sequence order, fetched in chunks and never held at once."""
    return (
        AuditEvent.objects.filter(organisation_id=organisation_id)
        .order_by("sequence")
        .values(*STORED_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def chain_verify(*, organisation_id: int) -> ChainReport:
    """Recompute one organisation's chain from the stored events and compare it with the head."""
    head = (
        AuditChainHead.objects.filter(organisation_id=organisation_id)
        .values("last_sequence", "last_hash")
        .first()
    ) or {"last_sequence": 0, "last_hash": ""}
    problem = verify_events(
        _stream(organisation_id),
        head_sequence=head["last_sequence"],
        head_hash=head["last_hash"],
    )
    return ChainReport(
        organisation_id=organisation_id,
        head_sequence=head["last_sequence"],
        head_hash=head["last_hash"],
        problem=problem,
    )


def protection_problems() -> list[str]:
    """Append-only triggers that are missing or disabled in the default database."""
    return trigger_problems(connection)
