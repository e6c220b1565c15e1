"""How records events read in the audit trail (service-level: no case timeline)."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix


def _swept(item: TimelineEvent) -> str:
    return f"{item.actor} ran the retention sweep"


register_prefix("records.", "case")
register("records.schedule_set", "case", lambda i: f"{i.actor} changed the retention schedule")
register("records.hold_placed", "case", lambda i: f"{i.actor} placed a hold on a case's records")
register("records.hold_released", "case", lambda i: f"{i.actor} released a hold on records")
register("records.retention_swept", "case", _swept)
register("records.sar_received", "case", lambda i: "A subject-access request was received")
register("records.sar_exported", "case", lambda i: f"{i.actor} produced a subject-access export")
register("records.erasure_requested", "case", lambda i: "A request for erasure was received")
register(
    "records.erasure_carried_out", "case", lambda i: f"{i.actor} carried out an erasure request"
)
register("records.erasure_refused", "case", lambda i: f"{i.actor} refused an erasure request")
