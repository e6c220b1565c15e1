"""How pre-mediation meetings read on the case timeline (never the notes)."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.premediation import part  # noqa: F401  (the part must exist first)


def _booked(item: TimelineEvent) -> str:
    return f"{item.actor} booked a pre-mediation meeting with {item.participant()}"


def _notes(item: TimelineEvent) -> str:
    verb = "recorded" if item.details.get("first") else "updated"
    return f"{item.actor} {verb} the notes of the pre-mediation meeting with {item.participant()}"


def _moved(item: TimelineEvent) -> str:
    return f"{item.actor} moved the pre-mediation meeting with {item.participant()}"


def _cancelled(item: TimelineEvent) -> str:
    return f"{item.actor} cancelled the pre-mediation meeting with {item.participant()}"


def _missed(item: TimelineEvent) -> str:
    return (
        f"{item.actor} recorded that {item.participant()} did not attend their pre-mediation "
        "meeting"
    )


def _reminder(item: TimelineEvent) -> str:
    return f"A reminder of the pre-mediation meeting was queued for {item.participant()}"


register_prefix("premediation.", "premediation")
register("premediation.meeting_moved", "premediation", _moved)
register("premediation.meeting_cancelled", "premediation", _cancelled)
register("premediation.did_not_attend", "premediation", _missed)
register("premediation.reminder_queued", "premediation", _reminder)
register("premediation.meeting_booked", "premediation", _booked)
register("premediation.notes_recorded", "premediation", _notes)
