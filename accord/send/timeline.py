"""How SEND steps read on the case timeline (never call summaries or the child's name)."""

from __future__ import annotations

from collections.abc import Callable

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.send import part  # noqa: F401  (the part must exist first)

_CHOICES = {"mediation": "wants mediation", "declined": "does not want mediation"}
_TERMS = {
    "courtesy": "courtesy",
    "confidentiality": "confidentiality",
    "without_prejudice": "without prejudice",
}


def _preliminary(item: TimelineEvent) -> str:
    verb = "recorded" if item.details.get("first") else "updated"
    return f"{item.actor} {verb} the local authority decision and who holds the rights"


def _choice(item: TimelineEvent) -> str:
    said = _CHOICES.get(str(item.details.get("choice")), "has chosen")
    return f"{item.actor} recorded that the family {said}"


def _stopped(item: TimelineEvent) -> str:
    term = _TERMS.get(str(item.details.get("term")), "a term")
    return f"{item.actor} stopped the meeting: the {term} term was broken"


def _fixed(text: str) -> Callable[[TimelineEvent], str]:
    return lambda item: f"{item.actor} {text}"


register_prefix("send.", "send")
register("send.preliminary_recorded", "send", _preliminary)
register("send.choice_recorded", "send", _choice)
register("send.health_notified", "send", _fixed("recorded that the health body was told"))
register("send.not_arranged", "send", _fixed("recorded that mediation could not be arranged"))
register(
    "send.short_notice_consented",
    "send",
    _fixed("recorded the family's consent to less than 5 working days' notice"),
)
register(
    "send.attendee_added", "send", lambda i: f"{i.actor} added {i.participant()} to the meeting"
)
register("send.call_logged", "send", lambda i: f"{i.actor} logged a call with {i.participant()}")
register("send.preparation_recorded", "send", _fixed("recorded how the child's views are heard"))
register(
    "send.permission_requested",
    "send",
    lambda i: f"{i.actor} asked {i.participant()} to sign their written permission",
)
register("send.permission_received", "send", _fixed("kept the young person's written permission"))
register(
    "send.terms_confirmed",
    "send",
    lambda i: f"{i.participant()} accepted the Terms of Engagement (recorded by {i.actor})",
)
register("send.meeting_stopped", "send", _stopped)
register("send.meeting_held", "send", _fixed("held the SEND mediation meeting"))
register("send.action_added", "send", _fixed("recorded an agreed action"))
register("send.action_done", "send", _fixed("recorded an agreed action as done"))
register("send.outcome_issued", "send", _fixed("issued the Mediation Outcome"))
register("send.certificate_issued", "send", _fixed("issued the mediation certificate"))
