"""How complaint events read in the audit trail (they carry no case, so no case timeline)."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix


def _received(item: TimelineEvent) -> str:
    how = " from the portal" if item.details.get("via_portal") else ""
    return f"A complaint was received{how}"


register_prefix("complaint.", "case")
register("complaint.received", "case", _received)
register("complaint.acknowledged", "case", lambda i: f"{i.actor} acknowledged a complaint")
register("complaint.responded", "case", lambda i: f"{i.actor} recorded the response to a complaint")
register(
    "complaint.consent_recorded",
    "case",
    lambda i: f"{i.actor} recorded the complainant's consent to release the file to the FMSB",
)
register(
    "complaint.shared",
    "case",
    lambda i: f"{i.actor} shared a complaint with the member of staff it is about",
)
