"""How deadlines read on the case timeline (restricted deadlines stay restricted)."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.mediation.timeline import when


def _title(item: TimelineEvent) -> str:
    # The target label is "Title (due 3 March 2027 10:00)"; the title alone reads better.
    return item.target.rsplit(" (due ", 1)[0] or "a deadline"


def _created(item: TimelineEvent) -> str:
    text = f"{item.actor} set the deadline “{_title(item)}”"
    due = when(item.details.get("due_at"))
    return f"{text}, due {due}" if due else text


register_prefix("deadline.", "deadlines")
register("deadline.created", "deadlines", _created)
register("deadline.met", "deadlines", lambda i: f"{i.actor} marked “{_title(i)}” as met")
register("deadline.waived", "deadlines", lambda i: f"{i.actor} waived “{_title(i)}”")
register("deadline.escalated", "deadlines", lambda i: f"{i.actor} escalated “{_title(i)}”")
register("deadline.missed", "deadlines", lambda i: f"The deadline “{_title(i)}” was missed")
register(
    "deadline.reminder_sent",
    "deadlines",
    lambda i: "A reminder of a deadline was queued to be emailed",
)
register(
    "deadline.reminder_cancelled",
    "deadlines",
    lambda i: "A reminder of a deadline was cancelled",
)
