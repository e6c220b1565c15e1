"""How the enquiry and conflict check read on the case timeline (no names or contact details)."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix


def _checked(item: TimelineEvent) -> str:
    decision = str(item.details.get("decision") or "").replace("_", " ")
    return f"{item.actor} checked the enquiry for conflicts of interest" + (
        f": {decision}" if decision else ""
    )


register_prefix("enquiry.", "conflict_check")
register("enquiry.received", "case", lambda i: "The enquiry was received")
register("enquiry.conflict_checked", "conflict_check", _checked)
register(
    "enquiry.conflict_check_run",
    "conflict_check",
    lambda i: f"{i.actor} ran the conflict check again",
)
