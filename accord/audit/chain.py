"""Hash-chain arithmetic for the audit trail (pure Python, no Django).

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of
the event's own fields, so changing, inserting or removing any event breaks every later link.

Verification recomputes hashes from what the database gives back, so everything hashed must
survive a round trip through both SQLite (JSON stored as text) and PostgreSQL (``jsonb``,
which reorders keys, stores numbers as exact decimals and refuses NUL characters) unchanged.
`normalise_details` turns details into that portable form before they are hashed and stored.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
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

#: What verification reads for each event: the hashed fields plus the two links.
STORED_FIELDS = (*HASHED_FIELDS, "previous_hash", "hash")


def portable_text(text: str) -> str:
    """Text both databases store and give back unchanged (no NUL, no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored as UTF-8 by either database; mark them instead.
        text = text.encode("utf-8", "replace").decode("utf-8")
    # PostgreSQL refuses NUL in text and jsonb; U+FFFD keeps a visible trace of it.
    return text.replace("\x00", "\ufffd")


def _portable_float(number: float) -> float | int | str:
    if not math.isfinite(number):
        return repr(number)  # JSON has no NaN or infinity; jsonb refuses them
    if number == 0:
        return 0.0  # jsonb has no negative zero
    text = repr(number)
    if "e+" in text:
        # jsonb prints large numbers without an exponent, so they come back as exact integers.
        return int(Decimal(text))
    return number


def _portable(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)  # plain int, not an IntEnum
    if isinstance(value, str):
        return portable_text(str(value))
    if isinstance(value, float):
        return _portable_float(value)
    if isinstance(value, Mapping):
        return {portable_text(str(key)): _portable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_portable(item) for item in value]
    if isinstance(value, set | frozenset):
        items = [_portable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    # Decimals, dates, UUIDs and the like are kept as their text (money stays exact).
    return portable_text(str(value))


def normalise_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Turn details into plain JSON values that SQLite and PostgreSQL give back unchanged."""
    return dict(_portable(dict(details or {})))


def canonical_moment(moment: datetime) -> str:
    """An aware moment as UTC ISO 8601 with microseconds (what both databases keep)."""
    if moment.tzinfo is None:
        raise ValueError("Audit moments must be timezone-aware.")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(fields: Mapping[str, Any], previous_hash: str) -> str:
    """The chain hash of one event given its fields and the previous event's hash."""
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    payload["occurred_at"] = canonical_moment(fields["occurred_at"])
    for key in ("actor_id", "case_id", "organisation_id", "sequence"):
        value = payload[key]
        if value is not None:
            payload[key] = int(value)
    payload["target_id"] = str(payload["target_id"])
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a tampered row must be reported as altered, never crash the check.
    data = (previous_hash + "\n" + encoded).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first place where a chain stops being intact."""

    sequence: int
    kind: str  # "altered", "inserted", "missing"
    message: str


def _describe(event: Mapping[str, Any]) -> str:
    moment = event.get("occurred_at")
    when = f", {canonical_moment(moment)[:19]}Z" if isinstance(moment, datetime) else ""
    return f"event #{event['sequence']} ({event.get('action', '?')}{when})"


def verify_events(
    events: Iterable[Mapping[str, Any]], *, head_sequence: int, head_hash: str
) -> ChainProblem | None:
    """Walk one organisation's events in sequence order; return the first problem, if any.

    `events` may be a lazy iterator: only the previous event's hash is kept, so memory does
    not grow with the length of the chain.
    """
    expected = 1
    previous_hash = GENESIS_HASH
    for event in events:
        sequence = int(event["sequence"])
        if sequence > expected:
            return ChainProblem(
                expected,
                "missing",
                f"event #{expected} is missing (the next event present is #{sequence})",
            )
        if sequence < expected:
            return ChainProblem(
                sequence,
                "inserted",
                f"{_describe(event)} repeats a sequence number already used: an event was inserted",
            )
        if compute_hash(event, event["previous_hash"]) != event["hash"]:
            return ChainProblem(
                sequence,
                "altered",
                f"{_describe(event)} was altered: its content no longer matches its hash",
            )
        if event["previous_hash"] != previous_hash:
            return ChainProblem(
                sequence,
                "inserted",
                f"{_describe(event)} does not link to event #{sequence - 1}: it was inserted, "
                f"or event #{sequence - 1} was replaced",
            )
        previous_hash = event["hash"]
        expected = sequence + 1
    last = expected - 1
    if head_sequence > last:
        return ChainProblem(
            last + 1,
            "missing",
            f"event #{last + 1} is missing: the chain head records #{head_sequence} "
            f"but the last event present is #{last}",
        )
    if head_sequence < last:
        return ChainProblem(
            head_sequence + 1,
            "inserted",
            f"event #{head_sequence + 1} was inserted after the recorded chain head "
            f"(#{head_sequence})",
        )
    if last and head_hash != previous_hash:
        return ChainProblem(
            last,
            "altered",
            f"event #{last} is not the event recorded as the chain head: it was replaced",
        )
    return None
