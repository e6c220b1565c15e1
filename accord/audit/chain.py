"""Hash-chain arithmetic for the audit trail (pure Python, no Django).

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of
the event's own fields, so changing, inserting or removing any event breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

#: The event fields covered by the hash, in a fixed order.
HASHED_FIELDS = (
    "organisation_id",
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "case_id",
    "visibility",
    "details",
    "request_id",
)


def normalise_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Turn details into plain JSON values so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(dict(details or {}), default=str, sort_keys=True))


def _canonical_moment(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Audit moments must be timezone-aware.")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(fields: Mapping[str, Any], previous_hash: str) -> str:
    """The chain hash of one event given its fields and the previous event's hash."""
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    payload["occurred_at"] = _canonical_moment(fields["occurred_at"])
    for key in ("actor_id", "case_id", "organisation_id", "sequence"):
        if payload[key] is not None:
            payload[key] = int(payload[key])
    payload["target_id"] = str(payload["target_id"])
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous_hash + "\n" + encoded).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first place where a chain stops being intact."""

    sequence: int
    kind: str  # "altered", "inserted", "missing"
    message: str


def verify_events(
    events: Iterable[Mapping[str, Any]], *, head_sequence: int, head_hash: str
) -> ChainProblem | None:
    """Walk one organisation's events in sequence order; return the first problem, if any."""
    expected = 1
    previous_hash = GENESIS_HASH
    for event in events:
        sequence = int(event["sequence"])
        if sequence > expected:
            return ChainProblem(
                expected, "missing", f"event #{expected} is missing (next present is #{sequence})"
            )
        if compute_hash(event, event["previous_hash"]) != event["hash"]:
            return ChainProblem(
                sequence,
                "altered",
                f"event #{sequence} ({event['action']}) was altered: its content no longer "
                "matches its hash",
            )
        if event["previous_hash"] != previous_hash:
            return ChainProblem(
                sequence,
                "inserted",
                f"event #{sequence} ({event['action']}) does not link to event #{sequence - 1}: "
                "an event was inserted or replaced",
            )
        previous_hash = event["hash"]
        expected = sequence + 1
    last = expected - 1
    if head_sequence > last:
        return ChainProblem(
            last + 1, "missing", f"event #{last + 1} is missing (the chain head is #{head_sequence})"
        )
    if head_sequence < last or (last and head_hash != previous_hash):
        return ChainProblem(
            last,
            "inserted",
            f"event #{last} is not the recorded chain head (#{head_sequence}): "
            "an event was inserted at the end",
        )
    return None
